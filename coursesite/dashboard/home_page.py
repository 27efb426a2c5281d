"""The dashboard's home: one page of the participation table, what needs attention, and the pictures.

Counted afresh on each view (participation/counts.py and a few aggregates): only the page's rows are
rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import get_template_attribute, url_for
from markupsafe import Markup

from coursesite.dashboard import charts
from coursesite.dashboard.attention import Attention, needs_attention
from coursesite.dashboard.facts import load_course_facts
from coursesite.dashboard.matrix import AssignmentHead, MatrixPage, Row, build_cells, build_matrix, row_order
from coursesite.models import Course


@dataclass(frozen=True)
class MatrixView:
    """The page of the participation table shown."""

    sections: list[tuple[int, str]]  # the course's, for the filter
    assignments: list[AssignmentHead]
    rows: list[Markup]
    sort: str
    section_id: int | None


@dataclass(frozen=True)
class DashboardHome:
    matrix: MatrixView
    page: MatrixPage
    attention: Attention
    pictures: Markup


def dashboard_home(course: Course, now: datetime, sort: str, section_id: int | None,
                   page_number: int) -> DashboardHome:
    """Page `page_number` of the table, of one section (all with None), sorted; attention for the same
    students (the whole section or class, whatever the page)."""
    facts = load_course_facts(course, now)
    if section_id not in {sid for sid, _name in facts.sections}:
        section_id = None
    matrix = build_matrix(facts, scored=False)  # the page's rows are scored below, for the rows shown only
    rows = [row for row in matrix.rows if section_id is None or row.student.section_id == section_id]
    key = row_order(sort)
    if key is None:
        sort = "name"
    else:
        rows.sort(key=lambda row: key(row.student, row.total))
    page = MatrixPage.of(len(rows), page_number)
    shown_students = {row.student.user_id for row in rows}
    attention = needs_attention(matrix, facts)
    if section_id is not None:
        attention = attention.of_students(shown_students)
    row_html = get_template_attribute("dashboard/_matrix_row.html", "matrix_row")
    links = grade_links(course.slug, matrix.assignments)
    essays = facts.essays_by_pair()
    shown = [row_html(Row(row.student, build_cells(facts, row.student, essays)), course, links)
             for row in rows[page.first - 1:page.last]]
    counts = charts.chart_counts(facts)
    pictures = get_template_attribute("dashboard/_charts.html", "pictures")(
        charts.activity_chart(counts), charts.comment_web(counts))
    view = MatrixView(facts.sections, matrix.assignments, shown, sort, section_id)
    return DashboardHome(view, page, attention, pictures)


def grade_links(slug: str, assignments: list[AssignmentHead]) -> dict[int, str]:
    """Each column's grading address but the student id at its end: built once per column, not per cell."""
    return {a.id: url_for("dashboard.grade", slug=slug, assignment_id=a.id, student_id=0).removesuffix("0")
            for a in assignments}
