"""Flask commands: `flask --app wsgi create-user`, `demo`, `send-digests`, `send-reminders`,
`send-staff-digest`, `prune-cache`, and the WXR import/export."""

from __future__ import annotations

from flask import Flask


def init_cli(app: Flask) -> None:
    from coursesite.cli.cache import prune_cache_command
    from coursesite.cli.digests import send_digests_command
    from coursesite.cli.reminders import send_reminders_command, send_staff_digest_command
    from coursesite.cli.users import create_user_command, demo_command
    from coursesite.cli.wxr import export_wxr_command, import_wxr_command

    for command in (create_user_command, demo_command, send_digests_command, send_reminders_command,
                    send_staff_digest_command, prune_cache_command, import_wxr_command, export_wxr_command):
        app.cli.add_command(command)
