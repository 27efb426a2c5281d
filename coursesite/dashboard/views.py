"""The dashboard's home (the participation matrix, what needs attention, grading progress) and its pictures.

The pictures count every comment of the class (by day, by pair of students): on a page of their own they do not
hold up the table an instructor opens the dashboard for."""

from __future__ import annotations

from flask import g, render_template, request

from coursesite.dashboard import charts
from coursesite.dashboard.blueprint import bp
from coursesite.dashboard.facts import load_students
from coursesite.dashboard.home_page import dashboard_home
from coursesite.forms import id_from, page_number
from coursesite.grading import reports as grade_reports
from coursesite.models import utcnow

__all__ = ["bp"]


@bp.route("/")
def home():
    sort = request.args.get("sort", "name")
    home_page = dashboard_home(g.course, utcnow(), sort, id_from(request.args.get("section")), page_number())
    progress, class_count = grade_reports.grading_progress(g.course)
    return render_template(
        "dashboard/home.html", matrix=home_page.matrix, matrix_page=home_page.page, attention=home_page.attention,
        progress=progress, student_count=class_count.students, without_lms_ids=class_count.without_lms_ids,
    )


@bp.route("/activity")
def activity():
    students, _names = load_students(g.course)
    counts = charts.chart_counts_of(g.course, students, utcnow())
    return render_template("dashboard/activity.html", activity=charts.activity_chart(counts),
                           web=charts.comment_web(counts))
