"""A real SMTP server on 127.0.0.1 for tests that read the mail a command sends (aiosmtpd)."""

from __future__ import annotations

import smtplib
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import MISSING


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Keep:
    def __init__(self, sink: MailSink):
        self.sink = sink
        self.messages = sink.messages
        self.refused = sink.refused

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        if address in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        if self.sink.lose_data_reply:
            # Taken, and then the answer never comes: the connection drops, as a timeout ends it.
            server.transport.close()
            return MISSING
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        return self.sink.quit_reply or MISSING


class MailSink:
    """Started and stopped around a test; `messages` holds what arrived, parsed; addresses put in `refused`
    are turned away, as a mail server does a mailbox it cannot deliver to. `quit_reply`, when set, answers the
    goodbye after the messages (a server that errs there has still taken them). With `lose_data_reply` it keeps
    each message and drops the connection before saying so (a sender counts it refused)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refused: set[str] = set()
        self.quit_reply: str | None = None
        self.lose_data_reply = False
        self.port = free_port()
        self._controller = Controller(_Keep(self), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> MailSink:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()

    def env(self) -> dict[str, str]:
        """The app's settings that send its mail here."""
        return {"COURSESITE_SMTP_HOST": "127.0.0.1", "COURSESITE_SMTP_PORT": str(self.port),
                "COURSESITE_SMTP_TLS": "0", "COURSESITE_MAIL_TO_LOG": "0"}


def mail_server_down(app) -> None:
    """Point the app's mail at a closed port on this machine: every connection is refused."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_TLS=False, MAIL_USERNAME=None)


def refuse_and_watch(app, monkeypatch) -> list[bool]:
    """Every SMTP connection is refused; the list gets, per attempt, whether a database transaction was open
    (a slow mail server must never hold the database's locks)."""
    from coursesite.extensions import db

    attempts: list[bool] = []

    def refused(*args, **kwargs):
        transaction = db.session().get_transaction()
        attempts.append(transaction is not None and transaction.is_active)
        raise ConnectionRefusedError(111, "Connection refused")

    mail_server_down(app)
    monkeypatch.setattr(smtplib, "SMTP", refused)
    return attempts


def mail_server_times_out(app, monkeypatch) -> list[str]:
    """Every SMTP connection times out, as a mail server that does not answer does after SMTP_TIMEOUT_S (at
    once here: no test waits). Each attempt adds "mail server asked" to the list returned, so a test can add
    its own steps and check what came first."""
    events: list[str] = []

    def timed_out(*args, **kwargs):
        events.append("mail server asked")
        raise TimeoutError("timed out")

    mail_server_down(app)
    monkeypatch.setattr(smtplib, "SMTP", timed_out)
    return events


class Killed(BaseException):
    """The run is killed (out of memory, a deploy) while the mail server answers."""


def killed_while_sending(app, monkeypatch, command: str) -> None:
    """Run the mail `command` (send-reminders, send-staff-digest), killed as it asks the mail server: what it
    committed before stays, nothing after."""
    from coursesite.extensions import db

    def dies(mail):
        raise Killed

    monkeypatch.setattr("coursesite.cli.reminders.deliver", dies)
    with pytest.raises(Killed):
        app.test_cli_runner().invoke(args=[command])
    monkeypatch.undo()
    db.session.rollback()
