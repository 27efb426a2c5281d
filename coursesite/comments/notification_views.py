"""Notifications: the list and mark as read (the header's counts are templating.header_counts)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from coursesite.comments.blueprint import bp
from coursesite.extensions import db
from coursesite.forms import id_from
from coursesite.notifications import notices as notifications
from coursesite.weekly.reminders import notices_for


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
