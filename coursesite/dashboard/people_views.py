"""The dashboard's page per student (a timeline) and per assignment (every essay and its grade state)."""

from __future__ import annotations

from flask import abort, g, render_template

from coursesite.dashboard.blueprint import bp, course_assignment
from coursesite.dashboard.facts import load_course_facts
from coursesite.dashboard.people import assignment_page, student_page
from coursesite.forms import page_number
from coursesite.models import utcnow
from coursesite.paging import ListPage


@bp.route("/students/<int:user_id>")
def student(user_id: int):
    facts = load_course_facts(g.course, utcnow(), student_ids=[user_id])
    page = student_page(facts, user_id)
    if page is None:
        abort(404)
    return render_template("dashboard/student.html", page=page)


@bp.route("/assignments/<int:assignment_id>")
def assignment(assignment_id: int):
    chosen = course_assignment(g.course, assignment_id)
    facts = load_course_facts(g.course, utcnow(), assignment_id=chosen.id)
    lines = assignment_page(facts, chosen)
    ungraded = sum(1 for line in lines if line.cell.needs_grading)
    page = ListPage.of(len(lines), page_number())
    return render_template("dashboard/assignment.html", assignment=chosen, lines=page.shown(lines), page=page,
                           ungraded=ungraded)
