"""The essay page's HTTP caching: a validator (ETag) made from what the page shows, 304 for a copy that is
still current, who may keep a copy (Cache-Control), and the page as visitors see it kept in Flask-Caching.

Only pages for readers who are not signed in are tagged: a signed-in reader's page is never kept by the
browser (security.SIGNED_IN_PAGE), so it would never be asked about. The ETag hashes the page's context (the
essay, its comment thread, the neighbours, the course's settings) and the code that renders it, so a change
to any of them gives a new tag; the page kept for visitors is stored under that tag and so is never served
stale. Access is checked before any of this: a reader who lost access gets 403/404, never a 304.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import re
from datetime import datetime
from functools import lru_cache

from flask import Response, current_app, request, session
from flask_login import current_user
from sqlalchemy import Select, bindparam, inspect

from coursesite.discussion.thread import FORM_STATE_KEY
from coursesite.essays.comment_counts import comment_stamp_query
from coursesite.essays.listing import neighbour_ids, neighbour_params
from coursesite.extensions import cache, code_version, db
from coursesite.models import Course, Post


def digest(values: tuple) -> str:
    """A short hash of plain values (rows' columns, texts, numbers, dates) for a cache key. Pickled rather than
    repr'd: a long essay or thread is copied once as it is, not escaped character by character (a visitor's
    essay key 45 → 14 µs), and pickling is undone by loading, so different values never give the same bytes."""
    return hashlib.sha256(pickle.dumps(values, protocol=5)).hexdigest()[:32]


def _row(instance) -> tuple:
    """A loaded row's column values (None for no row)."""
    if instance is None:
        return ()
    return tuple(getattr(instance, attribute.key) for attribute in inspect(type(instance)).column_attrs)


_PLAIN = (str, int, float, type(None), datetime)


@lru_cache(maxsize=64)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _shown(value):
    """`value` as plain data whose repr changes exactly when what it shows changes (rows by their columns,
    dataclasses by their fields), never by where it sits in memory. Plain values first: most are."""
    if isinstance(value, _PLAIN):
        return value
    if hasattr(value, "__table__"):
        return _row(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple((name, _shown(getattr(value, name))) for name in _field_names(type(value)))
    if isinstance(value, dict):
        return tuple((key, _shown(item)) for key, item in sorted(value.items()))
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(_shown(item) for item in value)
    return value


def essay_etag(course: Course, post: Post, context: dict) -> str:
    """The tag of the page rendered from `context` for a reader who is not signed in (a signed-in reader's page
    is never kept, so never tagged). The moment of reading counts only through what it decides (the essay live
    or scheduled, edit windows), all in `context`."""
    now = context["now"]
    parts = (
        code_version(), _row(course), _row(post), post.is_live(now), _row(post.assignment),
        [_row(term) for term in post.terms],
        # The kept comment parts are made from the thread's comments, which are in it already.
        _shown({key: value for key, value in context.items() if key not in ("now", "comment_parts")}),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def plain_read() -> bool:
    """The page as anyone reading it gets it: a GET with no query arguments but the page of a long comment
    thread as its own links write it (`?cpage=N`), no message waiting to be shown and no refused comment shown
    again. Only such a page is answered with 304 or kept."""
    return (request.method in ("GET", "HEAD") and _plain_arguments() and not session.get("_flashes")
            and FORM_STATE_KEY not in request.environ)


_COMMENT_PAGE = re.compile(r"[2-9]|[1-9][0-9]+")  # as links.comment_page_url writes it


def _plain_arguments() -> bool:
    """None, or only `cpage` as the site writes it. The page carries its own address (the Log in link's way
    back), so a copy made for `?cpage=01` or `?cpage=<any text>`, kept under the number it shows, would hand
    that address to every visitor of that page."""
    if not request.args:
        return True
    pages = request.args.getlist("cpage")
    return len(request.args) == 1 and len(pages) == 1 and _COMMENT_PAGE.fullmatch(pages[0]) is not None


def is_visitor() -> bool:
    """No session and no remember-me cookie: the page is the same for every such reader."""
    config = current_app.config
    return not (request.cookies.get(config["SESSION_COOKIE_NAME"])
                or request.cookies.get(config.get("REMEMBER_COOKIE_NAME", "remember_token")))


def shared_copy_allowed(course: Course, post: Post, now: datetime) -> bool:
    """Browsers and proxies (nginx's micro-cache) may share a copy: a visitor reading a public course's essay."""
    return course.is_public and post.is_live(now) and is_visitor() and not current_user.is_authenticated


def not_modified(etag: str) -> Response | None:
    """304 when the reader's copy carries this tag (Werkzeug's conditional response), else None. Only for a
    plain read (`plain_read`), decided by the caller before rendering."""
    if not request.if_none_match:
        return None  # no copy to compare: the page itself is the answer
    answer = Response()
    answer.set_etag(etag, weak=True)
    answer.make_conditional(request)
    return answer if answer.status_code == 304 else None


def visitor_page_key(course: Course, post: Post, now: datetime, comment_page: int = 1) -> str:
    """Where the page as visitors see it is kept: under the course's and the essay's rows (an edit, a setting),
    its comments' stamp (essays/comment_counts.comment_stamp_query) and its neighbours (one coming out or going
    away changes the navigation), read in one statement, so those reach visitors at once; what the key does not
    cover (a name, a neighbour's title) reaches them within the few seconds the page is kept, the time browsers
    and nginx may share it anyway (PUBLIC_PAGE_MAX_AGE)."""
    params = {**neighbour_params(post, now), "post_id": post.id}
    stamp = tuple(db.session.execute(_stamp_statement(), params).one())
    parts = (code_version(), _row(course), _row(post), stamp, comment_page)
    return "essay-visitor:" + digest(parts)


@lru_cache(maxsize=1)
def _stamp_statement() -> Select:
    """Built once, with parameters: building it cost more than running it."""
    return comment_stamp_query(bindparam("post_id")).add_columns(*neighbour_ids())


def kept_page(key: str) -> tuple[str, str] | None:
    """(ETag, HTML) of the visitors' page kept under `key`."""
    return cache.get(key)


def keep_page(key: str, etag: str, html: str) -> None:
    cache.set(key, (etag, html), timeout=current_app.config.get("PUBLIC_PAGE_MAX_AGE", 10))


def with_validators(response: Response, etag: str, shared: bool) -> Response:
    """The tag, and who may keep the page: `public` briefly for a shared copy, else this browser only, always
    asking first. A response that sets a cookie is never shared."""
    response.set_etag(etag, weak=True)
    response.vary.add("Cookie")
    if shared and not session.modified:
        response.cache_control.public = True
        response.cache_control.max_age = current_app.config.get("PUBLIC_PAGE_MAX_AGE", 10)
    else:
        response.cache_control.private = True
        response.cache_control.no_cache = True
    return response
