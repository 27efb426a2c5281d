"""`flask --app wsgi send-digests`: email each person who chose the digest their unread notifications.

A scheduler (cron, a systemd timer) runs it daily. Each notification is emailed once, and every person's
digest is committed as soon as it is sent, so running the command twice, or again after a failure,
sends nothing twice.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from coursesite.extensions import db
from coursesite.models import utcnow
from coursesite.notifications import notices as notifications


@click.command("send-digests")
@with_appcontext
def send_digests_command() -> None:
    """Send the notification digests that are due."""
    pending = notifications.pending_digests()
    users = notifications.digest_recipients(set(pending))
    sent = 0
    for user_id, items in pending.items():
        user = users.get(user_id)
        if user is None:
            continue
        notifications.send_digest(user, items, utcnow())
        db.session.commit()
        sent += 1
    click.echo(f"sent {sent} digest{'s' if sent != 1 else ''}")
