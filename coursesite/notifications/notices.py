"""Telling people about comments: the essay's author of new comments, a commenter of replies.

In the app (a count in the header, a list) and by email, as each person chose: a daily digest (the
default), each at once, or none. Digests go out by `flask --app wsgi send-digests`. A notification's email is
claimed (Notification.emailed_at) before it is sent and marked taken (email_accepted_at) once the mail server
took it, so running the command twice sends nothing new; a claim never marked taken (its run or request died
while sending) is taken again once its lease is over (notifications.lease: `not_emailed` is the one rule). The
same command tries again, once a few minutes have passed and within a day, an email "at once" that the mail
server refused or whose sender died, while its notice is unread and its comment shown. An email sent again
has the same Message-ID, so a mailbox that had it already shows it once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache, partial

from flask import url_for
from sqlalchemy import ColumnElement, Select, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import aliased

from coursesite.extensions import db
from coursesite.links import comment_url
from coursesite.models import Comment, Course, Enrollment, Notification, Post, User, utcnow
from coursesite.notifications.lease import mark_taken, not_emailed
from coursesite.notifications.mail import Mail, deliver_after_commit, holding_mail, stable_message_id


@dataclass(frozen=True)
class NotificationItem:
    id: int
    kind: str
    created_at: datetime
    read: bool
    commenter: str
    post_title: str
    course_title: str
    course_slug: str
    course_timezone: str
    post_slug: str
    comment_id: int
    excerpt: str


def notify_new_comment(comment: Comment, post: Post, parent: Comment | None, now: datetime | None = None) -> None:
    """Create the notifications a newly shown comment causes (never to its own author)."""
    now = now or utcnow()
    recipients = recipients_of_new_comment(comment.author_id, post, parent)
    db.session.add_all(Notification(user_id=user_id, kind=kind, comment_id=comment.id, created_at=now)
                       for user_id, kind in recipients.items())
    db.session.flush()
    send_instant(comment, set(recipients), now)


def recipients_of_new_comment(author_id: int, post: Post, parent: Comment | None) -> dict[int, str]:
    """Who a newly shown comment tells, and why: the commenter it answers ("reply") and the essay's author
    ("comment"), never its own author. Two people at most."""
    recipients: dict[int, str] = {}
    if parent is not None and parent.author_id != author_id and parent.deleted_at is None:
        recipients[parent.author_id] = "reply"
    if post.author_id != author_id and post.author_id not in recipients:
        recipients[post.author_id] = "comment"
    return recipients


def _shown() -> list:
    """Notifications about comments that are still shown on an essay still on the blog."""
    return [Comment.status == "visible", Comment.deleted_at.is_(None), Post.deleted_at.is_(None)]


def _base() -> Select:
    return (
        select(Notification, Comment, Post, Course, User.display_name, Enrollment.course_name)
        .join(Comment, Comment.id == Notification.comment_id)
        .join(Post, Post.id == Comment.post_id)
        .join(Course, Course.id == Post.course_id)
        .join(User, User.id == Comment.author_id)
        .outerjoin(Enrollment, and_(Enrollment.user_id == Comment.author_id, Enrollment.course_id == Post.course_id))
        .where(*_shown())
    )


def _reader_may_read() -> ColumnElement[bool]:
    """permissions.can_read_course in SQL, for a notice's reader and its comment's course: mail never takes a
    comment to someone who may not read it, such as a student since removed from a members-only course."""
    reader, enrolled = aliased(User), aliased(Enrollment)  # _base joins both already, for the commenter
    return or_(
        Course.visibility == "public",
        # Correlated explicitly: nested in a claim's EXISTS, the notice is two levels up.
        select(reader.id).where(reader.id == Notification.user_id, reader.is_admin).correlate_except(reader).exists(),
        select(enrolled.id).where(enrolled.user_id == Notification.user_id, enrolled.course_id == Course.id,
                                  enrolled.ended_at.is_(None)).correlate_except(enrolled).exists(),
    )


def _item(row) -> NotificationItem:
    note, comment, post, course, name, course_name = row
    text = " ".join(comment.body.split())
    return NotificationItem(
        id=note.id, kind=note.kind, created_at=note.created_at, read=note.read_at is not None,
        commenter=course_name or name, post_title=post.title, course_title=course.title, course_slug=course.slug,
        course_timezone=course.timezone, post_slug=post.slug, comment_id=comment.id,
        excerpt=text if len(text) <= 160 else text[:157].rstrip() + "…",
    )


def unread_count_query(user_id) -> Select:
    """The header's count (comments still shown in a course the reader may read, and deadline reminders);
    `user_id` is a value or a bound parameter (the essay page's one statement)."""
    return (
        select(func.count(Notification.id))
        .outerjoin(Comment, Comment.id == Notification.comment_id)
        .outerjoin(Post, Post.id == Comment.post_id)
        .outerjoin(Course, Course.id == Post.course_id)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None),
               or_(Notification.reminder_id.is_not(None), and_(*_shown(), _reader_may_read())))
    )


def unread_count(user_id: int) -> int:
    return db.session.scalar(_unread_count_statement(), {"user_id": user_id}) or 0


@lru_cache(maxsize=1)
def _unread_count_statement() -> Select:
    """Built once, with a parameter: the header of every page a signed-in reader sees shows it."""
    return unread_count_query(bindparam("user_id"))


def recent_for(user_id: int, limit: int = 100) -> list[NotificationItem]:
    rows = db.session.execute(
        _base().where(Notification.user_id == user_id, _reader_may_read())
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    ).all()
    return [_item(row) for row in rows]


def mark_read(user_id: int, notification_id: int | None = None, now: datetime | None = None) -> int:
    """Mark one notification (or all of them) as read; the number changed."""
    query = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    result = db.session.execute(query.values(read_at=now or utcnow()).execution_options(synchronize_session=False))
    return result.rowcount or 0


def _line(item: NotificationItem) -> str:
    what = "replied to your comment on" if item.kind == "reply" else "commented on"
    link = comment_url(item.course_slug, item.post_slug, item.comment_id, _external=True)
    return f"{item.commenter} {what} “{item.post_title}” ({item.course_title}):\n  {item.excerpt}\n  {link}"


def send_instant(comment: Comment, user_ids: set[int], now: datetime) -> None:
    """Email the notified people who chose each at once, once the comment is committed; most chose the digest,
    so usually nothing is read. Their settings are taken from the session where it has them (the essay's
    author comes with the essay)."""
    people = (db.session.get(User, user_id) for user_id in user_ids)
    recipients = {user.id: user for user in people
                  if user is not None and user.notify_email == "instant" and user.email is not None}
    if not recipients:
        return
    rows = db.session.execute(
        _base().where(Notification.comment_id == comment.id, not_emailed(Notification, now),
                      Notification.user_id.in_(list(recipients)), _reader_may_read())
    ).all()
    for row in rows:
        note = row[0]
        deliver_after_commit(instant_mail(recipients[note.user_id], _item(row)))
        # Claimed now, with the comment, marked taken once the server takes the mail, and unclaimed if it
        # refuses: while it is under way (after the response, perhaps slowly) no run of send-digests can take it
        # too, so it never goes twice; a worker that dies first leaves the claim to lapse (lease.EMAIL_LEASE).
        note.emailed_at = now
        if not holding_mail():  # a command's mail goes at its commit, where no answer can be recorded
            note.email_accepted_at = now


def instant_mail(user: User, item: NotificationItem) -> Mail:
    """One comment's email; a refusal unmarks its notice, for send-digests to try again."""
    return Mail(user.email, f"New comment on “{item.post_title}”", _line(item) + "\n", "comment notice",
                if_refused=partial(emails_refused, [item.id]), if_taken=partial(emails_taken, [item.id]),
                message_id=stable_message_id(user.email, "comment notice", item.id))


# Tried again from ten minutes after the comment (a refusal then is no longer a moment old) for a day and an
# hour, so the windows of daily runs of send-digests overlap even when a run starts later in the day than the one
# before (a scheduler's jitter, a slow round of digests first) and each refused email has one more try; the
# claim keeps an email the overlap finds twice from going twice.
RETRY_AFTER = timedelta(minutes=10)
RETRY_FOR = timedelta(days=1, hours=1)


def instant_retries(now: datetime) -> list[tuple[User, list[NotificationItem]]]:
    """Emails "at once" not sent (refused, or their sender died), unread and of comments still shown, to people
    who still want them: each person's, oldest first."""
    rows = db.session.execute(
        _base().where(not_emailed(Notification, now), Notification.read_at.is_(None), _reader_may_read(),
                      Notification.created_at <= now - RETRY_AFTER,
                      Notification.created_at > now - RETRY_AFTER - RETRY_FOR)
        .order_by(Notification.created_at, Notification.id)
    ).all()
    return _by_person(rows, "instant")


def pending_digests(now: datetime) -> list[tuple[User, list[NotificationItem]]]:
    """Unread, not yet emailed notifications of people who chose the digest (and may still read the comment's
    course): each person's, oldest first."""
    rows = db.session.execute(
        _base().where(not_emailed(Notification, now), Notification.read_at.is_(None), _reader_may_read())
        .order_by(Notification.created_at, Notification.id)
    ).all()
    return _by_person(rows, "digest")


def _by_person(rows, setting: str) -> list[tuple[User, list[NotificationItem]]]:
    users = _recipients({row[0].user_id for row in rows}, setting)
    grouped: dict[int, list[NotificationItem]] = defaultdict(list)
    for row in rows:
        if row[0].user_id in users:
            grouped[row[0].user_id].append(_item(row))
    return [(users[user_id], items) for user_id, items in grouped.items()]


def retry_mail(user: User, items: list[NotificationItem]) -> Mail:
    """What a person's refused emails told: one comment's email, or all in one (after a day's outage, one email
    rather than a pile)."""
    return instant_mail(user, items[0]) if len(items) == 1 else digest_mail(user, items)


def claim_emails(notification_ids: list[int], setting: str, now: datetime) -> set[int]:
    """Claim these notices' email, for this run to send; the ones it took. It leaves those another run took (a
    claim over its lease excepted: that run died), and those that since the run listed them (a run waiting on a
    slow server takes minutes) were read, whose comment was hidden or deleted, whose reader chose other emails
    (`setting` is the choice they are sent for) or may no longer read the course."""
    # Asked of each notice's own comment and reader: a set of every shown comment would be read for each claim.
    readable = (select(Comment.id).join(Post, Post.id == Comment.post_id).join(Course, Course.id == Post.course_id)
                .where(Comment.id == Notification.comment_id, *_shown(), _reader_may_read()).exists())
    wanting = select(User.id).where(User.id == Notification.user_id, User.notify_email == setting,
                                    User.email.is_not(None)).exists()
    claim = (update(Notification)
             .where(not_emailed(Notification, now), Notification.read_at.is_(None), readable, wanting)
             .values(emailed_at=now)
             .returning(Notification.id)
             .execution_options(synchronize_session=False))
    taken: set[int] = set()
    for batch in _batches(notification_ids):  # in one transaction: the claim is still all or nothing
        taken.update(db.session.scalars(claim.where(Notification.id.in_(batch))))
    return taken


def emails_refused(notification_ids: list[int]) -> None:
    """The mail server refused the notices' email: unmarked, for send-digests to try again."""
    for batch in _batches(notification_ids):
        db.session.execute(update(Notification).where(Notification.id.in_(batch)).values(emailed_at=None)
                           .execution_options(synchronize_session=False))


def emails_taken(notification_ids: list[int]) -> None:
    """The mail server took the notices' email: never sent again."""
    for batch in _batches(notification_ids):
        mark_taken(Notification, batch)


# Each id is a bound parameter, and a statement takes only so many (PostgreSQL's protocol 65,535, SQLite 32,766
# or, as some are built, fewer): someone who chooses the digest after months without email can have more notices.
IDS_PER_STATEMENT = 500


def _batches(ids: list[int]) -> list[list[int]]:
    return [ids[start:start + IDS_PER_STATEMENT] for start in range(0, len(ids), IDS_PER_STATEMENT)]


def _recipients(user_ids: set[int], setting: str) -> dict[int, User]:
    if not user_ids:
        return {}
    users = db.session.scalars(
        select(User).where(User.id.in_(user_ids), User.notify_email == setting, User.email.is_not(None))
    )
    return {user.id: user for user in users}


# A digest names the newest comments up to this many and counts the rest: a backlog (someone who chose the digest
# after months without email) is not mailed as megabytes a mail server may refuse every day.
DIGEST_COMMENTS_NAMED = 50


def digest_mail(user: User, items: list[NotificationItem]) -> Mail:
    """One email naming the comments (oldest first), the newest DIGEST_COMMENTS_NAMED of them if there are more."""
    count = len(items)
    subject = f"{count} new comment{'s' if count != 1 else ''} on Coursesite"
    named = items[-DIGEST_COMMENTS_NAMED:]
    body = "\n\n".join(_line(item) for item in named)
    if count > len(named):
        earlier = count - len(named)
        link = url_for("comments.notifications", _external=True)
        body = (f"{count} new comments. The newest {len(named)} are below; the {earlier} before them are not listed "
                f"here (your notifications page shows the newest: {link}).\n\n{body}")
    footer = "\n\nChange how often you get these emails on your account page."
    return Mail(user.email, subject, f"Hello {user.display_name},\n\n{body}{footer}\n", "comment digest",
                message_id=stable_message_id(user.email, "comment digest", *sorted(item.id for item in items)))
