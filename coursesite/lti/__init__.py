"""LTI 1.3 Advantage: Coursesite opened from Canvas, Moodle, Blackboard or D2L, with grades sent back."""

from __future__ import annotations

from flask import Flask


def init_lti(app: Flask) -> None:
    from . import models  # noqa: F401 - the tables join the metadata
    from .cli import lti_command
    from .framing import init_framing
    from .views import bp

    app.register_blueprint(bp)
    init_framing(app)
    app.cli.add_command(lti_command)
