"""The comment thread's shared parts, rendered once and kept in Flask-Caching.

Every reader sees the same heading (avatar, name, role, time, "Edited") and text of a comment; only which
comments are shown, their status lines and the links and forms under them differ between readers, and those
are rendered per request (comments/_section.html). The parts are kept under a key made from everything they
show (each comment's id, author's name, initials and role, times and text; the course's time zone; the
code), read on every request with the thread itself, so an edit, a new or removed comment, a renamed author
or a changed setting gives a new key at once: a kept part is never stale.
"""

from __future__ import annotations

from flask import current_app
from markupsafe import Markup

from coursesite.discussion.thread import CommentView
from coursesite.extensions import cache, code_version
from coursesite.models import Course
from coursesite.posts.essay_cache import digest

PARTS_TEMPLATE = "comments/_comment_parts.html"
PART_NAMES = ("meta", "content")


def shown_comments(thread: list[CommentView]) -> list[CommentView]:
    """The comments of a nested thread, in page order, that show a heading and a text."""
    found: list[CommentView] = []
    stack = list(reversed(thread))
    while stack:
        view = stack.pop()
        if view.state != "removed":
            found.append(view)
        stack.extend(reversed(view.children))
    return found


def _shown_facts(view: CommentView) -> tuple:
    return (view.id, view.author_name, view.initials, view.avatar_hue, view.role, view.created_at, view.edited_at,
            view.body_html)


def parts_key(course: Course, views: list[CommentView]) -> str:
    facts = (code_version(), course.timezone, [_shown_facts(view) for view in views])
    return "comment-parts:" + digest(facts)


def comment_parts(course: Course, thread: list[CommentView]) -> dict[int, dict[str, Markup]]:
    """comment id -> {"meta": heading, "content": text} as HTML, for the comments of `thread` that show them."""
    views = shown_comments(thread)
    if not views:
        return {}
    key = parts_key(course, views)
    kept = cache.get(key)
    if kept is None:
        macros = current_app.jinja_env.get_template(PARTS_TEMPLATE).module
        kept = {view.id: tuple(str(getattr(macros, name)(view)) for name in PART_NAMES) for view in views}
        cache.set(key, kept)
    return {comment_id: dict(zip(PART_NAMES, map(Markup, html), strict=True)) for comment_id, html in kept.items()}
