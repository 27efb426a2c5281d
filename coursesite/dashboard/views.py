"""The dashboard's home: the participation matrix, what needs attention, and grading progress."""

from __future__ import annotations

from flask import g, render_template, request

from ..forms import id_from, page_number
from ..models import utcnow
from ..services import dashboard_store, grade_reports
from .blueprint import bp

__all__ = ["bp"]


@bp.route("/")
def home():
    sort = request.args.get("sort", "name")
    summary = dashboard_store.summary(g.course, utcnow())
    section_id = id_from(request.args.get("section"))
    section_id = section_id if section_id in {sid for sid, _name in summary.sections} else None
    # Attention covers the whole class (or section), whichever page of the matrix is shown.
    matrix, matrix_page, attention = summary.view(sort, section_id, page_number())
    progress, class_count = grade_reports.grading_progress(g.course)
    return render_template(
        "dashboard/home.html", matrix=matrix, matrix_page=matrix_page, attention=attention, progress=progress,
        student_count=class_count.students, without_lms_ids=class_count.without_lms_ids, pictures=summary.pictures,
    )
