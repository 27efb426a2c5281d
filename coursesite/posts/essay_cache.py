"""The essay page's validator, and renderings of the page stored under it for every worker to share.

The validator (an ETag) comes from one statement, which finds the essay by the two slugs in the address,
and changes with everything the page shows: the essay's comments (a new one, an edit, moderation, a
deletion), the essay itself, the course's content version (services/content_version.py: settings, names,
roles, assignments, deadlines, terms, the other essays behind the previous/next links), the newest essay on
the blog (a scheduled essay coming due), the reader's own latest comment (their participation hint), the
header's counts, the reader's session token that the page's forms carry, the code that renders it (a
deploy), and the reader. Time-dependent text for a
logged-in reader (edit windows, deadlines) changes the tag each minute; for everyone else each day.

Because the tag covers the page, a rendering stored under it never goes stale: the store is a directory
shared by all workers (PAGE_CACHE_DIR, files named by tag, gzipped and plain), and a comment posted through
any worker changes the tag the next request computes. Staff pages, pages with a message waiting, a refused
comment's re-shown form or query arguments are never stored.

The same statement says whether the reader may see the page (a public course or their own, a published
essay, not staff) and reads a signed-in reader's account, so a stored page is sent without loading the
course, the essay or the user: the page's most frequent request costs that one statement. Such requests
are answered before the app is entered at all (StoredPageFront, below).
"""

from __future__ import annotations

import gzip
import hashlib
from contextlib import nullcontext
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from flask import Flask, Request, Response, current_app, g, has_app_context, request, session
from flask_login import current_user
from flask_login.config import COOKIE_NAME
from sqlalchemy import Connection, Select, bindparam, case, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import aliased
from werkzeug.exceptions import HTTPException
from werkzeug.http import quote_etag

from ..database import on_driver
from ..extensions import db, login_manager
from ..models import Comment, Course, Enrollment, Post, User, utcnow
from ..models.course import STAFF_ROLES
from ..models.user import password_fingerprint
from ..security import add_security_headers
from ..services import file_store
from ..services.comment_thread import FORM_STATE_KEY
from ..services.comments import closed_reason, post_is_live
from ..services.file_store import code_version
from ..services.notifications import unread_count_query
from ..templating import reader_header_counts

PROBE_KEY = "coursesite.essay_probe"
READ_AT_KEY = "coursesite.essay_read_at"


def _status_count(status: str):
    return func.sum(case((Comment.status == status, 1), else_=0))


@lru_cache(maxsize=1)
def _probe_query() -> Select:
    """Everything the tag depends on, by the two slugs in the address. Built once: composing this statement
    cost more than running it."""
    newer = aliased(Post)
    own = aliased(Comment)
    newest_essay = (
        select(func.max(newer.published_at))
        .where(newer.course_id == Course.id, newer.status == "published", newer.published_at <= bindparam("now"),
               newer.deleted_at.is_(None))
        .scalar_subquery()
    )
    own_latest = (
        select(func.max(func.coalesce(own.edited_at, own.created_at)))
        .where(own.author_id == bindparam("viewer_id"))
        .scalar_subquery()
    )
    viewer_role = (
        select(Enrollment.role)
        .where(Enrollment.course_id == Course.id, Enrollment.user_id == bindparam("viewer_id"),
               Enrollment.ended_at.is_(None))
        .scalar_subquery()
    )
    unread = unread_count_query(bindparam("viewer_id")).correlate(None).scalar_subquery()
    viewer = aliased(User)

    def viewer_field(column):
        return select(column).where(viewer.id == bindparam("viewer_id")).scalar_subquery()

    return (
        select(
            Post.id, Post.author_id, Post.version, Post.status, Post.modified_at, Post.updated_at, Post.deleted_at,
            Post.published_at, Course.visibility, Course.content_version,
            func.count(Comment.id), func.max(Comment.id), _status_count("visible"), _status_count("held"),
            _status_count("hidden"), func.max(func.coalesce(Comment.edited_at, Comment.created_at)),
            func.max(Comment.deleted_at),
            newest_essay.label("newest_essay"), own_latest.label("own_latest"), viewer_role.label("viewer_role"),
            unread.label("unread"),
            viewer_field(viewer.password_hash).label("viewer_password_hash"),
            viewer_field(viewer.is_admin).label("viewer_is_admin"),
            viewer_field(viewer.session_generation).label("viewer_session_generation"),
        )
        .select_from(Post)
        .join(Course, Course.id == Post.course_id)
        .outerjoin(Comment, Comment.post_id == Post.id)
        .where(Course.slug == bindparam("course_slug"), Post.slug == bindparam("post_slug"))
        .group_by(Post.id, Course.id)
    )


def essay_probe(course_slug: str, post_slug: str, viewer_id: int | None, now: datetime, environ: dict,
                connection: Connection | None = None) -> tuple | None:
    """One row: the essay's and course's own fields, its comments' counts and latest changes, the newest essay
    on the blog, and the reader's latest comment, role in the course, unread notifications and account (its
    password hash, which the session must match, and whether it is an administrator's). Read once per
    request (kept in its WSGI environ): a page not stored is rendered from the same row."""
    asked = (course_slug, post_slug, viewer_id, now)
    known = environ.get(PROBE_KEY)
    if known is not None and known[0] == asked:
        return known[1]
    # On the session's connection, not through the session: no ORM rows to make, and that costs more than the SQL.
    connection = connection or db.session.connection()
    probe = on_driver(_probe_query(), connection.dialect).first(
        connection, {"course_slug": course_slug, "post_slug": post_slug, "viewer_id": viewer_id, "now": now}
    )
    environ[PROBE_KEY] = (asked, probe)
    environ[READ_AT_KEY] = now
    return probe


def read_at(environ: dict) -> datetime:
    """The moment this request reads the essay at: the same for the front and the app behind it."""
    return environ.get(READ_AT_KEY) or utcnow()


def essay_etag(probe: tuple, viewer_id: int | None, staff: bool, now: datetime, header_counts: dict,
               form_token: str = "") -> str:
    """form_token: the raw token in a signed-in reader's session, which the page's forms carry."""
    logged_in = viewer_id is not None
    form_token = hashlib.sha256(str(form_token).encode()).hexdigest() if logged_in else ""
    parts = (
        *probe, post_is_live(probe, now), viewer_id, staff, closed_reason(probe, now),
        now.replace(second=0, microsecond=0) if logged_in else now.date(), sorted(header_counts.items()),
        form_token, code_version(),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def answer_from_store(course_slug: str, post_slug: str, now: datetime) -> Response | None:
    """The page from one statement (two for a signed-in reader) when the browser's copy is current or a
    rendering is stored: for readers who are not staff, of an essay everyone in the course may read.
    None sends the request through the full page, which checks, renders and stores."""
    if not _plain_read():
        return None
    viewer_id = current_user.id if current_user.is_authenticated else None
    if viewer_id is not None and current_user.is_admin:
        return None
    probe = essay_probe(course_slug, post_slug, viewer_id, now, request.environ)
    form_token = session.get("csrf_token", "")
    return _reader_answer(probe, viewer_id, form_token, now, request, store_allowed=may_store(False))


def _reader_answer(probe: tuple | None, viewer_id: int | None, form_token: str, now: datetime, reader: Request,
                   store_allowed: bool = True) -> Response | None:
    """304 or the stored page for a reader who is not staff, of an essay they may read; else None."""
    if probe is None or probe.viewer_role in STAFF_ROLES:
        return None
    counts = reader_header_counts(probe.unread, reader.environ)
    if not post_is_live(probe, now) or (probe.visibility != "public" and probe.viewer_role is None):
        return None
    etag = essay_etag(probe, viewer_id, False, now, counts, form_token)
    return _not_modified(etag, reader) or (stored(etag, reader) if store_allowed else None)


def may_answer_not_modified() -> bool:
    """Only a plain GET without a message waiting to be shown can be answered from the browser's copy."""
    return request.method == "GET" and not session.get("_flashes")


def _plain_read() -> bool:
    """The page as anyone reading it gets it: no query arguments, no refused comment shown again."""
    return may_answer_not_modified() and not request.args and FORM_STATE_KEY not in request.environ


def may_store(staff: bool) -> bool:
    # A signed-in reader's page carries their session's form token; a session without one yet gets one
    # made by the rendering, which a stored page (made for another session) would not carry.
    token_known = not current_user.is_authenticated or "csrf_token" in session
    return not staff and token_known and _plain_read() and bool(current_app.config.get("PAGE_CACHE_DIR"))


def not_modified(etag: str) -> Response | None:
    if may_answer_not_modified():
        return _not_modified(etag, request)
    return None


def _not_modified(etag: str, reader: Request) -> Response | None:
    return _validated(Response(status=304), etag) if reader.if_none_match.contains_weak(etag) else None


def mark(response: Response, etag: str) -> Response:
    return _validated(response, etag) if may_answer_not_modified() else response


def _validators(etag: str) -> tuple[tuple[str, str], ...]:
    # Weak: the same page is sent gzipped to some clients and plain to others. Stored, but checked with the
    # server before every use; the page differs per reader.
    return ("ETag", quote_etag(etag, weak=True)), ("Cache-Control", "private, no-cache")


def _validated(response: Response, etag: str) -> Response:
    response.headers.update(_validators(etag))
    response.vary.add("Cookie")
    return response


def _path(page_path: str, etag: str, gzipped: bool) -> Path | None:
    return file_store.path_for(page_path, etag, suffix=".html.gz" if gzipped else ".html")


def _takes_gzip(reader: Request) -> bool:
    return reader.accept_encodings.quality("gzip") > 0


def stored(etag: str, reader: Request = request) -> Response | None:
    """The stored page as this client takes it (gzipped when it accepts gzip), or None when none is stored."""
    gzipped = _takes_gzip(reader)
    body = file_store.read(_path(reader.path, etag, gzipped))
    return None if body is None else _page(body, gzipped, etag)


def store(etag: str, html: str, viewer_id: int | None) -> Response | None:
    """Keep the page, gzipped and plain (unpacking took a large page's readers most of their time), for the
    next request with the same tag, and send it. None when this page may not be kept."""
    if viewer_id is None and "csrf_token" in g:
        return None  # a form token made for this visitor's session must not reach another visitor
    plain = html.encode()
    packed = gzip.compress(plain, compresslevel=6)
    file_store.write(_path(request.path, etag, gzipped=False), plain)
    file_store.write(_path(request.path, etag, gzipped=True), packed)
    gzipped = _takes_gzip(request)
    return _page(packed if gzipped else plain, gzipped, etag)


def _page(body: bytes, gzipped: bool, etag: str) -> Response:
    """A fresh page's headers, _validated's among them, listed at once rather than set one by one (each set
    scans the list): this runs for every stored page sent."""
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Vary", "Accept-Encoding, Cookie"),
               *_validators(etag)]
    if gzipped:
        headers.append(("Content-Encoding", "gzip"))
    return Response(body, headers=headers)


class StoredPageFront:
    """In front of the app (WSGI middleware): a reader asking for a stored essay page they may read gets it
    here, from the one statement, without the request, session, login and rate-limit machinery that made up
    most of such a request's time (the essay page has no rate limit of its own). A signed-in reader is
    answered here only when their session is exactly what Flask-Login would accept without changing it (a
    current password, the same browser and address, no message waiting, no remember-me cookie to set), so
    the answer is the app's, byte for byte. Everything else, and every reader this cannot answer (a page not
    stored yet, staff, a course they cannot see, a missing essay), goes on to the app, which checks, renders
    and stores."""

    def __init__(self, app: Flask):
        self.app = app
        self.wsgi_app = app.wsgi_app

    def __call__(self, environ: dict, start_response):
        answer = self._stored_answer(environ) if "/essays/" in environ.get("PATH_INFO", "") else None
        if answer is None:
            return self.wsgi_app(environ, start_response)
        return answer(environ, start_response)

    def _stored_answer(self, environ: dict) -> Response | None:
        config = self.app.config
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING") or not config.get("PAGE_CACHE_DIR"):
            return None
        reader = Request(environ)
        try:
            endpoint, args = self.app.create_url_adapter(reader).match()
        except HTTPException:
            return None
        if endpoint != "posts.essay":
            return None
        signed_in = self._signed_in_reader(reader)
        if signed_in is None:
            return None
        with self._app_context():
            try:
                return self._answer(reader, args["slug"], args["post_slug"], *signed_in)
            except SQLAlchemyError:
                return None  # the app answers, with its own error page if the database is down

    def _signed_in_reader(self, reader: Request) -> tuple[int | None, str, str] | None:
        """(user id, session fingerprint, form token) of the session's account, (None, "", "") for a visitor
        with no session, or None when only the app can tell who this is or must change the session."""
        config = self.app.config
        remembered = reader.cookies.get(config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME))
        if not reader.cookies.get(config["SESSION_COOKIE_NAME"]):
            return None if remembered else (None, "", "")
        opened = self.app.session_interface.open_session(self.app, reader)
        if opened is None or not set(opened) <= QUIET_SESSION_KEYS or opened.permanent or "csrf_token" not in opened:
            return None  # a message waiting, a remember-me cookie to set or clear, a session to refresh
        user_id, _, fingerprint = str(opened.get("_user_id", "")).partition(":")
        if not user_id.isdigit() or config.get("REMEMBER_COOKIE_REFRESH_EACH_REQUEST"):
            return None
        protection = config.get("SESSION_PROTECTION", login_manager.session_protection)
        if protection in ("basic", "strong") and opened.get("_id") != login_identifier(reader):
            return None  # Flask-Login would mark the session no longer fresh, or end it
        return int(user_id), fingerprint, opened["csrf_token"]

    def _app_context(self):
        """This app's context, unless the caller already has it pushed (as a request does: see Flask's
        RequestContext.push)."""
        if has_app_context() and current_app._get_current_object() is self.app:
            return nullcontext()
        return self.app.app_context()

    def connect(self) -> Connection:
        """A connection of its own, for one statement in no transaction (DriverStatement): the ORM session's
        bookkeeping around that read cost more than the read."""
        return db.engine.connect()

    def _answer(self, reader: Request, course_slug: str, post_slug: str, viewer_id: int | None, fingerprint: str,
                form_token: str) -> Response | None:
        now = utcnow()
        with self.connect() as connection:
            probe = essay_probe(course_slug, post_slug, viewer_id, now, reader.environ, connection)
        if viewer_id is not None and (
            probe is None or probe.viewer_is_admin or probe.viewer_password_hash is None
            or password_fingerprint(probe.viewer_password_hash, probe.viewer_session_generation) != fingerprint
        ):
            return None  # the app's login check decides: a changed password, or a logout, ends the session
        answer = _reader_answer(probe, viewer_id, form_token, now, reader)
        return None if answer is None else add_security_headers(answer, self.app.config)


# Keys of a signed-in session that the app reads without changing (Flask-Login's, and the form token).
QUIET_SESSION_KEYS = frozenset({"_user_id", "_fresh", "_id", "csrf_token"})


def login_identifier(reader: Request) -> str:
    """Flask-Login's session identifier (flask_login.utils._create_identifier) for this request: its address
    (the first X-Forwarded-For entry, else the peer's) and browser, worked out without a request context."""
    address = reader.headers.get("X-Forwarded-For", reader.remote_addr)
    if address is not None:
        address = address.encode("utf-8").split(b",")[0].strip()
    user_agent = reader.headers.get("User-Agent")
    if user_agent is not None:
        user_agent = user_agent.encode("utf-8")
    return hashlib.sha512(f"{address}|{user_agent}".encode()).hexdigest()
