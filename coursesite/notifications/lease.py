"""Which emails are still to send: a claim (emailed_at) not confirmed taken (email_accepted_at) within a lease.

A run claims an email, commits the claim, sends, then marks it taken; a refusal gives the claim back. A run killed
while the server answers (out of memory, a deploy, kill -9), or a request's worker that dies before its mail goes,
leaves a claim nobody confirms: once the lease is over the next run takes it again, by the same conditional
UPDATE, so two runs at once still never both take it. A staff digest's claim is its row (made at sent_at, deleted
on a refusal): `lapsed` alone says whether it is to send again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, update

from coursesite.extensions import db
from coursesite.models import utcnow

# Far longer than any one send, which smtplib bounds: each of its steps (connect, STARTTLS, login, MAIL, RCPT,
# DATA, the message) times out after mail.SMTP_TIMEOUT_S, a few minutes in all; a request's emails wait for its
# response first, seconds. A claim older than this is no longer under way. Too short would send an email twice
# while its run is merely slow; an hour late is still the same day for a daily digest.
EMAIL_LEASE = timedelta(hours=1)


def not_emailed(model, now: datetime) -> ColumnElement[bool]:
    """Rows of `model` (a Notification, a SentReminder) whose email is still to send: never claimed, given back
    after a refusal, or claimed by a run that never said the server took it and is over its lease."""
    return or_(model.emailed_at.is_(None), lapsed(model.emailed_at, model.email_accepted_at, now))


def lapsed(claimed_at, accepted_at, now: datetime) -> ColumnElement[bool]:
    """A claim made at `claimed_at` that the server was never said to take (`accepted_at`) and is over its lease."""
    return and_(accepted_at.is_(None), claimed_at <= now - EMAIL_LEASE)


def mark_taken(model, row_ids: list[int]) -> None:
    """The mail server took the email of these rows of `model` (a Notification, a SentReminder, a SentStaffDigest):
    never sent again. As many ids as one statement takes (notices.IDS_PER_STATEMENT)."""
    db.session.execute(update(model).where(model.id.in_(row_ids)).values(email_accepted_at=utcnow())
                       .execution_options(synchronize_session=False))
