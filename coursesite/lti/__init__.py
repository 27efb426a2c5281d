"""LTI 1.3 Advantage: Coursesite opened from Canvas, Moodle, Blackboard or D2L, with grades sent back."""

from __future__ import annotations

from flask import Flask


def init_lti(app: Flask) -> None:
    from coursesite.lti import (  # noqa: F401 - their routes
        admin_views,
        course_views,
        deep_link_views,
        models,  # noqa: F401 - the tables join the metadata
        views,
    )
    from coursesite.lti.blueprint import bp
    from coursesite.lti.cli import lti_command
    from coursesite.lti.framing import init_framing

    app.register_blueprint(bp)
    init_framing(app)
    app.cli.add_command(lti_command)
    app.add_template_global(_score_report, "lti_score_report")
    app.add_template_global(_roster_linked, "lti_roster_linked")


def _score_report(assignment):
    """The LMS gradebook state of an assignment, or None when it has no LMS column."""
    from coursesite.lti.scores import report

    found = report(assignment)
    return found if found.line_items else None


def _roster_linked(course) -> bool:
    from sqlalchemy import select

    from coursesite.extensions import db
    from coursesite.lti.models import LtiContext

    return db.session.scalar(select(LtiContext.id).where(
        LtiContext.course_id == course.id, LtiContext.memberships_url.is_not(None)).limit(1)) is not None
