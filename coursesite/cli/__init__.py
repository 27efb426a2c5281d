"""Flask commands: `flask --app wsgi create-user`, `demo`, and the import/export commands."""

from __future__ import annotations

from flask import Flask


def init_cli(app: Flask) -> None:
    from .users import create_user_command, demo_command

    for command in (create_user_command, demo_command):
        app.cli.add_command(command)
    from .wxr import export_wxr_command, import_wxr_command  # noqa: E402 - one block per area

    app.cli.add_command(import_wxr_command)
    app.cli.add_command(export_wxr_command)
