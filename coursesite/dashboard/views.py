"""The instructor's area: grading, release and gradebook export, for a course's staff only.

The blueprint and its guard live in blueprint.py; each module below adds its routes to it.
"""

from __future__ import annotations

from flask import g, render_template

from ..services import grade_reports
from . import export_views, grade_views, rubric_views  # noqa: F401  (their routes attach to bp)
from .blueprint import bp

__all__ = ["bp"]


@bp.route("/")
def home():
    progress, student_count = grade_reports.grading_progress(g.course)
    return render_template("dashboard/home.html", progress=progress, student_count=student_count)
