"""Comments on essays: the thread shown under an essay, and the rules for writing one."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from limits import parse_many
from sqlalchemy import bindparam, select

from coursesite.extensions import db
from coursesite.models import MAX_ID, Comment, CommentRevision, Course, Enrollment, Post, User, utcnow
from coursesite.notifications import notices as notifications
from coursesite.text.markdown import render_comment
from coursesite.text.words import count_html_words

MAX_COMMENT_CHARS = 10_000


class CommentError(ValueError):
    """A comment that cannot be written as asked; the message is for the person writing it."""

    def __init__(self, message: str, status: int = 422, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after  # seconds, for a refusal that passes with time


@dataclass(frozen=True)
class Pace:
    """At most `amount` comments by one person in any `seconds`, `span` long in words ("minute", "5 minutes")."""

    amount: int
    seconds: int
    span: str


@lru_cache(maxsize=8)
def comment_pace(rule: str) -> tuple[Pace, ...]:
    """The limits in a rule such as "6 per minute; 60 per hour"; ValueError when it is not one."""
    paces = []
    for item in parse_many(rule):
        unit = item.GRANULARITY.name
        span = unit if item.multiples == 1 else f"{item.multiples} {unit}s"
        paces.append(Pace(item.amount, item.get_expiry(), span))
    return tuple(paces)


def post_is_live(post: Post, now: datetime | None = None) -> bool:
    """Published, its time has come, not in the trash: what everyone may read and answer."""
    return post.is_live(now or utcnow())


def closed_reason(post: Post, now: datetime | None = None) -> str | None:
    """Why nobody can comment on this essay now, or None when comments are open."""
    now = now or utcnow()
    if post.deleted_at is not None:
        return "This essay is in the trash: comments are closed."
    if post.status != "published":
        return "This essay is a draft. Comments open once it is published."
    if post.published_at is None or post.published_at > now:
        return "This essay is scheduled. Comments open once it is published."
    return None


def comment_visible_to(comment: Comment, viewer_id: int | None, staff: bool) -> bool:
    """Visible comments to all; held ones to their author and staff; hidden ones to staff; deleted to none."""
    if comment.deleted_at is not None:
        return False
    if comment.status == "visible":
        return True
    if comment.status == "held":
        return staff or (viewer_id is not None and comment.author_id == viewer_id)
    return staff


def edit_deadline(comment: Comment, course: Course) -> datetime:
    return comment.created_at + timedelta(minutes=course.comment_edit_minutes)


def can_still_edit(comment: Comment, course: Course, user_id: int | None, now: datetime | None = None) -> bool:
    return (
        user_id is not None
        and comment.author_id == user_id
        and comment.deleted_at is None
        and comment.status != "hidden"
        and (now or utcnow()) <= edit_deadline(comment, course)
    )


def clean_body(body: str | None) -> str:
    text = (body or "").replace("\r\n", "\n").strip()
    if not text:
        raise CommentError("Write your comment before posting it.")
    if len(text) > MAX_COMMENT_CHARS:
        raise CommentError(
            f"Your comment is {len(text):,} characters long; the limit is {MAX_COMMENT_CHARS:,}. "
            "Shorten it and post again."
        )
    return text


def _check_parent(post: Post, parent_id: int | None) -> Comment | None:
    if parent_id is None:
        return None
    parent = db.session.get(Comment, parent_id) if parent_id <= MAX_ID else None
    if parent is None or parent.post_id != post.id:
        raise CommentError("The comment you are replying to is not on this essay.")
    if parent.deleted_at is not None or parent.status != "visible":
        raise CommentError("The comment you are replying to is no longer shown, so it cannot be answered.")
    return parent


def _recent(author_id: int, course_id: int, paces: tuple[Pace, ...]):
    """One row: the text of the author's latest comment in the course, and for each pace the time of the
    author's comment that is pace.amount back (the oldest one the pace could count). Counted from the comments
    themselves, the pace holds across every worker and host."""
    return db.session.execute(_recent_statement(paces), {"author_id": author_id, "course_id": course_id}).one()


@lru_cache(maxsize=8)
def _recent_statement(paces: tuple[Pace, ...]):
    """_recent's statement, built once per set of paces: every comment written runs it."""
    author_id, course_id = bindparam("author_id"), bindparam("course_id")
    last_body = (
        select(Comment.body)
        .join(Post, Post.id == Comment.post_id)
        .where(Comment.author_id == author_id, Post.course_id == course_id, Comment.deleted_at.is_(None))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(1)
    )
    nth_back = [
        select(Comment.created_at).where(Comment.author_id == author_id)
        .order_by(Comment.created_at.desc()).limit(1).offset(pace.amount - 1).scalar_subquery()
        for pace in paces
    ]
    return select(last_body.scalar_subquery(), *nth_back)


def _check_allowed(author_id: int, course_id: int, text: str, paces: tuple[Pace, ...], now: datetime) -> None:
    """Refuse a comment that repeats the author's last one in the course, or that a pace has no room for."""
    last_body, *oldest_counted = _recent(author_id, course_id, paces)
    # Bodies are stored stripped, as clean_body and the WordPress import leave them.
    if last_body == text:
        raise CommentError("You already posted this comment. Write something new, or edit the one you posted.")
    for pace, oldest in zip(paces, oldest_counted, strict=True):
        if oldest is not None and oldest > now - timedelta(seconds=pace.seconds):
            wait = math.ceil((oldest + timedelta(seconds=pace.seconds) - now).total_seconds())
            raise CommentError(
                f"You have posted {pace.amount} comment{'s' if pace.amount != 1 else ''} in the last {pace.span}, "
                f"the most this site accepts. Your comment is kept below: post it again in {_in_words(wait)}.",
                429, retry_after=wait)


def _in_words(seconds: int) -> str:
    """A wait, rounded up to the unit it is told in."""
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    if seconds < 120 * 60:
        return f"{math.ceil(seconds / 60)} minutes"
    return f"{math.ceil(seconds / 3600)} hours"


def _should_hold(course: Course, enrollment: Enrollment) -> bool:
    if enrollment.role != "student" or course.comment_moderation == "off":
        return False
    if course.comment_moderation == "all":
        return True
    approved_before = db.session.scalar(
        select(Comment.id)
        .join(Post, Post.id == Comment.post_id)
        .where(Comment.author_id == enrollment.user_id, Post.course_id == course.id, Comment.status == "visible")
        .limit(1)
    )
    return approved_before is None


def _rendered(text: str) -> dict:
    """A comment's text with what is shown and counted of it."""
    html = render_comment(text)
    return {"body": text, "body_html": html, "word_count": count_html_words(html)}


def create_comment(
    post: Post,
    author: User,
    enrollment: Enrollment | None,
    body: str | None,
    parent_id: int | None = None,
    now: datetime | None = None,
    paces: tuple[Pace, ...] = (),
) -> Comment:
    """Check every rule, then write the comment, its first revision and the notifications. `paces` limit how
    many comments one person may post in a while (see comment_pace)."""
    now = now or utcnow()
    course = post.course
    if enrollment is None or enrollment.course_id != course.id or enrollment.ended_at is not None:
        raise CommentError("Only members of this course can comment. Join the course to take part.", 403)
    if enrollment.comment_suspended:
        raise CommentError("Your commenting in this course is suspended. Ask your instructor about it.", 403)
    reason = closed_reason(post, now)
    if reason:
        raise CommentError(reason, 409)
    text = clean_body(body)
    parent = _check_parent(post, parent_id)
    _check_allowed(author.id, course.id, text, paces, now)
    comment = Comment(post_id=post.id, author_id=author.id, parent_id=parent.id if parent else None,
                      status="held" if _should_hold(course, enrollment) else "visible", created_at=now,
                      **_rendered(text))
    db.session.add(comment)
    db.session.flush()
    db.session.add(CommentRevision(comment_id=comment.id, body=text, word_count=comment.word_count, created_at=now))
    if comment.status == "visible":
        notifications.notify_new_comment(comment, post, parent, now)
    db.session.flush()
    return comment


def edit_comment(comment: Comment, editor: User, body: str | None, now: datetime | None = None,
                 suspended: bool = False) -> bool:
    """Save a new version within the edit window; False when nothing changed."""
    now = now or utcnow()
    course = comment.post.course
    if comment.author_id != editor.id or comment.deleted_at is not None:
        raise CommentError("Only the author can edit this comment.", 403)
    if suspended:
        raise CommentError("Your commenting in this course is suspended. Ask your instructor about it.", 403)
    if comment.status == "hidden":
        raise CommentError("This comment was hidden by the course staff and can no longer be edited.", 403)
    if now > edit_deadline(comment, course):
        minutes = course.comment_edit_minutes
        raise CommentError(
            f"Comments can be edited for {minutes} minute{'s' if minutes != 1 else ''} after posting; "
            "this one is now fixed. Post a reply if you want to add something.",
            403,
        )
    text = clean_body(body)
    if text == comment.body:
        return False
    for name, value in _rendered(text).items():
        setattr(comment, name, value)
    comment.edited_at = now
    db.session.add(CommentRevision(comment_id=comment.id, body=text, word_count=comment.word_count, created_at=now))
    db.session.flush()
    return True


def delete_comment(comment: Comment, user: User, now: datetime | None = None) -> None:
    """Soft delete by its author: a comment with replies leaves "This comment was removed."."""
    if comment.author_id != user.id:
        raise CommentError("Only the author can delete this comment.", 403)
    if comment.deleted_at is None:
        comment.deleted_at = now or utcnow()
        db.session.flush()
