"""A student's My grades: released grades with feedback; nothing of an assignment before its release.

Not in the dashboard blueprint, whose guard admits staff only.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from coursesite.extensions import db
from coursesite.grading import reports as grade_reports
from coursesite.grading.rules import course_total
from coursesite.models import Course
from coursesite.permissions import course_view, is_member

bp = Blueprint("grades", __name__, url_prefix="/c/<slug>")


@bp.route("/my-grades")
@course_view(is_member)
def my_grades(course: Course):
    report = grade_reports.student_report(course, current_user.id)
    earned, possible = course_total(item.result for item in report if item.result is not None)
    page = render_template("grades/my_grades.html", report=report, earned=earned, possible=possible)
    # Shown once as new here; This week stops calling them new.
    grade_reports.mark_seen(report)
    db.session.commit()
    return page
