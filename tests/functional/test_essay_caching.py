"""The essay page answers 304 to a browser that has the current copy, and a fresh page once anything changed."""

from __future__ import annotations

from datetime import timedelta

from coursesite.extensions import db
from coursesite.models import utcnow

from .. import factories as f


def essay_url(post) -> str:
    return f"/c/{post.course.slug}/essays/{post.slug}/"


def revalidate(client, post, etag):
    return client.get(essay_url(post), headers={"If-None-Match": etag})


def test_unchanged_essay_is_not_sent_again(client):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course))
    first = client.get(essay_url(post))
    assert first.status_code == 200 and first.headers["ETag"]
    assert "Cookie" in first.headers["Vary"] and "no-cache" in first.headers["Cache-Control"]
    again = revalidate(client, post, first.headers["ETag"].strip('"'))
    assert again.status_code == 304 and again.get_data() == b""


def test_a_new_comment_changes_the_page(client):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course))
    etag = client.get(essay_url(post)).headers["ETag"].strip('"')
    f.make_comment(post, f.make_member(course), body="A new thought about the letters.")
    fresh = revalidate(client, post, etag)
    assert fresh.status_code == 200 and "A new thought about the letters." in fresh.get_data(as_text=True)


def test_a_scheduled_essay_coming_due_changes_the_page(client):
    course = f.make_course(visibility="public")
    author = f.make_author(course)
    post = f.make_post(course, author)
    later = f.make_post(course, author, title="The Next One", published_at=utcnow() + timedelta(hours=2))
    etag = client.get(essay_url(post)).headers["ETag"].strip('"')
    assert revalidate(client, post, etag).status_code == 304
    later.published_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    assert revalidate(client, post, etag).status_code == 200


def test_another_reader_gets_their_own_page(client, auth):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course))
    etag = client.get(essay_url(post)).headers["ETag"].strip('"')
    auth.login(f.make_member(course))
    assert revalidate(client, post, etag).status_code == 200
