"""Reminders before a student's own deadlines: an email and a notice, once per deadline.

A student who has not published their essay, or is short of comments, when their own deadline (extension,
section, accommodation) is within the course's lead time gets one reminder for it. Never when excused or
done, never to someone who turned reminders off, never in a course that does not send them. The
sent_reminders row, unique per (person, assignment, kind, deadline), makes `send-reminders` safe to run
twice or every ten minutes; a changed deadline is a new reminder. The row and its notice are recorded once
and stay; the email is claimed on the row (emailed_at) when a run takes it, marked taken (email_accepted_at)
once the mail server took it, and unclaimed if the server refuses it, so a later run tries it again, written
afresh, while the student still owes the work and the deadline is still to come, and never after. A claim
never marked taken (its run was killed while sending) is taken again once its lease is over
(notifications.lease), with the same Message-ID.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import select, update

from coursesite.extensions import db
from coursesite.models import Assignment, Course, Enrollment, Notification, SentReminder, User
from coursesite.notifications.lease import not_emailed
from coursesite.notifications.mail import Mail, stable_message_id
from coursesite.participation.deadline_rules import EssayState
from coursesite.participation.deadlines import DeadlineBook, load_deadline_book
from coursesite.text.timefmt import deadline_text
from coursesite.weekly.counts import comments_done

ESSAY_OWED = (EssayState.NOT_STARTED, EssayState.DRAFT)

Key = tuple[int, int, str, datetime]  # (student, assignment, kind, deadline): one reminder


@dataclass(frozen=True)
class Reminder:
    user: User
    course: Course
    assignment: Assignment
    kind: str  # "essay" | "comments"
    deadline: datetime
    text: str
    record_id: int | None = None  # recorded (its notice shown) by an earlier run whose email did not go


def essay_text(assignment: Assignment, state: EssayState, due: str) -> str:
    if state is EssayState.DRAFT:
        return f"Your essay for “{assignment.title}” is still a draft; due {due}."
    return f"You have not published your essay for “{assignment.title}”; due {due}."


def comments_text(assignment: Assignment, done: int, due: str) -> str:
    required = assignment.required_comments
    return (f"You have {done} of {required} comment{'s' if required != 1 else ''} for “{assignment.title}”; "
            f"due {due}.")


def _students(course: Course) -> dict[int, User]:
    """The course's active students who want reminders and can be mailed."""
    return {user.id: user for user in db.session.scalars(
        select(User).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.course_id == course.id, Enrollment.role == "student", Enrollment.ended_at.is_(None),
               User.wants_reminders.is_(True), User.is_guest.is_(False), User.email.is_not(None))
    )}


def _candidates(book: DeadlineBook, assignments: list[Assignment], now: datetime,
                until: datetime) -> Iterator[tuple[Assignment, int, str, datetime]]:
    """(assignment, student, kind, own deadline) for every own deadline inside the window, excused left out."""
    students = sorted({user_id for _, user_id in book.dates})
    for a in assignments:
        for student_id in students:
            if (a.id, student_id) in book.excused:
                continue
            own = book.deadlines(a.id, student_id)
            if own.post is not None and now < own.post <= until:
                yield a, student_id, "essay", own.post
            if a.required_comments > 0 and own.comments is not None and now < own.comments <= until:
                yield a, student_id, "comments", own.comments


def _recorded(assignment_ids: list[int], now: datetime) -> tuple[set[Key], dict[Key, int]]:
    """The reminders recorded for deadlines still to come (past ones can no longer be due): those emailed (or
    being emailed), and the rows of those whose email is still to send."""
    rows = db.session.execute(
        select(SentReminder.id, SentReminder.user_id, SentReminder.assignment_id, SentReminder.kind,
               SentReminder.deadline, not_emailed(SentReminder, now))
        .where(SentReminder.assignment_id.in_(assignment_ids), SentReminder.deadline > now)
    )
    emailed: set[Key] = set()
    to_send: dict[Key, int] = {}
    for row_id, user_id, assignment_id, kind, deadline, still_to_send in rows:
        key = (user_id, assignment_id, kind, deadline)
        if still_to_send:
            to_send[key] = row_id
        else:
            emailed.add(key)
    return emailed, to_send


def course_reminders(course: Course, now: datetime) -> list[Reminder]:
    """The reminders of one course due now and not emailed yet."""
    until = now + timedelta(hours=course.reminder_hours)
    assignments = list(db.session.scalars(
        select(Assignment).where(Assignment.course_id == course.id,
                                 (Assignment.opens_at.is_(None)) | (Assignment.opens_at <= now))))
    students = _students(course)
    if not assignments or not students:
        return []
    book = load_deadline_book(assignments, students)
    emailed, to_send = _recorded([a.id for a in assignments], now)
    pending = [c for c in _candidates(book, assignments, now, until) if (c[1], c[0].id, c[2], c[3]) not in emailed]
    short_of = {c[1] for c in pending if c[2] == "comments"}
    done = comments_done(course.id, short_of, now) if short_of else {}
    reminders = []
    for assignment, student_id, kind, deadline in pending:
        due = deadline_text(deadline, course.timezone, now)
        if kind == "essay":
            state = book.item(assignment.id, student_id, now).status.state
            if state not in ESSAY_OWED:
                continue
            text = essay_text(assignment, state, due)
        else:
            count = done.get((assignment.id, student_id), 0)
            if count >= assignment.required_comments:
                continue
            text = comments_text(assignment, count, due)
        reminders.append(Reminder(students[student_id], course, assignment, kind, deadline, text,
                                  to_send.get((student_id, assignment.id, kind, deadline))))
    return reminders


def reminders_due(now: datetime) -> list[Reminder]:
    courses = db.session.scalars(select(Course).where(Course.send_reminders.is_(True)).order_by(Course.id))
    return [r for course in courses for r in course_reminders(course, now)]


def take(reminder: Reminder, now: datetime) -> int | None:
    """The reminder's row, its email now this run's to send: recorded with its notice the first time, else
    claimed (a claim over its lease too: that run died). None when another run claimed the email or the deadline
    has passed (no late email); recording raises IntegrityError when another run recorded it first, and sends
    it."""
    if reminder.deadline <= now:
        return None
    if reminder.record_id is None:
        return record(reminder, now)
    claimed = db.session.execute(
        update(SentReminder)
        .where(SentReminder.id == reminder.record_id, not_emailed(SentReminder, now), SentReminder.deadline > now)
        .values(emailed_at=now)
        .execution_options(synchronize_session=False)
    )
    return reminder.record_id if claimed.rowcount == 1 else None


def record(reminder: Reminder, now: datetime) -> int:
    """The reminder's row, its email claimed, and its notice, which stays whatever the mail server says."""
    row = SentReminder(user_id=reminder.user.id, assignment_id=reminder.assignment.id, kind=reminder.kind,
                       deadline=reminder.deadline, text=reminder.text, sent_at=now, emailed_at=now)
    db.session.add(row)
    db.session.flush()
    # The comment digest never sends it (it reads comments' notices only): the reminder has its own email.
    db.session.add(Notification(user_id=reminder.user.id, kind="reminder", reminder_id=row.id, created_at=now,
                                read_at=None))
    db.session.flush()
    return row.id


def email_refused(row_id: int) -> None:
    """The mail server refused the email: a later run tries it again, before the deadline; the notice stays."""
    db.session.execute(update(SentReminder).where(SentReminder.id == row_id).values(emailed_at=None)
                       .execution_options(synchronize_session=False))


def mail(reminder: Reminder, row_id: int) -> Mail:
    link = url_for("week.course", slug=reminder.course.slug, _external=True)
    subject = f"Reminder: {reminder.assignment.title} ({reminder.course.title})"
    body = (f"Hello {reminder.user.display_name},\n\n{reminder.text}\n\nWhat is due this week: {link}\n\n"
            "You can turn these reminders off on your account page.\n")
    return Mail(reminder.user.email, subject, body, "deadline reminder",
                message_id=stable_message_id(reminder.user.email, "deadline reminder", row_id))


@dataclass(frozen=True)
class Notice:
    id: int
    text: str
    read: bool
    created_at: datetime
    course_slug: str
    course_title: str
    course_timezone: str


def notices_for(user_id: int, limit: int = 50) -> list[Notice]:
    """A person's reminder notices, newest first, for the notifications page."""
    rows = db.session.execute(
        select(Notification.id, SentReminder.text, Notification.read_at, Notification.created_at, Course.slug,
               Course.title, Course.timezone)
        .join(SentReminder, SentReminder.id == Notification.reminder_id)
        .join(Assignment, Assignment.id == SentReminder.assignment_id)
        .join(Course, Course.id == Assignment.course_id)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return [Notice(nid, text, read_at is not None, at, slug, title, tz)
            for nid, text, read_at, at, slug, title, tz in rows]


