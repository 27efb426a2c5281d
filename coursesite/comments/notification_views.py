"""Notifications: the list, mark as read, and the unread count every page header shows."""

from __future__ import annotations

from flask import abort, g, has_request_context, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..forms import id_from
from ..permissions import can_moderate
from ..services import moderation, notifications
from ..week.reminders import notices_for
from .blueprint import bp


@bp.route("/notifications", methods=["GET", "POST"], endpoint="notifications")
@login_required
def notifications_page():
    if request.method == "POST":
        # No notification_id marks them all ("Mark all as read"); one that names no notification marks none.
        raw = request.form.get("notification_id")
        notification_id = None if raw is None else id_from(raw)
        if raw is not None and not notification_id:
            abort(400)
        notifications.mark_read(current_user.id, notification_id)
        db.session.commit()
        return redirect(url_for("comments.notifications"))
    return render_template("comments/notifications.html", items=notifications.recent_for(current_user.id),
                           reminders=notices_for(current_user.id))


HEADER_COUNTS_KEY = "coursesite.header_counts"


def reader_header_counts(unread: int, environ: dict) -> dict:
    """The counts for a reader who moderates nothing, whose unread count was read with other facts."""
    counts = environ[HEADER_COUNTS_KEY] = {"unread_notifications": unread, "moderation_waiting": 0}
    return counts


@bp.app_context_processor
def header_counts() -> dict:
    """Unread notifications and, for staff in a course, comments waiting for moderation: once per request."""
    if not has_request_context():
        return {}
    # Kept on the request itself: a test client may share one app context (and `g`) across requests.
    counts = request.environ.get(HEADER_COUNTS_KEY)
    if counts is None:
        counts = {"unread_notifications": 0, "moderation_waiting": 0}
        if current_user.is_authenticated:
            counts["unread_notifications"] = notifications.unread_count(current_user.id)
            course = g.get("course")
            if course is not None and can_moderate(current_user, course):
                counts["moderation_waiting"] = moderation.waiting_count(course)
        request.environ[HEADER_COUNTS_KEY] = counts
    return counts
