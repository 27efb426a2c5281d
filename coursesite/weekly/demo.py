"""The demo's reminder: one sent to a student a day before their comment deadline on the second assignment,
so the notifications page shows what a reminder looks like. Recorded as sent; nothing is mailed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Assignment, Course, Notification, SentReminder
from ..services.timefmt import deadline_text
from .reminders import comments_text


def build(course: Course, people: dict, now: datetime) -> None:
    past = db.session.scalars(
        select(Assignment).where(Assignment.course_id == course.id, Assignment.comments_due_at < now,
                                 Assignment.required_comments > 1).order_by(Assignment.comments_due_at.desc())
    ).first()
    if past is None or not people["students"]:
        return
    student = people["students"][0]
    sent_at = past.comments_due_at - timedelta(hours=course.reminder_hours)
    text = comments_text(past, 1, deadline_text(past.comments_due_at, course.timezone, sent_at))
    reminder = SentReminder(user_id=student.id, assignment_id=past.id, kind="comments",
                            deadline=past.comments_due_at, text=text, sent_at=sent_at)
    db.session.add(reminder)
    db.session.flush()
    db.session.add(Notification(user_id=student.id, kind="reminder", reminder_id=reminder.id, created_at=sent_at,
                                read_at=sent_at + timedelta(hours=2), emailed_at=sent_at))
    db.session.flush()
