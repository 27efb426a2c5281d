"""`flask --app wsgi send-reminders` and `send-staff-digest`: the course's scheduled mail, run by cron.

Each message is recorded (unique per person and deadline, or per person, course and week) and committed
before it is sent, so running a command twice, at once or again after a failure, sends nothing twice, and
no transaction is open while the mail server answers. A reminder's in-app notice is recorded with it and
stays whatever the mail server does; a reminder email the server refuses is tried again on each run until
the server takes it, but never once its deadline has passed. A staff digest the server refuses is un-recorded,
to be tried again on the next run. Either email is marked taken, committed, once the server took it: one whose
run was killed while sending is taken again by a run after its lease (notifications.lease), and goes with the
same Message-ID. The others still go, and the command exits with status 1.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coursesite.cli.digests import plural, report_not_sent
from coursesite.extensions import db
from coursesite.models import Course, SentReminder, SentStaffDigest, utcnow
from coursesite.notifications.lease import mark_taken
from coursesite.notifications.mail import Mail, deliver
from coursesite.weekly import reminders, staff_digest


def _send_recorded(mail: Mail, model, row_id: int, refused) -> bool:
    """Commit the record (row `row_id` of `model`), then send; a taken mail is marked so, a refused one has
    `refused(row_id)` undo its claim, committed."""
    db.session.commit()
    if deliver(mail):
        mark_taken(model, [row_id])
        db.session.commit()
        return True
    refused(row_id)
    db.session.commit()
    return False


@click.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Remind students of their own deadlines within their course's lead time (safe every 10 minutes).

    Each reminder leaves an in-app notice once, and is emailed once: an email the mail server refused is
    tried again on the next runs, until its deadline passes.
    """
    now = utcnow()
    sent = failed = 0
    for reminder in reminders.reminders_due(now):
        try:
            row_id = reminders.take(reminder, utcnow())  # the time now: the deadline may have passed meanwhile
        except IntegrityError:  # another run recorded this one, and sends it
            db.session.rollback()
            continue
        if row_id is None:  # another run sends it, or too late to
            db.session.rollback()
            continue
        if _send_recorded(reminders.mail(reminder, row_id), SentReminder, row_id, reminders.email_refused):
            sent += 1
        else:
            failed += 1
    click.echo(f"sent {plural(sent, 'reminder')}")
    report_not_sent(failed, "reminder", "their notices are shown in the app, and the emails tried again on the next "
                    "run, until the deadline")


@click.command("send-staff-digest")
@click.option("--silent-days", default=staff_digest.SILENT_DAYS, show_default=True, type=click.IntRange(1, 365),
              help="A student with no essay and no comment for this many days is listed as silent.")
@with_appcontext
def send_staff_digest_command(silent_days: int) -> None:
    """Email each course's instructors and TAs this week's digest (once per week; safe to run twice)."""
    now = utcnow()
    sent = failed = 0
    for course_id in db.session.scalars(select(Course.id).order_by(Course.id)).all():
        course = db.session.get(Course, course_id)
        week = staff_digest.week_of(course, now)
        people = staff_digest.recipients(course, week, now)
        if not people:
            continue
        digest = staff_digest.course_digest(course, now, silent_days)
        if digest.empty:
            continue
        subject, text = f"This week in {course.title}", staff_digest.digest_text(digest, now)
        for person, lapsed_id in people:
            try:
                row_id = staff_digest.take(person, course, week, lapsed_id, utcnow())
            except IntegrityError:  # another run recorded this one, and sends it
                db.session.rollback()
                continue
            if row_id is None:  # another run took the lapsed claim first
                db.session.rollback()
                continue
            mail = staff_digest.mail(person, course, week, subject, text)
            if _send_recorded(mail, SentStaffDigest, row_id, staff_digest.forget):
                sent += 1
            else:
                failed += 1
    click.echo(f"sent {plural(sent, 'staff digest')}")
    report_not_sent(failed, "staff digest")
