"""How many visible comments each essay has, as the blog's lists show them, kept in Flask-Caching per essay.

An entry is dropped when a comment of that essay is written, edited, moderated or deleted through the session,
so a list never shows a count older than the last commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from flask import has_app_context
from sqlalchemy import Select, and_, case, event, func, select
from sqlalchemy.orm import Session

from coursesite.extensions import cache, db
from coursesite.models import Comment

CHANGED_KEY = "coursesite.changed_comment_counts"


def _key(post_id: int) -> str:
    return f"comment-count:{post_id}"


def visible_comment_counts(post_ids: Iterable[int]) -> dict[int, int]:
    """post id -> visible comments, for the essays asked (0 for none)."""
    ids = list(dict.fromkeys(post_ids))
    if not ids:
        return {}
    kept = dict(zip(ids, cache.get_many(*map(_key, ids)), strict=True))
    missing = [post_id for post_id, count in kept.items() if count is None]
    if missing:
        counted = dict(db.session.execute(
            select(Comment.post_id, func.count(Comment.id))
            .where(Comment.post_id.in_(missing), and_(Comment.status == "visible", Comment.deleted_at.is_(None)))
            .group_by(Comment.post_id)
        ).all())
        fresh = {post_id: counted.get(post_id, 0) for post_id in missing}
        cache.set_many({_key(post_id): count for post_id, count in fresh.items()})
        kept.update(fresh)
    return kept


def comment_stamp_query(post_id: int) -> Select:
    """What changes with any new, edited, moderated or deleted comment of an essay: one aggregate row."""
    shown = case((and_(Comment.status == "visible", Comment.deleted_at.is_(None)), 1), else_=0)
    return (select(func.count(Comment.id), func.max(Comment.id), func.max(Comment.edited_at),
                   func.max(Comment.deleted_at), func.sum(shown))
            .where(Comment.post_id == post_id))


@event.listens_for(Session, "after_flush")
def _note_changed_comments(session: Session, _context) -> None:
    """Dropped now, for reads in this transaction, and again after the commit, in case another request
    counted the old rows in between."""
    changed = {item.post_id for item in chain(session.new, session.dirty, session.deleted) if isinstance(item, Comment)}
    if changed:
        session.info.setdefault(CHANGED_KEY, set()).update(changed)
        _drop(changed)


@event.listens_for(Session, "after_commit")
def _drop_changed_counts(session: Session) -> None:
    _drop(session.info.pop(CHANGED_KEY, None))


def _drop(post_ids: set[int] | None) -> None:
    if post_ids and has_app_context():
        cache.delete_many(*map(_key, post_ids))


@event.listens_for(Session, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop(CHANGED_KEY, None)
