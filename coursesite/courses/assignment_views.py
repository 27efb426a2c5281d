"""Assignments: the list, the assignment page, and creating and editing one (course staff)."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from coursesite.courses.assignment_forms import AssignmentForm
from coursesite.courses.blueprint import bp
from coursesite.courses.pages import load_assignment
from coursesite.coursework import assignments as assignment_service
from coursesite.extensions import db
from coursesite.models import Assignment, Course, utcnow
from coursesite.participation.deadlines import load_deadline_book, work_item
from coursesite.permissions import can_manage_assignments, can_view_assignments, course_view, is_member
from coursesite.security import form_checks_csrf
from coursesite.text.timefmt import LocalTimeError


def _form_for(assignment: Assignment | None, course: Course) -> AssignmentForm:
    if assignment is None:
        return AssignmentForm()
    form = AssignmentForm(obj=assignment)
    # Times are typed in the course's zone: what was not sent starts from the local wall-clock time.
    for name in AssignmentForm.DATETIME_FIELDS:
        if request.method == "GET" or name not in request.form:
            form[name].show_local(getattr(assignment, name), course.timezone)
    return form


def _add_error(field, message: str) -> None:
    field.errors = [*field.errors, message]


def read_values(form: AssignmentForm, course: Course) -> dict | None:
    """The form's values in the model's terms (UTC times, floats), or None after marking what is wrong."""
    values, ok = {}, True
    for name in AssignmentForm.DATETIME_FIELDS:
        try:
            values[name] = form[name].to_utc(course.timezone)
        except LocalTimeError:
            ok = False
    for name in AssignmentForm.NUMBER_FIELDS:
        data = form[name].data
        values[name] = float(data) if isinstance(data, Decimal) else data
    for name in ("title", "prompt", "late_policy", "peer_mode", "peer_scope", "canvas_assignment_id"):
        values[name] = form[name].data or ""
    for name, message in assignment_service.check_assignment(values):
        _add_error(form[name], message)
        ok = False
    return values if ok else None


def _warn_about_peers(course: Course, assignment: Assignment) -> None:
    warning = assignment_service.peer_warning(course, assignment)
    if warning:
        flash(warning, "warning")


@bp.route("/c/<slug>/assignments/")
@course_view(can_view_assignments)
def assignments(course: Course):
    now = utcnow()
    listed = db.session.scalars(assignment_service.assignments_query(course)).all()
    items = {}
    if is_member(current_user, course) and not can_manage_assignments(current_user, course):
        book = load_deadline_book(listed, [current_user.id])
        items = {a.id: book.item(a.id, current_user.id, now) for a in listed}
    return render_template("courses/assignments.html", assignments=listed, items=items, now=now)


@bp.route("/c/<slug>/assignments/new", methods=["GET", "POST"])
@course_view(can_manage_assignments)
@form_checks_csrf
def new_assignment(course: Course):
    form = _form_for(None, course)
    if form.is_submitted():
        valid = form.validate()
        values = read_values(form, course)
        if valid and values is not None:
            assignment = assignment_service.create_assignment(course, values)
            db.session.commit()
            flash(f"“{assignment.title}” is created.", "success")
            _warn_about_peers(course, assignment)
            return redirect(url_for("courses.assignment", slug=course.slug, assignment_id=assignment.id))
    return render_template("courses/assignment_form.html", form=form, assignment=None)


@bp.route("/c/<slug>/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
@course_view(can_manage_assignments)
@form_checks_csrf
def edit_assignment(course: Course, assignment_id: int):
    assignment = load_assignment(course, assignment_id)
    form = _form_for(assignment, course)
    if form.is_submitted():
        valid = form.validate()
        values = read_values(form, course)
        if valid and values is not None:
            assignment_service.update_assignment(assignment, values)
            db.session.commit()
            flash("Assignment saved.", "success")
            _warn_about_peers(course, assignment)
            return redirect(url_for("courses.assignment", slug=course.slug, assignment_id=assignment.id))
    return render_template("courses/assignment_form.html", form=form, assignment=assignment)


@bp.route("/c/<slug>/assignments/<int:assignment_id>")
@course_view(can_view_assignments)
def assignment(course: Course, assignment_id: int):
    assignment = load_assignment(course, assignment_id)
    now = utcnow()
    staff = can_manage_assignments(current_user, course)
    item = None
    if is_member(current_user, course) and not staff:
        item = work_item(assignment, current_user.id, now)
    context = {"assignment": assignment, "item": item, "now": now, "staff": staff,
               "is_open": staff or current_user.is_admin or assignment_service.is_open(assignment, now)}
    if staff:
        context["section_dates"] = assignment_service.section_dates(assignment)
        context["sections"] = {s.id: s for s in assignment_service.course_sections(course)}
        context["peer_warning"] = assignment_service.peer_warning(course, assignment)
    return render_template("courses/assignment.html", **context)


@bp.app_template_global("time_left")
def time_left(due, now):
    """'in 2 days', '3 h ago': how far a deadline is."""
    from coursesite.participation.deadline_rules import time_left_text

    return time_left_text(due, now)


@bp.app_template_filter("minutes_text")
def minutes_text(minutes: int) -> str:
    from datetime import timedelta

    from coursesite.text.timefmt import elapsed_text

    return elapsed_text(timedelta(minutes=minutes or 0))
