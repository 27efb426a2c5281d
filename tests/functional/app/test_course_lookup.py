"""A course route finds its course and essay by address, and a session the account no longer accepts reads
as a visitor's."""

from __future__ import annotations

from coursesite.essays.listing import find_post
from coursesite.extensions import db
from coursesite.models import Course, Post
from tests import factories as f


def test_a_session_from_before_a_password_change_reads_as_a_visitor_not_a_member(app, client):
    course = f.make_course(visibility="members")
    member = f.make_member(course, name="Stale Session")
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = f"{member.id}:0123456789abcdef"  # not this password's fingerprint
        session["_fresh"] = True
    address = f"/c/{course.slug}/"
    db.session.expunge_all()
    response = client.get(address)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_an_essay_renamed_in_this_request_is_found_by_its_new_address(app):
    course = f.make_course()
    post = f.make_post(course, f.make_author(course))
    first = post.slug
    db.session.commit()
    assert course.id and post.id  # loaded again now: no read after the rename flushes it by the way
    post.slug = "second-address"
    assert find_post(course, "second-address") is post
    assert find_post(course, first) is None


def test_a_found_essay_has_its_relationships(app):
    course = f.make_course()
    author = f.make_author(course, name="Rosa Reader")
    post = f.make_post(course, author)
    db.session.commit()
    post_id, slug, course_id = post.id, post.slug, course.id
    db.session.expunge_all()
    found = find_post(db.session.get(Course, course_id), slug)
    assert isinstance(found, Post) and found.id == post_id
    assert found.author.display_name == "Rosa Reader" and found.course.id == course_id  # relationships load
