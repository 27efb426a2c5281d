"""`flask --app wsgi send-digests`: email each person who chose the digest their unread notifications.

A scheduler (cron, a systemd timer) runs it daily. Each notification is emailed once: a digest is marked
sent, and committed, only after the mail server took it, so running the command twice sends nothing twice,
and a digest the server refused is tried again on the next run. One refused digest does not stop the
others; the command then exits with status 1, for the scheduler to report.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from coursesite.extensions import db
from coursesite.models import utcnow
from coursesite.notifications import notices as notifications
from coursesite.notifications.mail import deliver


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def report_not_sent(failed: int, what: str, again: str = "they are tried again on the next run") -> None:
    """After the run: say how many the mail server refused (each is logged) and exit with status 1."""
    if failed:
        click.echo(f"{plural(failed, what)} not sent: the mail server did not accept them (see the log); {again}",
                   err=True)
        raise SystemExit(1)


@click.command("send-digests")
@with_appcontext
def send_digests_command() -> None:
    """Send the notification digests that are due."""
    pending = notifications.pending_digests()
    users = notifications.digest_recipients(set(pending))
    sent = failed = 0
    for user_id, items in pending.items():
        user = users.get(user_id)
        if user is None:
            continue
        mail = notifications.digest_mail(user, items)
        db.session.commit()  # no transaction stays open while the mail server answers
        if not deliver(mail):
            failed += 1
            continue
        notifications.mark_digest_sent(user, items, utcnow())
        db.session.commit()
        sent += 1
    click.echo(f"sent {plural(sent, 'digest')}")
    report_not_sent(failed, "digest")
