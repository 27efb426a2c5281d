"""A real SMTP server on 127.0.0.1 for tests that read the mail a command sends (aiosmtpd)."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Keep:
    def __init__(self, messages: list[EmailMessage]):
        self.messages = messages

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


class MailSink:
    """Started and stopped around a test; `messages` holds what arrived, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = free_port()
        self._controller = Controller(_Keep(self.messages), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> MailSink:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()

    def env(self) -> dict[str, str]:
        """The app's settings that send its mail here."""
        return {"COURSESITE_SMTP_HOST": "127.0.0.1", "COURSESITE_SMTP_PORT": str(self.port),
                "COURSESITE_SMTP_TLS": "0", "COURSESITE_MAIL_TO_LOG": "0"}
