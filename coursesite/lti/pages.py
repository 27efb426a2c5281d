"""What the LTI view modules share: the launch waiting for an instructor's choice, and the refusal page."""

from __future__ import annotations

from flask import abort, render_template, session
from flask_login import current_user

from coursesite.extensions import db
from coursesite.lti.framing import ANY_FRAME_POLICY
from coursesite.lti.launching import LaunchRefused
from coursesite.lti.models import LtiContext
from coursesite.models import Course

# A launch waiting for the instructor's choice (link a course, pick an assignment).
PENDING = "lti_pending"


def refused(error: LaunchRefused, course: Course | None = None):
    db.session.rollback()
    page = render_template("lti/refused.html", error=error, course=course)
    return page, error.status, {"Content-Security-Policy": ANY_FRAME_POLICY}


def pending_context() -> LtiContext:
    pending = session.get(PENDING) or {}
    context = db.session.get(LtiContext, pending.get("context_id") or 0) if current_user.is_authenticated else None
    if context is None:
        abort(404)
    return context
