"""A student's My grades: released grades with feedback; nothing of an assignment before its release.

Not in the dashboard blueprint, whose guard admits staff only.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from ..models import Course
from ..permissions import course_view, is_member
from ..services import grade_reports
from ..services.grading import course_total

bp = Blueprint("grades", __name__, url_prefix="/c/<slug>")


@bp.route("/my-grades")
@course_view(is_member)
def my_grades(course: Course):
    report = grade_reports.student_report(course, current_user.id)
    earned, possible = course_total(item.result for item in report if item.result is not None)
    return render_template("grades/my_grades.html", report=report, earned=earned, possible=possible)
