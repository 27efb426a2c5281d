"""HTTP validation of the essay page: an ETag from one cheap query, so an unchanged page costs a 304.

The tag changes when a comment arrives, is edited, deleted or moderated; when the essay changes; when
a scheduled essay comes due (the previous/next links move); when the reader's own comments change (their
participation hint); when the comment form opens or closes; and with the reader. No worker keeps a copy of
the page: every request asks the database, so comments posted through other workers show at once.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask import Response, request, session
from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Comment, Post
from ..services.comments import closed_reason


def essay_etag(post: Post, viewer_id: int | None, staff: bool, now: datetime) -> str:
    on_post = select(
        func.count(Comment.id),
        func.max(Comment.id),
        func.sum(case((Comment.status == "visible", 1), else_=0)),
        func.max(func.coalesce(Comment.edited_at, Comment.created_at)),
        func.max(Comment.deleted_at),
    ).where(Comment.post_id == post.id)
    newest_essay = (
        select(func.max(Post.published_at))
        .where(Post.course_id == post.course_id, Post.status == "published", Post.published_at <= now,
               Post.deleted_at.is_(None))
        .scalar_subquery()
    )
    own_latest = (
        select(func.max(func.coalesce(Comment.edited_at, Comment.created_at))).where(Comment.author_id == viewer_id)
        .scalar_subquery()
    )
    row = db.session.execute(on_post.add_columns(newest_essay, own_latest)).one()
    parts = (
        post.id, post.version, post.status, post.modified_at, post.updated_at, post.deleted_at, post.published_at,
        post.is_live(now), *row, viewer_id, staff, closed_reason(post, now), now.date(),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def may_answer_not_modified() -> bool:
    """Only a plain GET without a message waiting to be shown can be answered from the browser's copy."""
    return request.method == "GET" and not session.get("_flashes")


def not_modified(etag: str) -> Response | None:
    if may_answer_not_modified() and request.if_none_match.contains(etag):
        response = Response(status=304)
        mark(response, etag)
        return response
    return None


def mark(response: Response, etag: str) -> Response:
    if may_answer_not_modified():
        response.set_etag(etag)
        # Stored, but checked with the server before every use; the page differs per reader.
        response.headers["Cache-Control"] = "private, no-cache"
        response.vary.add("Cookie")
    return response
