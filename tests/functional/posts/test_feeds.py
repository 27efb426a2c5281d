"""Atom feeds: only what the public blog shows, with stable ids and honest <updated> dates."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from defusedxml.ElementTree import fromstring

from coursesite.extensions import db
from coursesite.models import Grade, utcnow
from tests import factories as f

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[ET.Element]:
    return fromstring(response.data).findall(f"{ATOM}entry")


def entry_titles(response) -> list[str]:
    return [e.find(f"{ATOM}title").text for e in entries(response)]


def test_course_feed_lists_published_essays_only(client):
    course = f.make_course(title="History 101")
    author = f.make_author(course, course_name="Pen Name")
    visible = f.make_post(course, author, title="Visible", body="x")
    visible.body_html = '<p>Text with <img src="/c/x/uploads/abcdefghijklmnopqrstuvwx.png" alt="m"></p>'
    f.make_post(course, author, title="Draft", status="draft")
    f.make_post(course, author, title="Scheduled", published_at=utcnow() + timedelta(hours=2))
    f.make_post(course, author, title="Trashed", deleted_at=utcnow())
    db.session.flush()
    response = client.get(f"/c/{course.slug}/feed.atom")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert entry_titles(response) == ["Visible"]
    entry = entries(response)[0]
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Pen Name"
    assert entry.find(f"{ATOM}link").get("href") == f"http://coursesite.test/c/{course.slug}/essays/{visible.slug}/"
    content = entry.find(f"{ATOM}content").text
    assert 'src="http://coursesite.test/c/x/uploads/' in content


def test_entry_ids_are_stable_tag_uris(client):
    course = f.make_course()
    post = f.make_post(course, f.make_author(course))
    first = entries(client.get(f"/c/{course.slug}/feed.atom"))[0].find(f"{ATOM}id").text
    post.title = "Renamed"
    post.slug = "renamed"
    db.session.flush()
    again = entries(client.get(f"/c/{course.slug}/feed.atom"))[0].find(f"{ATOM}id").text
    assert first == again == f"tag:coursesite.test,{course.created_at:%Y-%m-%d}:{course.slug}/posts/{post.id}"


def test_updated_moves_only_with_a_real_edit(client):
    course = f.make_course()
    published = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    post = f.make_post(course, f.make_author(course), published_at=published)
    f.make_comment(post, f.make_author(course))
    entry = entries(client.get(f"/c/{course.slug}/feed.atom"))[0]
    assert entry.find(f"{ATOM}updated").text == entry.find(f"{ATOM}published").text == "2026-03-01T12:00:00+00:00"
    post.updated_at = published + timedelta(days=1)
    db.session.flush()
    entry = entries(client.get(f"/c/{course.slug}/feed.atom"))[0]
    assert entry.find(f"{ATOM}updated").text == "2026-03-02T12:00:00+00:00"


def test_empty_feed_has_a_fixed_updated_date(client):
    course = f.make_course()
    first = client.get(f"/c/{course.slug}/feed.atom").data
    assert client.get(f"/c/{course.slug}/feed.atom").data == first


def test_author_and_assignment_feeds(client):
    course = f.make_course()
    ada, bo = f.make_author(course), f.make_author(course)
    assignment = f.make_assignment(course, title="Unit 1")
    f.make_post(course, ada, title="Ada's", assignment_id=assignment.id)
    f.make_post(course, bo, title="Bo's")
    assert entry_titles(client.get(f"/c/{course.slug}/author/{ada.id}/feed.atom")) == ["Ada's"]
    assert entry_titles(client.get(f"/c/{course.slug}/assignment/{assignment.id}/feed.atom")) == ["Ada's"]
    assert client.get(f"/c/{course.slug}/author/999999/feed.atom").status_code == 404
    assert client.get(f"/c/{course.slug}/assignment/999999/feed.atom").status_code == 404
    page = client.get(f"/c/{course.slug}/author/{ada.id}/").get_data(as_text=True)
    assert f'href="/c/{course.slug}/author/{ada.id}/feed.atom"' in page


def test_members_course_has_no_feeds_even_for_members(client, auth):
    course = f.make_course(visibility="members")
    member = f.make_member(course)
    assignment = f.make_assignment(course)
    f.make_post(course, member, assignment_id=assignment.id)
    for url in (f"/c/{course.slug}/feed.atom", f"/c/{course.slug}/author/{member.id}/feed.atom",
                f"/c/{course.slug}/assignment/{assignment.id}/feed.atom"):
        assert client.get(url).status_code == 404
    auth.login(member)
    assert client.get(f"/c/{course.slug}/feed.atom").status_code == 404


def test_grades_and_feedback_never_reach_a_feed(client):
    course = f.make_course()
    author = f.make_author(course)
    assignment = f.make_assignment(course)
    f.make_post(course, author, assignment_id=assignment.id)
    db.session.add(Grade(assignment_id=assignment.id, student_id=author.id, post_score=9876.5,
                         feedback="PRIVATE FEEDBACK", feedback_html="<p>PRIVATE FEEDBACK</p>"))
    db.session.flush()
    for url in (f"/c/{course.slug}/feed.atom", f"/c/{course.slug}/assignment/{assignment.id}/feed.atom"):
        body = client.get(url).get_data(as_text=True)
        assert "PRIVATE FEEDBACK" not in body and "9876.5" not in body
