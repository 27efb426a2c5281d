"""`flask --app wsgi send-digests`: email each person who chose the digest their unread notifications.

A scheduler (cron, a systemd timer) runs it daily. Each notification is emailed once: a person's notices are
claimed by a conditional UPDATE, and committed, before their digest is sent, and marked taken, committed,
once the mail server took it, so running the command twice, one after the other or at once, sends nothing
twice; a digest the server refused is given back and tried again on the next run, as is one that failed on
this side (a setting smtplib cannot encode), which also stops the run. A run killed while the server answers
(out of memory, a deploy) leaves claims never marked taken: the first run after their lease
(lease.EMAIL_LEASE, an hour) takes them again. One refused digest does not stop the others; the command then
exits with status 1, for the scheduler to report.

A server that took a digest but timed out before saying so counts it refused, and the next run sends it
again: with the same Message-ID (mail.stable_message_id), which mailboxes that drop duplicates show once.

It also tries again the comment emails "at once" that the server refused, or whose request's worker died
before sending them (notices.instant_retries says which), claimed the same way; the request's own attempt
holds that claim while under way, marks it taken once sent and gives it back if refused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import click
from flask.cli import with_appcontext

from coursesite.extensions import db
from coursesite.models import User, utcnow
from coursesite.notifications import notices as notifications
from coursesite.notifications.mail import Mail, deliver
from coursesite.notifications.notices import NotificationItem


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
    now = utcnow()
    sent = failed = 0
    for user, items in notifications.pending_digests(now):
        taken, delivered = _send_claimed(user, items, "digest", notifications.digest_mail, now)
        if taken and delivered:
            sent += 1
        elif taken:
            failed += 1
    return sent, failed


def send_refused_instant() -> tuple[int, int]:
    """(sent, refused again)"""
    now = utcnow()
    sent = failed = 0
    for user, items in notifications.instant_retries(now):
        taken, delivered = _send_claimed(user, items, "instant", notifications.retry_mail, now)
        if delivered:
            sent += taken
        else:
            failed += taken
    return sent, failed


def _send_claimed(user: User, items: list[NotificationItem], setting: str,
                  compose: Callable[[User, list[NotificationItem]], Mail], now: datetime) -> tuple[int, bool]:
    """Claim the person's notices and send the email `compose` makes of those taken; marked taken once the server
    took it, given back if refused. How many were taken (none: another run sends them, or they no longer need
    sending), and whether the server took the email."""
    taken = notifications.claim_emails([item.id for item in items], setting, now)
    mail = compose(user, [item for item in items if item.id in taken]) if taken else None
    db.session.commit()  # the claim seen by other runs; no transaction open while the server answers
    if mail is None:
        return 0, False
    try:
        delivered = deliver(mail)
    except Exception:
        # Not the mail server's answer but our own failure (a setting smtplib cannot encode, say): the notices
        # are given back, not left claimed and never sent, and the run stops with the error.
        _give_back(taken)
        raise
    if delivered:
        notifications.emails_taken(list(taken))
        db.session.commit()
    else:
        _give_back(taken)
    return len(taken), delivered


def _give_back(taken: set[int]) -> None:
    notifications.emails_refused(list(taken))
    db.session.commit()
