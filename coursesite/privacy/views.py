"""The privacy page, and each person's download of their own data (everywhere, or in one course)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from coursesite.extensions import limiter, person_or_address
from coursesite.models import Course
from coursesite.permissions import can_export_own_data, course_view
from coursesite.privacy.downloads import ExportTooLarge, export_response

bp = Blueprint("privacy", __name__)

TOO_LARGE = "Your data is larger than one download may be. Ask a site administrator to export it for you."


def _export_limit() -> str:
    return current_app.config["DATA_EXPORT_RATE_LIMIT"]


@bp.route("/privacy")
def page():
    return render_template("privacy/privacy.html")


@bp.route("/account/my-data")
@limiter.limit(_export_limit, key_func=person_or_address)
@login_required
def my_data():
    try:
        return export_response(current_user, None, "coursesite-my-data")
    except ExportTooLarge:
        flash(TOO_LARGE, "error")
        return redirect(url_for("auth.account"))


@bp.route("/c/<slug>/my-data")
@limiter.limit(_export_limit, key_func=person_or_address)
@course_view(can_export_own_data)
def my_course_data(course: Course):
    try:
        return export_response(current_user, course, f"coursesite-my-data-{course.slug}")
    except ExportTooLarge:
        flash(TOO_LARGE, "error")
        return redirect(url_for("courses.my_work", slug=course.slug))
