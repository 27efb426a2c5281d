"""`flask --app wsgi send-reminders` and `send-staff-digest`: the course's scheduled mail, run by cron.

Each message is recorded (unique per person and deadline, or per person, course and week) and committed
as soon as it is sent, so running a command twice, at once or again after a failure, sends nothing twice.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coursesite.extensions import db
from coursesite.models import Course, utcnow
from coursesite.notifications.mail import send_mail
from coursesite.weekly import reminders, staff_digest


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


@click.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Remind students of their own deadlines within their course's lead time (safe every 10 minutes)."""
    now = utcnow()
    sent = 0
    for reminder in reminders.reminders_due(now):
        try:
            reminders.record(reminder, now)
        except IntegrityError:  # another run sent this one
            db.session.rollback()
            continue
        reminders.mail(reminder)
        db.session.commit()
        sent += 1
    click.echo(f"sent {_plural(sent, 'reminder')}")


@click.command("send-staff-digest")
@click.option("--silent-days", default=staff_digest.SILENT_DAYS, show_default=True, type=click.IntRange(1, 365),
              help="A student with no essay and no comment for this many days is listed as silent.")
@with_appcontext
def send_staff_digest_command(silent_days: int) -> None:
    """Email each course's instructors and TAs this week's digest (once per week; safe to run twice)."""
    now = utcnow()
    sent = 0
    for course_id in db.session.scalars(select(Course.id).order_by(Course.id)).all():
        course = db.session.get(Course, course_id)
        week = staff_digest.week_of(course, now)
        people = staff_digest.recipients(course, week)
        if not people:
            continue
        digest = staff_digest.course_digest(course, now, silent_days)
        if digest.empty:
            continue
        text = staff_digest.digest_text(digest, now)
        for person in people:
            try:
                staff_digest.record(person, course, week, now)
            except IntegrityError:
                db.session.rollback()
                continue
            send_mail(person.email, f"This week in {course.title}", f"Hello {person.display_name},\n\n{text}")
            db.session.commit()
            sent += 1
    click.echo(f"sent {_plural(sent, 'staff digest')}")
