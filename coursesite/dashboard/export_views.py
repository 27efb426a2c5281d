"""Releasing an assignment's grades to students, and the gradebook files.

Instructors and site admins release grades and export the gradebook; TAs do not
(docs/design.md#who-may-do-what).
"""

from __future__ import annotations

from flask import Response, flash, g, redirect, render_template, request, url_for

from coursesite.dashboard.blueprint import bp, course_assignment, permits
from coursesite.extensions import db
from coursesite.grading import gradebook_csv as gradebook
from coursesite.grading import grades
from coursesite.grading import reports as grade_reports
from coursesite.models import utcnow
from coursesite.permissions import can_release_grades


@bp.route("/assignments/<int:assignment_id>/release", methods=["GET", "POST"])
@permits(can_release_grades)
def release(assignment_id: int):
    """GET asks for confirmation (it works without JavaScript); POST releases."""
    course = g.course
    assignment = course_assignment(course, assignment_id)
    if request.method == "GET":
        queue = grade_reports.grading_queue(assignment)
        return render_template("dashboard/release.html", assignment=assignment, students=len(queue),
                               graded=sum(1 for row in queue if row.result.graded and not row.result.excused),
                               excused=sum(1 for row in queue if row.result.excused),
                               waiting=sum(1 for row in queue if row.needs_grading))
    if grades.release_grades(assignment, utcnow()):
        db.session.commit()
        flash(f"Grades of {assignment.title} are released: students see them on My grades.", "success")
        _send_to_lms(assignment)
    else:
        flash(f"Grades of {assignment.title} were already released.", "info")
    return redirect(url_for("dashboard.home", slug=course.slug))


def _send_to_lms(assignment) -> None:
    from coursesite.lti.scores import send_after_release, sent_message

    sent = send_after_release(assignment)
    if sent.accepted or sent.failed or sent.left:
        flash(*sent_message(sent))


@bp.route("/assignments/<int:assignment_id>/unrelease", methods=["POST"])
@permits(can_release_grades)
def unrelease(assignment_id: int):
    course = g.course
    assignment = course_assignment(course, assignment_id)
    if grades.unrelease_grades(assignment):
        db.session.commit()
        flash(f"Grades of {assignment.title} are hidden from students again.", "success")
    else:
        flash(f"Grades of {assignment.title} were not released.", "info")
    return redirect(url_for("dashboard.home", slug=course.slug))


def _csv_response(text: str, filename: str) -> Response:
    # A byte-order mark lets Excel read names in any script; Canvas and Moodle skip it.
    response = Response(("\ufeff" + text).encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _wants(name: str) -> bool:
    return request.args.get(name) == "1"


def _filename(kind: str, include_unreleased: bool) -> str:
    """demo-101-canvas-gradebook-2026-12-05.csv, demo-101-canvas-gradebook-with-unreleased-2026-12-05.csv…:
    each variant its own name, so two downloads never read as one file."""
    variant = "-with-unreleased" if include_unreleased else ""
    return f"{g.course.slug}-{kind}{variant}-{utcnow():%Y-%m-%d}.csv"


@bp.route("/export/canvas.csv")
@permits(can_release_grades)
def export_canvas():
    """?separate=1: essay and comment columns; ?unreleased=1: every assignment, released or not."""
    include_unreleased, separate = _wants("unreleased"), _wants("separate")
    book = grade_reports.load_gradebook(g.course, include_unreleased=include_unreleased)
    # Asked for every assignment, the file has a column for each, even one nobody has a grade in yet.
    text = gradebook.canvas_csv(book, separate=separate, every_item=include_unreleased)
    kind = "canvas-gradebook-separate" if separate else "canvas-gradebook"
    return _csv_response(text, _filename(kind, include_unreleased))


@bp.route("/export/grades.csv")
@permits(can_release_grades)
def export_csv():
    include_unreleased = _wants("unreleased")
    book = grade_reports.load_gradebook(g.course, include_unreleased=include_unreleased)
    return _csv_response(gradebook.plain_csv(book), _filename("grades", include_unreleased))
