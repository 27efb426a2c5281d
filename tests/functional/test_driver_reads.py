"""Rows read on the driver's cursor and put in the session (coursesite/database.py): the signed-in user, the
course with the reader's membership, and the essay of every essay page and comment post are read this way.
They must behave exactly as the ORM's own loads: the same values, the instance the session already holds,
no pending change, and relationships that still load."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select

from coursesite.database import as_loaded, columns_of, first_on_driver, get_on_driver
from coursesite.extensions import db
from coursesite.models import Course, Enrollment, Post, User
from coursesite.services.posts import find_post

from .. import factories as f


def _column_values(instance) -> dict:
    return {attribute.key: getattr(instance, attribute.key) for attribute in inspect(type(instance)).column_attrs}


def test_a_user_read_on_the_driver_is_what_the_orm_reads(app, count_queries):
    course = f.make_course()
    user = f.make_member(course, name="Ada Driver")
    db.session.commit()
    user_id, expected = user.id, _column_values(user)
    db.session.expunge_all()
    with count_queries() as q:
        loaded = get_on_driver(db.session, User, user_id)
    assert q.count == 1 and _column_values(loaded) == expected
    assert loaded in db.session and not db.session.is_modified(loaded) and loaded not in db.session.new
    with count_queries() as q:
        assert get_on_driver(db.session, User, user_id) is loaded
    assert q.count == 0
    assert get_on_driver(db.session, User, user_id + 1000) is None


def test_an_instance_the_session_holds_is_returned_with_its_expired_values_filled_in(app, count_queries):
    course = f.make_course(title="Before")
    db.session.commit()  # expires every loaded instance
    row = first_on_driver(db.session, select(*columns_of(Course)).where(Course.id == course.id), {})
    with count_queries() as q:
        assert as_loaded(db.session, Course, row) is course
        assert course.title == "Before"
    assert q.count == 0, "the values read were used, not read again"
    course.title = "Changed here"
    assert as_loaded(db.session, Course, row).title == "Changed here", "a change not yet written is kept"


def test_an_outer_joins_miss_is_none(app):
    assert as_loaded(db.session, Enrollment, [None] * len(columns_of(Enrollment))) is None


@pytest.mark.parametrize("role", ["student", "ta", None])
def test_a_course_page_reads_the_course_and_the_readers_membership_at_once(app, count_queries, role):
    from flask import g

    from coursesite.permissions import load_course, membership

    course = f.make_course(visibility="public")
    reader = f.make_member(course, role) if role else f.make_user()
    slug = course.slug
    db.session.commit()
    with app.test_request_context():
        from flask_login import login_user

        login_user(reader)
        with count_queries() as q:
            loaded = load_course(slug)
            found = membership(reader, loaded)
        assert q.count == 1
        assert loaded is course
        assert (found.role if found else None) == role
        assert g._memberships[(reader.id, course.id)] is found


def test_a_signed_in_readers_own_row_comes_in_the_course_statement(app, client, auth, count_queries):
    course = f.make_course(visibility="members")
    reader = f.make_member(course, name="Rhea Reader")
    db.session.commit()
    auth.login(reader)
    address = f"/c/{course.slug}/blog/"  # a student's blog (their course home is This week)
    db.session.expunge_all()  # as in a new request: nothing read yet
    with count_queries() as q:
        response = client.get(address)
    assert response.status_code == 200 and "Rhea Reader" in response.get_data(as_text=True)
    assert not [sql for sql in q.statements if sql.lstrip().startswith("SELECT users.")]  # no read of its own
    assert any("FROM courses" in sql and "users.password_hash" in sql for sql in q.statements)


def test_a_comment_post_reads_its_essay_in_the_course_statement(app, client, auth, count_queries):
    course = f.make_course(visibility="members")
    essay = f.make_post(course, f.make_author(course))
    reader = f.make_member(course)
    db.session.commit()
    auth.login(reader)
    address = f"/c/{course.slug}/essays/{essay.slug}/comments"
    db.session.expunge_all()
    with count_queries() as q:
        response = client.post(address, data={"body": "Read with the course."})
    assert response.status_code == 302
    assert not [sql for sql in q.statements if sql.lstrip().startswith("SELECT posts.")]  # no read of its own
    assert any("FROM courses" in sql and "posts.slug" in sql for sql in q.statements)


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


def test_a_new_essay_read_on_the_driver_has_its_relationships(app):
    course = f.make_course()
    author = f.make_author(course, name="Rosa Reader")
    post = f.make_post(course, author)
    db.session.commit()
    post_id, slug, course_id = post.id, post.slug, course.id
    db.session.expunge_all()
    found = find_post(db.session.get(Course, course_id), slug)
    assert isinstance(found, Post) and found.id == post_id
    assert found.author.display_name == "Rosa Reader" and found.course.id == course_id  # relationships load
