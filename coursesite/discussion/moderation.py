"""Moderation: approve or reject held comments, hide and unhide, reports, suspending a commenter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select, union, update

from coursesite.discussion.comments import CommentError
from coursesite.extensions import db
from coursesite.models import Comment, CommentReport, Course, Enrollment, Post, User, utcnow
from coursesite.notifications import notices as notifications

MAX_REASON = 500


def _reason(text: str | None, what: str) -> str:
    reason = " ".join((text or "").split())
    if not reason:
        raise CommentError(f"Give a reason {what}.")
    if len(reason) > MAX_REASON:
        raise CommentError(f"Keep the reason under {MAX_REASON} characters.")
    return reason


def _resolve_reports(comment: Comment, now: datetime) -> None:
    db.session.execute(
        update(CommentReport)
        .where(CommentReport.comment_id == comment.id, CommentReport.resolved_at.is_(None))
        .values(resolved_at=now)
        .execution_options(synchronize_session=False)
    )


def approve(comment: Comment, moderator: User, now: datetime | None = None) -> str:
    """Publish a held comment (its notifications go out now), or keep a reported one and close its reports."""
    now = now or utcnow()
    if comment.deleted_at is not None:
        raise CommentError("This comment was deleted by its author.", 409)
    message = "The comment stays; its reports are closed."
    if comment.status == "held":
        comment.status = "visible"
        comment.moderated_by_id = moderator.id
        parent = db.session.get(Comment, comment.parent_id) if comment.parent_id else None
        notifications.notify_new_comment(comment, comment.post, parent, now)
        message = "The comment is approved and shown."
    elif comment.status == "hidden":
        raise CommentError("This comment is hidden; unhide it instead.", 409)
    _resolve_reports(comment, now)
    db.session.flush()
    return message


def reject(comment: Comment, moderator: User, now: datetime | None = None) -> None:
    if comment.status != "held":
        raise CommentError("Only comments awaiting approval can be rejected; hide this one instead.", 409)
    comment.status = "hidden"
    comment.hidden_reason = "Not approved"
    comment.moderated_by_id = moderator.id
    _resolve_reports(comment, now or utcnow())
    db.session.flush()


def hide(comment: Comment, moderator: User, reason: str | None, now: datetime | None = None) -> None:
    comment.hidden_reason = _reason(reason, "for hiding this comment")
    comment.status = "hidden"
    comment.moderated_by_id = moderator.id
    _resolve_reports(comment, now or utcnow())
    db.session.flush()


def unhide(comment: Comment, moderator: User) -> None:
    if comment.status != "hidden":
        raise CommentError("This comment is not hidden.", 409)
    comment.status = "visible"
    comment.hidden_reason = None
    comment.moderated_by_id = moderator.id
    db.session.flush()


def report(comment: Comment, reporter: User, reason: str | None, now: datetime | None = None) -> bool:
    """Report a comment to the staff; False when this person already has an open report on it."""
    if comment.author_id == reporter.id:
        raise CommentError("You cannot report your own comment. You can edit or delete it.", 409)
    text = _reason(reason, "for reporting this comment")
    open_report = db.session.scalar(
        select(CommentReport.id).where(
            CommentReport.comment_id == comment.id,
            CommentReport.reporter_id == reporter.id,
            CommentReport.resolved_at.is_(None),
        )
    )
    if open_report is not None:
        return False
    db.session.add(
        CommentReport(comment_id=comment.id, reporter_id=reporter.id, reason=text, created_at=now or utcnow())
    )
    db.session.flush()
    return True


def set_suspended(enrollment: Enrollment, suspended: bool) -> None:
    if enrollment.role != "student":
        raise CommentError("Only students can be suspended from commenting.", 409)
    enrollment.comment_suspended = suspended
    db.session.flush()


def _waiting_filter(course: Course):
    # Ids first (held, or with an open report), then the course: one pass, not a report lookup per comment.
    waiting_ids = union(
        select(Comment.id).where(Comment.status == "held"),
        select(CommentReport.comment_id).where(CommentReport.resolved_at.is_(None)),
    )
    return and_(
        Post.course_id == course.id,
        Comment.deleted_at.is_(None),
        Comment.status.in_(("held", "visible")),
        Comment.id.in_(waiting_ids),
    )


def waiting_count(course: Course) -> int:
    """Held comments and reported ones still shown: what the queue asks staff to look at."""
    return db.session.scalar(
        select(func.count(Comment.id)).join(Post, Post.id == Comment.post_id).where(_waiting_filter(course))
    ) or 0


@dataclass
class QueueItem:
    comment: Comment
    post: Post
    author_name: str
    enrollment_id: int | None
    author_suspended: bool
    reports: list[tuple[str, str, datetime]]  # (reporter name, reason, when)


def queue(course: Course) -> list[QueueItem]:
    rows = db.session.execute(
        select(Comment, Post, User.display_name, Enrollment.course_name, Enrollment.id, Enrollment.comment_suspended)
        .join(Post, Post.id == Comment.post_id)
        .join(User, User.id == Comment.author_id)
        .outerjoin(Enrollment, and_(Enrollment.user_id == Comment.author_id, Enrollment.course_id == course.id))
        .where(_waiting_filter(course))
        .order_by(Comment.created_at, Comment.id)
    ).all()
    ids = [row[0].id for row in rows]
    reports: dict[int, list[tuple[str, str, datetime]]] = {}
    if ids:
        for comment_id, name, reason, at in db.session.execute(
            select(CommentReport.comment_id, User.display_name, CommentReport.reason, CommentReport.created_at)
            .join(User, User.id == CommentReport.reporter_id)
            .where(CommentReport.comment_id.in_(ids), CommentReport.resolved_at.is_(None))
            .order_by(CommentReport.created_at)
        ):
            reports.setdefault(comment_id, []).append((name, reason, at))
    return [
        QueueItem(comment, post, course_name or name, enrollment_id, bool(suspended), reports.get(comment.id, []))
        for comment, post, name, course_name, enrollment_id, suspended in rows
    ]


def suspended_students(course: Course) -> list[tuple[Enrollment, str]]:
    rows = db.session.execute(
        select(Enrollment, User.display_name)
        .join(User, User.id == Enrollment.user_id)
        .where(Enrollment.course_id == course.id, Enrollment.comment_suspended.is_(True), Enrollment.ended_at.is_(None))
        .order_by(User.display_name)
    ).all()
    return [(enrollment, enrollment.course_name or name) for enrollment, name in rows]
