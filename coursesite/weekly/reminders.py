"""Reminders before a student's own deadlines: an email and a notice, once per deadline.

A student who has not published their essay, or is short of comments, when their own deadline (extension,
section, accommodation) is within the course's lead time gets one reminder for it. Never when excused or
done, never to someone who turned reminders off, never in a course that does not send them. The
sent_reminders row, unique per (person, assignment, kind, deadline), makes `send-reminders` safe to run
twice or every ten minutes; a changed deadline is a new reminder.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import delete, select

from coursesite.extensions import db
from coursesite.models import Assignment, Course, Enrollment, Notification, SentReminder, User
from coursesite.notifications.mail import Mail
from coursesite.participation.deadline_rules import EssayState
from coursesite.participation.deadlines import DeadlineBook, load_deadline_book
from coursesite.text.timefmt import deadline_text
from coursesite.weekly.counts import comments_done

ESSAY_OWED = (EssayState.NOT_STARTED, EssayState.DRAFT)


@dataclass(frozen=True)
class Reminder:
    user: User
    course: Course
    assignment: Assignment
    kind: str  # "essay" | "comments"
    deadline: datetime
    text: str


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


def _already_sent(assignment_ids: list[int], now: datetime) -> set[tuple[int, int, str, datetime]]:
    """The reminders sent for deadlines still to come (past ones can no longer be due)."""
    rows = db.session.execute(
        select(SentReminder.user_id, SentReminder.assignment_id, SentReminder.kind, SentReminder.deadline)
        .where(SentReminder.assignment_id.in_(assignment_ids), SentReminder.deadline > now)
    )
    return {tuple(row) for row in rows}


def course_reminders(course: Course, now: datetime) -> list[Reminder]:
    """The reminders of one course due now and not sent yet."""
    until = now + timedelta(hours=course.reminder_hours)
    assignments = list(db.session.scalars(
        select(Assignment).where(Assignment.course_id == course.id,
                                 (Assignment.opens_at.is_(None)) | (Assignment.opens_at <= now))))
    students = _students(course)
    if not assignments or not students:
        return []
    book = load_deadline_book(assignments, students)
    sent = _already_sent([a.id for a in assignments], now)
    pending = [c for c in _candidates(book, assignments, now, until) if (c[1], c[0].id, c[2], c[3]) not in sent]
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
        reminders.append(Reminder(students[student_id], course, assignment, kind, deadline, text))
    return reminders


def reminders_due(now: datetime) -> list[Reminder]:
    courses = db.session.scalars(select(Course).where(Course.send_reminders.is_(True)).order_by(Course.id))
    return [r for course in courses for r in course_reminders(course, now)]


def record(reminder: Reminder, now: datetime) -> SentReminder:
    """The reminder's row and its notice; flushing raises IntegrityError when another run recorded it first."""
    row = SentReminder(user_id=reminder.user.id, assignment_id=reminder.assignment.id, kind=reminder.kind,
                       deadline=reminder.deadline, text=reminder.text, sent_at=now)
    db.session.add(row)
    db.session.flush()
    # Emailed on its own just now: the comment digest leaves it out.
    db.session.add(Notification(user_id=reminder.user.id, kind="reminder", reminder_id=row.id, created_at=now,
                                read_at=None, emailed_at=now))
    db.session.flush()
    return row


def forget(row_id: int) -> None:
    """Undo `record` when the mail server refused the reminder: the next run tries it again, notice and all."""
    db.session.execute(delete(Notification).where(Notification.reminder_id == row_id))
    db.session.execute(delete(SentReminder).where(SentReminder.id == row_id))


def mail(reminder: Reminder) -> Mail:
    link = url_for("week.course", slug=reminder.course.slug, _external=True)
    subject = f"Reminder: {reminder.assignment.title} ({reminder.course.title})"
    body = (f"Hello {reminder.user.display_name},\n\n{reminder.text}\n\nWhat is due this week: {link}\n\n"
            "You can turn these reminders off on your account page.\n")
    return Mail(reminder.user.email, subject, body, "deadline reminder")


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


