"""`flask --app wsgi send-digests`: email each person who chose the digest their unread notifications.

A scheduler (cron, a systemd timer) runs it daily. Each notification is emailed once: a digest is marked
sent, and committed, only after the mail server took it, so running the command twice sends nothing twice,
and a digest the server refused is tried again on the next run. One refused digest does not stop the
others; the command then exits with status 1, for the scheduler to report.

It also tries again the comment emails "at once" that the server refused (notices.instant_retries says
which). Each is claimed by a conditional UPDATE of its notice before it is sent, so two runs at once send it
once; the request's own attempt holds that mark while under way and gives it back only if refused.
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


def tell_not_sent(failed: int, what: str, again: str = "they are tried again on the next run") -> int:
    """After the run: say how many the mail server refused (each is logged); the number."""
    if failed:
        click.echo(f"{plural(failed, what)} not sent: the mail server did not accept them (see the log); {again}",
                   err=True)
    return failed


def report_not_sent(failed: int, what: str, again: str = "they are tried again on the next run") -> None:
    """Say how many the mail server refused, and exit with status 1 if any."""
    if tell_not_sent(failed, what, again):
        raise SystemExit(1)


@click.command("send-digests")
@with_appcontext
def send_digests_command() -> None:
    """Send the notification digests that are due, and the comment emails the mail server refused."""
    sent, failed = send_digests()
    click.echo(f"sent {plural(sent, 'digest')}")
    resent, refused = send_refused_instant()
    if resent or refused:
        click.echo(f"sent {plural(resent, 'comment email')} the mail server had refused")
    if tell_not_sent(failed, "digest") + tell_not_sent(refused, "comment email"):
        raise SystemExit(1)


def send_digests() -> tuple[int, int]:
    """(sent, refused)"""
    pending = notifications.pending_digests()
    users = notifications.digest_recipients(set(pending))
    sent = failed = 0
    for user_id, items in pending.items():
        user = users.get(user_id)
        if user is None:
            continue
        mail = notifications.digest_mail(user, [item for _, item in items])
        db.session.commit()  # no transaction stays open while the mail server answers
        if not deliver(mail):
            failed += 1
            continue
        notifications.mark_digest_sent(user, items, utcnow())
        db.session.commit()
        sent += 1
    return sent, failed


def send_refused_instant() -> tuple[int, int]:
    """(sent, refused again)"""
    now = utcnow()
    sent = failed = 0
    for user, items in notifications.instant_retries(now):
        claimed = [item for item in items if notifications.claim_email(item.id, now)]
        if not claimed:
            continue
        mail = notifications.retry_mail(user, claimed)
        db.session.commit()  # the claims seen by other runs; no transaction open while the server answers
        if deliver(mail):
            sent += len(claimed)
            continue
        for item in claimed:
            notifications.email_refused(item.id)
        db.session.commit()
        failed += len(claimed)
    return sent, failed
