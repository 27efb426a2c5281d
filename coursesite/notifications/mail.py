"""Outgoing mail: SMTP when configured, otherwise written to the log (development).

Mail goes out once the database work it reports is committed, never while a transaction is open: a slow
mail server must not hold the database's locks, and one that is down must not undo, or turn into an error,
what the person did. A mail the server does not take is logged (recipient and kind, never the text, which
may hold a sign-in link) and reported to the caller, who tells the person acting where that matters.

Mail queued with `deliver_after_commit` during a request is nobody's news on the page (a password reset, a
comment notice), so it waits for the response too: the server sends the whole response, then closes it, and
closing sends the mail. A slow mail server then neither slows the page nor, by how long a reset takes,
tells who has an account (the app holds a request's mail: `hold_committed_mail`, `held_mail`). Outside a
request (a command) it goes at the commit. A view whose page says whether the mail was taken (a roster's
invitations) calls `deliver` itself, after its commit. Mail held for after the response may say what to undo
if the server refuses it (`if_refused`, e.g. a comment notice's mark that it was emailed, so that a command
tries it again), and what to record once it is taken (`if_taken`, the mark that it was); mail sent at a
command's commit cannot, the transaction being over.

Every message has a Message-ID. A notice's, reminder's or staff digest's email takes one made of what it tells
(`stable_message_id`): sent again after all (its run died, or the server took it and then timed out), it is the
same message, and mail systems that drop a duplicate (Gmail does) show it once. Other mail takes a random one.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
from collections.abc import Callable
from contextlib import closing, suppress
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import urlsplit

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, SessionTransaction

from coursesite.extensions import db

log = logging.getLogger("coursesite.mail")

# A mail server that is down, refusing or too slow: smtplib's errors, and OSError for a refused connection,
# an unknown host, a TLS failure or a timeout.
MAIL_ERRORS = (smtplib.SMTPException, OSError)
SMTP_TIMEOUT_S = 20
_AFTER_COMMIT = "coursesite.mail_after_commit"
_HELD = "coursesite_held_mail"  # in flask.g while mail committed is held (a request's, until its response is sent)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    kind: str  # what the mail is, for the log: "password reset", "course invitation", ...
    if_refused: Callable[[], None] | None = None  # database work `deliver_all` does, and commits, on a refusal
    if_taken: Callable[[], None] | None = None  # and once the server took it
    message_id: str | None = None  # None: a random one


def _mail_host() -> str:
    return urlsplit(current_app.config.get("BASE_URL") or "").hostname or "localhost"


def stable_message_id(to: str, kind: str, *what: object) -> str:
    """The Message-ID of the email to this address of `what` (a notice's id, a digest's sorted, a reminder's row, a
    staff digest's course and week): the same each time it is sent, another for anything else."""
    made_of = "\n".join([to.lower(), kind, *(str(part) for part in what)])
    return f"<{hashlib.sha256(made_of.encode()).hexdigest()[:40]}@{_mail_host()}>"


def send_mail(to: str, subject: str, body: str, message_id: str | None = None) -> None:
    """Send one message now; raises one of MAIL_ERRORS when the server does not take it."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Message-ID"] = message_id or make_msgid(domain=_mail_host())
    # One line: a title typed with a line break (an essay's, a course's) is no header injection, nor an error.
    message["Subject"] = " ".join(subject.split())
    message.set_content(body)
    if not config.get("MAIL_SERVER"):
        log.info("mail to %s: %s\n%s", to, subject, body)
        outbox = current_app.extensions.get("coursesite_outbox")
        if outbox is not None:
            outbox.append(message)
        return
    with closing(smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT_S)) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)
        # Taken: an error answering the goodbye (smtplib's `with` raises it) must not count it refused, and so
        # send it again.
        with suppress(*MAIL_ERRORS):
            smtp.quit()


def deliver(mail: Mail) -> bool:
    """Send now (call it with no transaction open); False, logged, when the mail server did not take it."""
    return _attempt(mail) is None


def _attempt(mail: Mail) -> Exception | None:
    """Send now; the error, logged, when the mail server did not take it."""
    try:
        send_mail(mail.to, mail.subject, mail.body, mail.message_id)
    except MAIL_ERRORS as error:
        log.warning("%s mail to %s not sent: %s: %s", mail.kind, mail.to, type(error).__name__, error)
        return error
    return None


def _unreachable(error: Exception) -> bool:
    """No answer from the mail server (refused, unknown, timed out, cut off), as against an answer refusing
    one message (an unknown recipient, a full mailbox): the next message would wait as long for nothing."""
    return isinstance(error, smtplib.SMTPServerDisconnected) or not isinstance(error, smtplib.SMTPException)


def deliver_after_commit(mail: Mail) -> None:
    """Send once the session's transaction commits, and in a request once its response is sent; dropped if
    the transaction rolls back (nothing happened to tell). Not inside a savepoint, whose rollback alone would
    not take the mail back."""
    if db.session().in_nested_transaction():
        raise RuntimeError("mail is queued for the whole transaction, not inside a savepoint")
    db.session.info.setdefault(_AFTER_COMMIT, []).append(mail)


def hold_committed_mail() -> None:
    """From now on in this app context, committed mail waits for `held_mail` instead of going at the commit."""
    setattr(g, _HELD, [])


def held_mail() -> list[Mail]:
    """The mail committed since `hold_committed_mail`, to be sent with `deliver_all`; holding stops."""
    return g.pop(_HELD, [])


def deliver_all(app: Flask, mails: list[Mail]) -> None:
    """Send each (a refused one is logged, and its `if_refused` done; a taken one's `if_taken` done) in an app
    context of its own; called once a response is sent (register_mail says when else). Once the mail server has
    not answered, the rest are refused without asking."""
    with app.app_context():
        unreachable = False
        for mail in mails:
            if unreachable:
                # A worker waits on a silent server up to SMTP_TIMEOUT_S per attempt: once per response is enough.
                log.warning("%s mail to %s not sent: the mail server did not answer for an earlier one",
                            mail.kind, mail.to)
            else:
                error = _attempt(mail)
                if error is None:
                    _record(mail, mail.if_taken, "sent, but not marked sent")
                    continue
                unreachable = _unreachable(error)
            _record(mail, mail.if_refused, "not sent, nor kept to be tried again")


def _record(mail: Mail, work: Callable[[], None] | None, lost: str) -> None:
    """Do what the mail's answer asks (`if_taken`, `if_refused`), committed before the next mail (no transaction
    open while the server answers). A database that fails here is logged and does not stop the rest of the
    response's mail."""
    if work is None:
        return
    try:
        work()
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("%s mail to %s %s: the database failed", mail.kind, mail.to, lost)


def holding_mail() -> bool:
    """Whether committed mail waits for `held_mail` (a request's, sent after its response), rather than going at
    the commit, where nothing can be recorded of the server's answer."""
    return has_app_context() and g.get(_HELD) is not None


@event.listens_for(Session, "after_commit")
def _deliver_committed(session: Session) -> None:
    # Also called when a savepoint is released, with the transaction still open: only its end sends the mail.
    if session.in_nested_transaction():
        return
    mails = session.info.pop(_AFTER_COMMIT, [])
    held = g.get(_HELD) if has_app_context() else None
    if held is not None:
        held.extend(mails)
        return
    # The transaction is over and its locks released; nothing here reads the database.
    for mail in mails:
        deliver(mail)


@event.listens_for(Session, "after_transaction_end")
def _drop_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # a rollback of the whole transaction, or the session closed
        session.info.pop(_AFTER_COMMIT, None)
