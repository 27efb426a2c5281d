"""The essay page answers 304 to a browser that has the current copy, and a fresh page once anything changed;
renderings stored for every worker to share follow the same tag, so they never show an old page."""

from __future__ import annotations

import gzip
import os
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from flask import request, request_started
from sqlalchemy import bindparam, create_engine, event, func, select, text, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from coursesite.database import DriverStatement, configure_sqlite
from coursesite.extensions import db
from coursesite.models import Comment, Course, Enrollment, Notification, utcnow
from coursesite.services.file_store import prune

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


def stored_pages(app) -> list[Path]:
    directory = Path(app.config["PAGE_CACHE_DIR"])
    return sorted(directory.glob("*.html.gz")) if directory.exists() else []


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|type="hidden" name="csrf_token" '
                      r'value="([^"]+)"', html)
    return found.group(1) or found.group(2)


def page(client, post, **headers) -> str:
    response = client.get(essay_url(post), headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_next_reader_gets_the_stored_page_without_it_being_rendered_again(app, client, count_queries):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
    f.make_comment(post, f.make_member(course, name="Ines Duarte"), body="The second letter changes everything.")
    first = page(client, post)
    assert len(stored_pages(app)) == 1
    with count_queries() as counter:
        second = page(client, post)
    assert second == first and "The second letter changes everything." in second
    assert counter.count == 1, counter.statements  # everything the tag depends on, in one statement


def test_a_student_gets_their_stored_page_from_their_account_and_one_statement(app, client, auth, count_queries):
    course = f.make_course()
    student = f.make_member(course)
    post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
    auth.login(student)
    page(client, post)  # the first page gives the session its form token, which the tag covers
    first = page(client, post)
    with count_queries() as counter:
        assert page(client, post) == first
    # The signed-in account (unless this test's session already holds it), then the tag's one statement.
    assert counter.count <= 2, counter.statements


def test_a_stored_page_of_a_private_course_reaches_no_one_outside_it(app, client, auth):
    course = f.make_course(visibility="private")
    student = f.make_member(course)
    post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
    auth.login(student)
    page(client, post)  # the first page gives the session its form token, which the tag covers
    page(client, post)
    assert len(stored_pages(app)) == 1
    auth.logout()
    visitor = client.get(essay_url(post))
    assert visitor.status_code in (302, 303) and "/auth/login" in visitor.headers["Location"]
    auth.login(student)
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == student.id))
    enrollment.ended_at = utcnow()
    db.session.flush()
    assert client.get(essay_url(post)).status_code == 403


def test_an_essay_back_in_draft_or_in_the_trash_is_never_answered_from_the_store(app, client):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
    page(client, post)
    post.status = "draft"
    db.session.flush()
    assert client.get(essay_url(post)).status_code == 404
    post.status, post.deleted_at = "published", utcnow()
    db.session.flush()
    assert client.get(essay_url(post)).status_code == 404


def test_a_client_that_accepts_gzip_gets_the_stored_bytes(app, client):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
    plain = page(client, post)
    packed = client.get(essay_url(post), headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()).decode() == plain


def test_whatever_changes_what_a_reader_sees_reaches_the_next_reader_at_once(app, client):
    course = f.make_course(visibility="public", title="Postwar Europe")
    author = f.make_author(course, name="Hana Sato")
    earlier = f.make_post(course, author, title="The Iron Curtain Speech", published_at=utcnow() - timedelta(days=2))
    post = f.make_post(course, author, title="Letters from Yalta", published_at=utcnow() - timedelta(days=1))
    commenter = f.make_member(course, name="Ines Duarte")
    comment = f.make_comment(post, commenter, body="The second letter changes everything.")
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
    assert len(stored_pages(app)) == 6


def test_a_new_comment_arriving_through_another_worker_shows_at_once(app, client):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course))
    page(client, post)
    f.make_comment(post, f.make_member(course), body="Written through another worker.")
    assert "Written through another worker." in page(client, post)


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


def test_staff_pages_are_never_stored(app, client, auth):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course))
    auth.login(f.instructor_of(course))
    page(client, post)
    assert stored_pages(app) == []


def test_a_new_comment_leaves_the_course_version_alone(client, auth):
    """The hot path: comments arriving under load must not queue on one course row."""
    course = f.make_course()
    student = f.make_member(course)
    post = f.make_post(course, f.make_author(course))
    version = db.session.scalar(select(Course.content_version).where(Course.id == course.id))
    auth.login(student)
    response = client.post(f"/c/{course.slug}/essays/{post.slug}/comments", data={"body": "A fresh thought here."})
    assert response.status_code in (302, 303)
    assert db.session.scalar(select(Comment.body).where(Comment.post_id == post.id)) == "A fresh thought here."
    assert db.session.scalar(select(Course.content_version).where(Course.id == course.id)) == version


def test_pages_not_written_for_a_day_are_pruned(tmp_path):
    old, new = tmp_path / "old.html.gz", tmp_path / "new.html.gz"
    old.write_bytes(b"x")
    new.write_bytes(b"y")
    a_day_ago = time.time() - 25 * 3600
    os.utime(old, (a_day_ago, a_day_ago))
    assert prune(tmp_path) == 1
    assert not old.exists() and new.exists()


def test_pruning_empties_and_removes_folders_of_old_files_only(tmp_path):
    stale, kept = tmp_path / "stale-course", tmp_path / "busy-course"
    for folder in (stale, kept):
        folder.mkdir()
        (folder / "summary.pickle").write_bytes(b"x")
    a_day_ago = time.time() - 25 * 3600
    os.utime(stale / "summary.pickle", (a_day_ago, a_day_ago))
    assert prune(tmp_path) == 1
    assert not stale.exists() and (kept / "summary.pickle").exists()


def test_only_changes_to_published_essays_raise_the_course_version(app):
    """A student saving a draft again and again must not make every stored page of the course render anew."""
    course = f.make_course()
    author = f.make_author(course)
    draft = f.make_post(course, author, status="draft", published_at=None)

    def version() -> int:
        return db.session.scalar(select(Course.content_version).where(Course.id == course.id))

    before = version()
    draft.body = "A second try at the opening paragraph."
    db.session.flush()
    assert version() == before
    draft.status, draft.published_at = "published", utcnow()
    db.session.flush()
    assert version() == before + 1
    draft.status = "draft"  # taken back: it leaves the blog and the other essays' links
    db.session.flush()
    assert version() == before + 2


def test_a_page_stored_by_an_earlier_deploy_is_not_reused(app, client, monkeypatch):
    from coursesite.posts import essay_cache

    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course))
    first = client.get(essay_url(post))
    monkeypatch.setattr(essay_cache, "code_version", lambda: "a-later-deploy")
    second = client.get(essay_url(post))
    assert second.headers["ETag"] != first.headers["ETag"]
    assert len(stored_pages(app)) == 2


class TestFormTokens:
    @pytest.fixture
    def app_config(self, base_config, tmp_path):
        return {**base_config, "WTF_CSRF_ENABLED": True, "PAGE_CACHE_DIR": str(tmp_path / "page-cache")}

    def test_a_stored_page_never_carries_another_sessions_form_token(self, app, client):
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

    def test_the_form_on_a_page_sent_by_the_front_posts(self, app, client):
        course = f.make_course()
        student = f.make_member(course)
        post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
        login_page = client.get("/auth/login").get_data(as_text=True)
        client.post("/auth/login", data={"email": student.email, "password": f.DEFAULT_PASSWORD,
                                         "csrf_token": form_token(login_page)})
        page(client, post)  # rendered by the app, then stored
        started: list[str] = []

        def record(sender, **extra) -> None:
            started.append(request.path)

        with request_started.connected_to(record, app):
            sent_by_front = page(client, post)
        assert started == []
        response = client.post(f"/c/{course.slug}/essays/{post.slug}/comments",
                               data={"body": "Posted from the stored page.", "csrf_token": form_token(sent_by_front)})
        assert response.status_code == 302
        posted = db.session.scalar(select(Comment.body).where(Comment.post_id == post.id))
        assert posted == "Posted from the stored page."


class TestFront:
    """A visitor, or a signed-in reader whose session the app would accept unchanged, gets a stored page from
    in front of the app: same page, same headers. Anything else goes to the app."""

    @pytest.fixture
    def app_started(self, app):
        started: list[str] = []

        def record(sender, **extra) -> None:
            started.append(request.path)

        request_started.connect(record, app)
        yield started
        request_started.disconnect(record, app)

    def test_a_visitor_gets_the_stored_page_and_headers_without_the_app(self, app, client, app_started):
        course = f.make_course(visibility="public")
        post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
        rendered = client.get(essay_url(post))
        assert app_started == [essay_url(post)]
        for accept in ("", "gzip"):
            answered = client.get(essay_url(post), headers={"Accept-Encoding": accept})
            body = gzip.decompress(answered.get_data()) if accept else answered.get_data()
            assert body == rendered.get_data()
            headers = {name: value for name, value in rendered.headers.items() if name != "Content-Length"}
            if accept:
                headers["Content-Encoding"] = "gzip"
            assert {k: v for k, v in answered.headers.items() if k != "Content-Length"} == headers
        assert "default-src 'self'" in answered.headers["Content-Security-Policy"]
        assert app_started == [essay_url(post)]  # the two stored answers never reached the app
        assert client.get(essay_url(post), headers={"If-None-Match": rendered.headers["ETag"]}).status_code == 304
        assert app_started == [essay_url(post)]

    def test_a_query_or_a_head_request_goes_to_the_app(self, app, client, app_started):
        course = f.make_course(visibility="public")
        post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
        page(client, post)
        app_started.clear()
        assert client.get(essay_url(post) + "?replytocom=1").status_code == 200
        assert client.head(essay_url(post)).status_code == 200
        assert app_started == [essay_url(post), essay_url(post)]

    def signed_in_reader_with_a_stored_page(self, client, auth, app_started, course, post, reader):
        auth.login(reader)
        page(client, post)  # the first page with a form gives the session its form token
        rendered = client.get(essay_url(post))
        app_started.clear()
        return rendered

    def test_a_signed_in_reader_gets_their_stored_page_and_headers_without_the_app(self, app, client, auth,
                                                                                   app_started):
        course = f.make_course(visibility="private")
        post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
        reader = f.make_member(course, name="Ines Duarte")
        rendered = self.signed_in_reader_with_a_stored_page(client, auth, app_started, course, post, reader)
        answered = client.get(essay_url(post))
        assert app_started == []
        assert answered.get_data() == rendered.get_data() and "Ines Duarte" in answered.get_data(as_text=True)
        assert "Set-Cookie" not in answered.headers
        assert dict(answered.headers) == dict(rendered.headers)
        assert client.get(essay_url(post), headers={"If-None-Match": rendered.headers["ETag"]}).status_code == 304
        assert app_started == []

    @pytest.mark.parametrize("change", ["password changed", "logged out elsewhere", "another browser",
                                        "message waiting", "staff", "left the course"])
    def test_a_session_only_the_app_can_judge_goes_to_the_app(self, app, client, auth, app_started, change):
        course = f.make_course(visibility="private")
        post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
        reader = f.instructor_of(course) if change == "staff" else f.make_member(course, name="Ines Duarte")
        self.signed_in_reader_with_a_stored_page(client, auth, app_started, course, post, reader)
        headers = {}
        if change == "password changed":
            reader.set_password("a-new-password-elsewhere")
            db.session.commit()
        elif change == "logged out elsewhere":
            reader.end_sessions()
            db.session.commit()
        elif change == "another browser":
            headers["User-Agent"] = "Another browser"
        elif change == "message waiting":
            with client.session_transaction() as session:
                session["_flashes"] = [("info", "Your comment is awaiting approval.")]
        elif change == "left the course":
            db.session.execute(update(Enrollment).where(Enrollment.user_id == reader.id).values(ended_at=utcnow()))
            db.session.commit()
        answered = client.get(essay_url(post), headers=headers)
        assert app_started == [essay_url(post)]
        if change in ("password changed", "logged out elsewhere"):
            assert answered.status_code == 302 and "/auth/login" in answered.headers["Location"]  # signed out
        if change == "left the course":
            assert answered.status_code == 403  # a private course's page, for members only
        if change == "message waiting":
            assert "Your comment is awaiting approval." in answered.get_data(as_text=True)

    def test_a_remember_me_cookie_without_a_session_goes_to_the_app(self, app, client, auth, app_started):
        course = f.make_course(visibility="public")
        post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
        page(client, post)
        reader = f.make_member(course, name="Ines Duarte")
        client.post("/auth/login", data={"email": reader.email, "password": f.DEFAULT_PASSWORD, "remember": "y"})
        client.delete_cookie("session")
        app_started.clear()
        assert "Ines Duarte" in page(client, post)
        assert app_started == [essay_url(post)]

    def test_a_new_comment_reaches_the_next_visitor(self, app, client, app_started):
        course = f.make_course(visibility="public")
        post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
        page(client, post)
        page(client, post)
        f.make_comment(post, f.make_member(course), body="A new thought about the letters.")
        assert "A new thought about the letters." in page(client, post)


def test_a_single_read_outside_a_request_takes_no_write_lock(tmp_path):
    """The front reads outside any request; on SQLite that read must not wait for, or block, a writer."""
    engine = create_engine(f"sqlite:///{tmp_path / 'locks.sqlite3'}")
    configure_sqlite(engine)
    # After configure_sqlite's own: wait a fifth of a second for a lock, not thirty.
    event.listen(engine, "connect", lambda dbapi_connection, _: dbapi_connection.execute("PRAGMA busy_timeout=200"))
    with engine.connect() as writer:
        writer.execute(text("CREATE TABLE notes (body TEXT)"))
        writer.commit()
        writer.execute(text("INSERT INTO notes VALUES ('held')"))  # BEGIN IMMEDIATE: the write lock, kept
        count = DriverStatement(select(func.count()).select_from(text("notes")), engine.dialect)
        with engine.connect() as reader:
            assert count.first(reader, {}) == (0,)
        with engine.connect() as other, pytest.raises(OperationalError, match="locked"):
            other.execute(text("SELECT count(*) FROM notes"))  # outside a request: BEGIN IMMEDIATE, waits
    engine.dispose()


@pytest.mark.parametrize("headers", [{}, {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"},
                                     {"X-Forwarded-For": "203.0.113.9, 10.0.0.1", "User-Agent": "Brøwser"}])
def test_the_front_identifies_a_browser_as_flask_login_does(app, headers):
    from flask_login.utils import _create_identifier

    from coursesite.posts.essay_cache import login_identifier

    with app.test_request_context("/", headers=headers, environ_base={"REMOTE_ADDR": "192.0.2.4"}):
        assert login_identifier(request) == _create_identifier()


def test_the_probe_on_the_driver_reads_what_sqlalchemy_reads(app):
    """The essay probe runs on the driver's cursor: every value, as the column types convert it (aware
    datetimes, counts, the reader's role and account), must be what SQLAlchemy's own execution returns."""
    from coursesite.database import on_driver
    from coursesite.posts.essay_cache import _probe_query

    course = f.make_course(visibility="public")
    author, reader = f.make_author(course), f.make_member(course)
    post = f.make_post(course, author)
    f.make_comment(post, reader, body="A first thought.")
    f.make_comment(post, author, body="A reply from the author.")
    # Published at the very moment of reading, on a whole second: SQLite compares stored text, so `now` must
    # be written as the column type writes it for that essay to count as the newest.
    now = utcnow().replace(microsecond=0)
    f.make_post(course, author, published_at=now)
    db.session.flush()
    connection = db.session.connection()
    for viewer, slug in ((None, post.slug), (reader.id, post.slug), (author.id, post.slug), (reader.id, "none")):
        values = {"course_slug": course.slug, "post_slug": slug, "viewer_id": viewer, "now": now}
        expected = connection.execute(_probe_query(), values).first()
        found = on_driver(_probe_query(), connection.dialect).first(connection, values)
        if slug == "none":
            assert found is None and expected is None
            continue
        assert tuple(found) == tuple(expected)
        for name in ("status", "published_at", "deleted_at", "visibility", "viewer_role", "unread",
                     "viewer_password_hash", "viewer_is_admin", "viewer_session_generation"):
            assert getattr(found, name) == getattr(expected, name)
        assert found.published_at.tzinfo is not None


def test_a_driver_statement_refuses_missing_parameters(app):
    probe = DriverStatement(select(Course.id).where(Course.slug == bindparam("slug")), db.engine.dialect)
    with pytest.raises(ValueError, match="slug"):
        probe.first(db.session.connection(), {})


def test_a_driver_statement_fails_as_sqlalchemy_fails(app):
    """The front falls back to the app on SQLAlchemy's errors (a database down): the driver's own must not
    escape instead."""
    broken = DriverStatement(select(text("id")).select_from(text("no_such_table")), db.engine.dialect)
    with pytest.raises(SQLAlchemyError, match="no_such_table"):
        broken.first(db.session.connection(), {})
