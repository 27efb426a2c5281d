"""The dashboard's home: one page of the participation table and what needs attention.

Counted afresh on each view in SQL (participation/standing.py sorts, totals and counts the whole class): only
the page's fifty students, and the few the overdue list names, are read and built in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import get_template_attribute, url_for
from markupsafe import Markup

from coursesite.dashboard.attention import (
    Attention,
    behind_on_comments,
    overdue_essays,
    overdue_readers,
    short_of_comments,
)
from coursesite.dashboard.facts import load_class_list, load_course_facts, load_waiting
from coursesite.dashboard.matrix import AssignmentHead, Row, build_cells, row_order
from coursesite.models import Course
from coursesite.paging import ListPage
from coursesite.participation.standing import NO_TOTALS, class_picture


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
    page: ListPage
    attention: Attention


def dashboard_home(course: Course, now: datetime, sort: str, section_id: int | None,
                   page_number: int) -> DashboardHome:
    """Page `page_number` of the table, of one section (all with None), sorted; attention for the same
    students (the whole section or class, whatever the page)."""
    class_list = load_class_list(course)
    students, names, sections = class_list.students, class_list.names, class_list.sections
    if section_id not in {sid for sid, _name in sections}:
        section_id = None
    shown = [s for s in students if section_id is None or s.section_id == section_id]
    key = row_order(sort)
    if key is None or (sort == "section" and not sections):
        key, sort = None, "name"
    # Only the sort by row totals needs every comment of the class counted.
    picture = class_picture(course.id, now, comment_totals=sort == "total")
    standing = picture.standing
    ordered = shown
    if key is not None:
        ordered = sorted(shown, key=lambda s: key(s, standing.totals.get(s.user_id, NO_TOTALS)))
    page = ListPage.of(len(ordered), page_number)
    on_page = page.shown(ordered)
    # Only the page's students and those the overdue list names are read in full.
    facts = load_course_facts(course, now, student_ids={s.user_id for s in on_page}.union(
        overdue_readers(shown, standing)), timeline=False, class_list=class_list)
    heads = [AssignmentHead.of(a) for a in facts.assignments]
    attention = Attention(overdue_essays(shown, standing, facts), behind_on_comments(shown, standing, heads),
                          short_of_comments(shown, picture.short_essays, heads, names),
                          load_waiting(course, names))
    row_html = get_template_attribute("dashboard/_matrix_row.html", "matrix_row")
    links = RowLinks.of(course.slug, heads)
    essays = facts.essays_by_pair()
    rows = [row_html(Row(student, build_cells(facts, student, essays)), links, bool(sections)) for student in on_page]
    view = MatrixView(sections, heads, rows, sort, section_id)
    return DashboardHome(view, page, attention)


@dataclass(frozen=True)
class RowLinks:
    """A row's addresses but the student id at their end: built once per page (and per column), not per cell."""

    student: str
    grade: dict[int, str]  # by assignment

    @classmethod
    def of(cls, slug: str, assignments: list[AssignmentHead]) -> RowLinks:
        return cls(url_for("dashboard.student", slug=slug, user_id=0).removesuffix("0"),
                   {a.id: url_for("dashboard.grade", slug=slug, assignment_id=a.id, student_id=0).removesuffix("0")
                    for a in assignments})
