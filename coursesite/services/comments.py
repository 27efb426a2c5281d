"""Comments on essays: the thread shown under an essay, and the rules for writing one."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from limits import parse_many
from sqlalchemy import Select, and_, bindparam, insert, or_, select, union_all

from ..database import as_loaded, column_param, first_on_driver, row_insert
from ..extensions import db
from ..models import MAX_ID, Comment, CommentRevision, Course, Enrollment, Notification, Post, User, utcnow
from . import notifications
from .rendering import render_comment
from .words import count_html_words

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
    now = now or utcnow()
    return (
        post.status == "published"
        and post.published_at is not None
        and post.published_at <= now
        and post.deleted_at is None
    )


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


# A new comment's own fields; the rest (edits, moderation, deletion, WordPress ids) start empty.
NEW_COMMENT_FIELDS = ("post_id", "author_id", "parent_id", "body", "body_html", "word_count", "status", "created_at")
REVISION_FIELDS = ("comment_id", "body", "word_count", "created_at")


# A comment post's reads and writes, on the driver's cursor: through the ORM (a unit of work for three rows,
# result objects for the reads), they cost the posting request more than all the rest of its work.
_LAST_BODY = (
    select(Comment.body)
    .join(Post, Post.id == Comment.post_id)
    .where(Comment.author_id == bindparam("author_id"), Post.course_id == bindparam("course_id"),
           Comment.deleted_at.is_(None))
    .order_by(Comment.created_at.desc(), Comment.id.desc())
    .limit(1)
)


@lru_cache(maxsize=8)
def _before_writing(paces: int) -> Select:
    """One statement for the checks a new comment needs: the author's last comment in the course (its text),
    and for each pace the time of the author's comment that is `skip_i` + 1 back (the oldest one the pace
    could count). Counted from the comments themselves, the pace holds across every worker and host."""
    nth_back = [
        select(Comment.created_at).where(Comment.author_id == bindparam("author_id"))
        .order_by(Comment.created_at.desc()).limit(1).offset(bindparam(f"skip_{i}"))
        .scalar_subquery().label(f"back_{i}")
        for i in range(paces)
    ]
    return select(_LAST_BODY.scalar_subquery().label("body"), *nth_back)


_INSERT_COMMENT = row_insert(Comment.__table__, NEW_COMMENT_FIELDS)
_INSERT_REVISION = row_insert(CommentRevision.__table__, REVISION_FIELDS)
MOST_NOTIFIED = 2  # the commenter answered and the essay's author (notifications.recipients_of_new_comment)


@lru_cache(maxsize=8)
def _comment_rows_at_once(paces: int) -> Select:
    """PostgreSQL checks and writes a new comment, its first revision and its notifications in one statement
    (the same columns as _INSERT_COMMENT, _INSERT_REVISION and the notification's INSERT, each of them checked
    by row_insert). The comment is written only if the checks of _before_writing pass, as _refusal judges
    them; the row returned has what they read, the new id (NULL when refused) and whether someone notified
    chose email at once. Each statement is a round trip, and round trips were most of what a post cost
    PostgreSQL. Unused recipients are NULL."""
    table = Comment.__table__
    checks = _before_writing(paces).cte("checks")
    allowed = and_(
        or_(checks.c.body.is_(None), checks.c.body != column_param(table, "body")),
        *(or_(checks.c[f"back_{i}"].is_(None),
              checks.c[f"back_{i}"] <= bindparam(f"since_{i}", type_=table.c.created_at.type))
          for i in range(paces)),
    )
    comment = row_insert(table, NEW_COMMENT_FIELDS, where=allowed).cte("comment")
    revision_table = CommentRevision.__table__
    revision = insert(revision_table).from_select(
        REVISION_FIELDS,
        select(comment.c.id, *(column_param(revision_table, name) for name in REVISION_FIELDS[1:])),
    ).cte("revision")
    notification_table = Notification.__table__
    people = union_all(*(
        select(bindparam(f"notify_{i}", type_=notification_table.c.user_id.type).label("user_id"),
               bindparam(f"kind_{i}", type_=notification_table.c.kind.type).label("kind"))
        for i in range(MOST_NOTIFIED)
    )).subquery("people")
    notified = insert(notification_table).from_select(
        notifications.NOTIFICATION_FIELDS,
        select(people.c.user_id, people.c.kind, comment.c.id, column_param(notification_table, "created_at"))
        .where(people.c.user_id.is_not(None)),
    ).returning(notification_table.c.user_id).cte("notified")
    instant = notifications.instant_mail_wanted(User.id.in_(select(notified.c.user_id)))
    return select(*checks.c, select(comment.c.id).scalar_subquery().label("id"),
                  instant.label("instant")).add_cte(revision, notified)


def _write_comment_rows(fields: dict, recipients: dict[int, str], course_id: int, paces: tuple[Pace, ...],
                        now: datetime) -> tuple[int, bool]:
    """Check the author's last comment and pace, then write the comment, its first revision and its
    notifications: (its id, whether to email someone now). CommentError when a check refuses it."""
    checks = {"author_id": fields["author_id"], "course_id": course_id,
              **{f"skip_{i}": pace.amount - 1 for i, pace in enumerate(paces)}}
    if db.session.get_bind().dialect.name == "postgresql":
        people = [*recipients.items(), *[(None, None)] * (MOST_NOTIFIED - len(recipients))]
        written = first_on_driver(db.session, _comment_rows_at_once(len(paces)), {
            **fields, **checks,
            **{f"since_{i}": now - timedelta(seconds=pace.seconds) for i, pace in enumerate(paces)},
            **{f"notify_{i}": user_id for i, (user_id, _) in enumerate(people)},
            **{f"kind_{i}": kind for i, (_, kind) in enumerate(people)},
        })
        if written.id is None:
            raise _refusal(written, fields["body"], paces, now) or RuntimeError("a comment refused by no rule")
        return written.id, written.instant
    error = _refusal(first_on_driver(db.session, _before_writing(len(paces)), checks), fields["body"], paces, now)
    if error is not None:
        raise error
    comment_id = first_on_driver(db.session, _INSERT_COMMENT, fields).id
    first_on_driver(db.session, _INSERT_REVISION, {"comment_id": comment_id, **{
        name: fields[name] for name in REVISION_FIELDS[1:]}})
    return comment_id, notifications.write_notifications(comment_id, recipients, fields["created_at"])


def _refusal(found, text: str, paces: tuple[Pace, ...], now: datetime) -> CommentError | None:
    """Why the checks' row refuses a new comment `text`, if it does: the author's last comment in the course
    says the same (bodies are stored stripped, as clean_body and the WordPress import leave them), or a pace
    is used up. The PostgreSQL statement above judges the same in SQL: the two must agree."""
    if found.body == text:
        return CommentError("You already posted this comment. Write something new, or edit the one you posted.")
    for i, pace in enumerate(paces):
        oldest = getattr(found, f"back_{i}")
        if oldest is not None and oldest > now - timedelta(seconds=pace.seconds):
            wait = math.ceil((oldest + timedelta(seconds=pace.seconds) - now).total_seconds())
            return CommentError(
                f"You have posted {pace.amount} comment{'s' if pace.amount != 1 else ''} in the last {pace.span}, "
                f"the most this site accepts. Your comment is kept below: post it again in {_in_words(wait)}.",
                429, retry_after=wait)
    return None


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
    fields = {"post_id": post.id, "author_id": author.id, "parent_id": parent.id if parent else None,
              **_rendered(text), "status": "held" if _should_hold(course, enrollment) else "visible",
              "created_at": now}
    recipients = (notifications.recipients_of_new_comment(author.id, post, parent)
                  if fields["status"] == "visible" else {})
    comment_id, mail_now = _write_comment_rows(fields, recipients, course.id, paces, now)
    # The row as written, in the session as if read back: callers use it like any loaded comment.
    comment = as_loaded(db.session, Comment, {**fields, "id": comment_id})
    if mail_now:
        notifications.send_instant(comment, set(recipients), now)
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
