"""The instructor's area: grading, release and gradebook export, for a course's staff only.

The blueprint and its guard live in blueprint.py; each module below adds its routes to it.
"""

from __future__ import annotations

from flask import g, render_template, request

from ..models import utcnow
from ..services import charts, grade_reports
from ..services.attention import needs_attention
from ..services.dashboard import SORTS, build_matrix, page_of
from ..services.dashboard_data import load_course_facts
from . import export_views, grade_views, people_views, rubric_views  # noqa: F401  (their routes attach to bp)
from .blueprint import bp

__all__ = ["bp"]


@bp.route("/")
def home():
    sort = request.args.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    facts = load_course_facts(g.course, utcnow())
    section_ids = {sid for sid, _name in facts.sections}
    section_id = request.args.get("section", type=int)
    section_id = section_id if section_id in section_ids else None
    matrix = build_matrix(facts, sort, section_id)
    attention = needs_attention(matrix)  # the whole class, whichever page of the matrix is shown
    matrix, matrix_page = page_of(matrix, request.args.get("page", 1, type=int))
    progress, student_count = grade_reports.grading_progress(g.course)
    return render_template(
        "dashboard/home.html", matrix=matrix, matrix_page=matrix_page, attention=attention, progress=progress,
        student_count=student_count, activity=charts.activity_chart(facts), web=charts.comment_web(facts),
    )
