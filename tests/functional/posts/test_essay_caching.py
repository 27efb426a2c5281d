"""The essay page answers 304 to a browser that has the current copy, and a fresh page once anything it shows
changed; visitors of a public course may share a copy for a few seconds (nginx's micro-cache), nobody else; the
page kept for visitors in Flask-Caching follows the same tag, so it never shows an old page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Comment, Enrollment, Notification, utcnow
from tests import factories as f


def essay_url(post) -> str:
    return f"/c/{post.course.slug}/essays/{post.slug}/"


def revalidate(client, post, etag):
    return client.get(essay_url(post), headers={"If-None-Match": etag})


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|type="hidden" name="csrf_token" '
                      r'value="([^"]+)"', html)
    return found.group(1) or found.group(2)


def page(client, post, **headers) -> str:
    response = client.get(essay_url(post), headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_unchanged_essay_is_not_sent_again(client):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course))
    first = client.get(essay_url(post))
    assert first.status_code == 200 and first.headers["ETag"]
    assert "Cookie" in first.headers["Vary"]
    again = revalidate(client, post, first.headers["ETag"])
    assert again.status_code == 304 and again.get_data() == b""


def test_a_new_comment_changes_the_page(client):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course))
    etag = client.get(essay_url(post)).headers["ETag"]
    f.make_comment(post, f.make_member(course), body="A new thought about the letters.")
    fresh = revalidate(client, post, etag)
    assert fresh.status_code == 200 and "A new thought about the letters." in fresh.get_data(as_text=True)


def test_a_scheduled_essay_coming_due_changes_the_page(client):
    course = f.make_course(visibility="public")
    author = f.make_author(course)
    post = f.make_post(course, author)
    later = f.make_post(course, author, title="The Next One", published_at=utcnow() + timedelta(hours=2))
    etag = client.get(essay_url(post)).headers["ETag"]
    assert revalidate(client, post, etag).status_code == 304
    later.published_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    assert revalidate(client, post, etag).status_code == 200


def test_another_reader_gets_their_own_page(client, auth):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course))
    etag = client.get(essay_url(post)).headers["ETag"]
    auth.login(f.make_member(course))
    assert revalidate(client, post, etag).status_code == 200


def test_an_edit_changes_the_tag_and_the_page(client):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
    etag = client.get(essay_url(post)).headers["ETag"]
    post.title, post.version, post.updated_at = "Letters from Potsdam", post.version + 1, utcnow()
    db.session.flush()
    fresh = revalidate(client, post, etag)
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag
    assert "Letters from Potsdam" in fresh.get_data(as_text=True)


def test_a_visitor_of_a_public_course_may_share_a_copy_briefly(app, client):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course))
    response = client.get(essay_url(post))
    control = response.cache_control
    assert control.public and 0 < control.max_age <= 60 and not control.private
    assert "Set-Cookie" not in response.headers and "Cookie" in response.headers["Vary"]


def test_a_signed_in_reader_never_gets_a_shared_copy(client, auth):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course))
    auth.login(f.make_member(course))
    response = client.get(essay_url(post))
    assert response.status_code == 200
    assert not response.cache_control.public and response.cache_control.private and response.cache_control.no_store


def test_a_members_only_course_is_never_shared(client, auth):
    course = f.make_course(visibility="members")
    post = f.make_post(course, f.make_author(course))
    for reader in (f.make_member(course), f.instructor_of(course)):
        auth.login(reader)
        response = client.get(essay_url(post))
        assert response.status_code == 200 and not response.cache_control.public
        auth.logout()


def test_staff_never_get_a_shared_copy(client, auth):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course))
    auth.login(f.instructor_of(course))
    assert not client.get(essay_url(post)).cache_control.public


def test_a_reader_who_lost_access_is_refused_even_with_the_current_tag(app, client):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
    etag = client.get(essay_url(post)).headers["ETag"]
    assert revalidate(client, post, etag).status_code == 304
    course.visibility = "members"
    db.session.flush()
    visitor = revalidate(client, post, etag)
    assert visitor.status_code in (302, 303) and "/auth/login" in visitor.headers["Location"]


def test_a_signed_in_readers_page_is_neither_tagged_nor_answered_with_304(app, client, auth):
    """No browser keeps it (no-store), so none can ask whether its copy is current: nothing to tag."""
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
    visitors_tag = app.test_client().get(essay_url(post)).headers["ETag"]
    auth.login(f.make_member(course))
    response = client.get(essay_url(post))
    assert response.status_code == 200 and "ETag" not in response.headers
    again = revalidate(client, post, visitors_tag)
    assert again.status_code == 200 and "Letters from Yalta" in again.get_data(as_text=True)


def test_an_essay_back_in_draft_or_in_the_trash_is_refused_even_with_the_current_tag(app, client):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
    etag = client.get(essay_url(post)).headers["ETag"]
    post.status = "draft"
    db.session.flush()
    assert revalidate(client, post, etag).status_code == 404
    post.status, post.deleted_at = "published", utcnow()
    db.session.flush()
    assert revalidate(client, post, etag).status_code == 404


def test_the_visitors_page_is_kept_and_sent_again_unchanged(app, client, count_queries):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
    f.make_comment(post, f.make_member(course, name="Ines Duarte"), body="The second letter changes everything.")
    first = client.get(essay_url(post))
    with count_queries() as counter:
        again = client.get(essay_url(post))
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    # the course, the essay, and its comments' and neighbours' stamp: nothing rendered
    assert counter.count == 3, counter.statements


def test_whatever_changes_what_a_reader_sees_reaches_the_next_reader_at_once(app, client, auth):
    """For a signed-in reader at once; visitors may be shown the page kept for them for a few seconds more."""
    course = f.make_course(visibility="public", title="Postwar Europe")
    author = f.make_author(course, name="Hana Sato")
    earlier = f.make_post(course, author, title="The Iron Curtain Speech", published_at=utcnow() - timedelta(days=2))
    post = f.make_post(course, author, title="Letters from Yalta", published_at=utcnow() - timedelta(days=1))
    commenter = f.make_member(course, name="Ines Duarte")
    comment = f.make_comment(post, commenter, body="The second letter changes everything.")
    auth.login(f.make_member(course))
    assert "Ines Duarte" in page(client, post)

    def change(apply, shown: str, gone: str) -> None:
        apply()
        db.session.flush()
        text = page(client, post)
        assert shown in text and gone not in text

    change(lambda: setattr(course, "title", "Europe after 1945"), "Europe after 1945", "Postwar Europe")
    change(lambda: setattr(commenter, "display_name", "Inês Duarte"), "Inês Duarte", "Ines Duarte")
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == author.id))
    change(lambda: setattr(enrollment, "course_name", "H. Sato"), "By <a", "Hana Sato")
    change(lambda: setattr(earlier, "title", "Fulton, Missouri"), "Fulton, Missouri", "The Iron Curtain Speech")
    change(lambda: setattr(comment, "status", "hidden"), "Leave a Reply", "The second letter changes everything.")
    assert "H. Sato" in page(client, post)


def test_a_students_page_follows_their_notifications(app, client, auth):
    course = f.make_course()
    student = f.make_member(course, name="Ines Duarte")
    post = f.make_post(course, student, title="Letters from Yalta")
    auth.login(student)
    assert "unread" not in page(client, post)
    comment = f.make_comment(post, f.make_member(course), body="A reply to notify about.")
    db.session.add(Notification(user_id=student.id, kind="comment", comment_id=comment.id))
    db.session.flush()
    assert "1<span class=\"visually-hidden\"> unread" in page(client, post)


def test_a_page_rendered_by_an_earlier_deploy_gets_a_new_tag(app, client, monkeypatch):
    from coursesite.posts import essay_cache

    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course))
    first = client.get(essay_url(post))
    monkeypatch.setattr(essay_cache, "code_version", lambda: "a-later-deploy")
    assert client.get(essay_url(post)).headers["ETag"] != first.headers["ETag"]


def test_a_page_showing_a_message_is_not_kept_to_be_shown_again(client, auth):
    """The message is shown once: a browser revalidating its copy of that page must not be told to show it again."""
    course = f.make_course(visibility="public")
    student = f.make_member(course)
    post = f.make_post(course, f.make_author(course))
    auth.login(student)
    assert client.post(f"/c/{course.slug}/essays/{post.slug}/comments", data={"body": "A thought."}).status_code == 302
    shown = client.get(essay_url(post))
    assert "is posted" in shown.get_data(as_text=True)
    assert "ETag" not in shown.headers
    again = client.get(essay_url(post), headers={"If-None-Match": shown.headers.get("ETag", "")})
    assert again.status_code == 200 and "is posted" not in again.get_data(as_text=True)

class TestFormTokens:
    @pytest.fixture
    def app_config(self, base_config, tmp_path):
        return {**base_config, "WTF_CSRF_ENABLED": True}

    def test_a_page_never_carries_another_sessions_form_token(self, app, client):
        course = f.make_course()
        student = f.make_member(course)
        post = f.make_post(course, f.make_author(course), title="Letters from Yalta")

        def new_browser_session() -> None:
            with client.session_transaction() as session:
                session.clear()
                session["_user_id"] = student.get_id()
                session["_fresh"] = True

        new_browser_session()
        page(client, post)  # rendered with a form token made for this session
        new_browser_session()  # the same student on another device, whose session has no token yet
        response = client.post(f"/c/{course.slug}/essays/{post.slug}/comments",
                               data={"body": "Written on my phone.", "csrf_token": form_token(page(client, post))})
        assert response.status_code == 302
        assert db.session.scalar(select(Comment.body).where(Comment.post_id == post.id)) == "Written on my phone."

    def test_a_visitors_shared_page_carries_no_form_token(self, app, client):
        course = f.make_course(visibility="public")
        post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
        response = client.get(essay_url(post))
        assert response.cache_control.public and "csrf_token" not in response.get_data(as_text=True)


def test_a_neighbour_moved_to_the_trash_leaves_the_visitors_page_at_once(client):
    course = f.make_course(visibility="public")
    author = f.make_author(course)
    post = f.make_post(course, author, published_at=utcnow() - timedelta(days=2))
    following = f.make_post(course, author, title="The Next One", published_at=utcnow() - timedelta(days=1))
    assert "The Next One" in page(client, post)
    following.deleted_at = utcnow()
    db.session.flush()
    assert "The Next One" not in page(client, post)
