"""Flask commands: `flask --app wsgi create-user`, `demo`, and the import/export commands."""

from __future__ import annotations

from flask import Flask


def init_cli(app: Flask) -> None:
    from .users import create_user_command, demo_command

    for command in (create_user_command, demo_command):
        app.cli.add_command(command)
    from .digests import send_digests_command

    app.cli.add_command(send_digests_command)
