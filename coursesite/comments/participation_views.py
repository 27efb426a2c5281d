"""Required comments where people act: a student's My comments checklist; staff's assigned readers."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from coursesite.comments.blueprint import bp
from coursesite.coursework.courses import students_query
from coursesite.extensions import db
from coursesite.forms import id_from, page_number, search_text
from coursesite.models import Assignment, Course, Enrollment, utcnow
from coursesite.paging import place, read_page
from coursesite.participation import checklist as checklist_service
from coursesite.participation import readers
from coursesite.participation.readers import ReaderError
from coursesite.permissions import can_manage_assignments, course_view, is_member, membership


@bp.route("/c/<slug>/my-comments")
@course_view(is_member)
def my_comments(course: Course):
    enrollment = membership(current_user, course)
    lists = checklist_service.checklists(course, current_user.id) if enrollment.role == "student" else []
    assignments = [] if enrollment.role == "student" else db.session.scalars(
        select(Assignment).where(Assignment.course_id == course.id).order_by(Assignment.comments_due_at, Assignment.id)
    ).all()
    return render_template("comments/my_comments.html", checklists=lists, enrollment=enrollment, now=utcnow(),
                           assignments=assignments)


def _course_assignment(course: Course, assignment_id: int) -> Assignment:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.course_id != course.id:
        abort(404)
    return assignment


def _int(name: str) -> int | None:
    return id_from((request.form.get(name) or "").strip())


FEWER_SHOWN = 50  # essays with fewer readers than the assignment asks, listed


@dataclass(frozen=True)
class ReaderRow:
    student: Enrollment
    given: list[readers.Given]


@bp.route("/c/<slug>/assignments/<int:assignment_id>/readers", methods=["GET", "POST"], endpoint="readers")
@course_view(can_manage_assignments)
def readers_page(course: Course, assignment_id: int):
    """Who reads whom, fifty readers a page with a search; the essays with fewer readers than asked."""
    assignment = _course_assignment(course, assignment_id)
    # The forms post to the page's own address, so its ?q= and ?page= say where to come back to.
    search, number = search_text(), page_number()
    if request.method == "POST":
        return _change_readers(course, assignment, place(search, number))
    page, students = read_page(students_query(course, search), number)
    given = readers.essays_given_to(assignment, [e.user_id for e in students])
    rows = [ReaderRow(e, given.get(e.user_id, [])) for e in students]
    counts = readers.reader_counts(assignment, FEWER_SHOWN)
    return render_template("comments/readers.html", assignment=assignment, rows=rows, page=page, search=search,
                           essays=readers.live_essays(assignment), counts=counts,
                           chosen_reader=id_from(request.args.get("reader", "")),
                           chosen_essay=id_from(request.args.get("essay", "")))


def _change_readers(course: Course, assignment: Assignment, back: dict):
    action = request.form.get("action")
    # One form adds pairs for the whole class: the page comes back with its reader still chosen (another essay for
    # them is the likely next step), and after a refusal with the essay too, on the page and search it was sent from.
    chosen = {}
    try:
        if action == "assign":
            plan = readers.assign_readers(assignment)
            message = (f"Readers assigned: {len(plan.pairs)} pairs"
                       f" ({len(plan.added)} new, {len(plan.removed)} moved or removed).")
        elif action == "add":
            chosen = {"reader": _int("reviewer_id"), "essay": _int("post_id")}
            readers.add_pair(assignment, chosen["reader"] or 0, chosen["essay"] or 0)
            chosen.pop("essay")
            message = "Reader added."
        elif action == "remove":
            readers.remove_pair(assignment, _int("pair_id") or 0)
            message = "Reader removed."
        else:
            abort(400)
    except ReaderError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("comments.readers", slug=course.slug, assignment_id=assignment.id, **back, **chosen))
