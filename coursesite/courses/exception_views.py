"""An assignment's section due dates and its per-student exceptions (extensions, excusals), for course staff."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from coursesite.courses import assignment_exceptions as exceptions
from coursesite.courses.assignment_forms import ExceptionsForm, section_deadlines_form
from coursesite.courses.blueprint import bp
from coursesite.courses.pages import load_assignment
from coursesite.coursework import assignments as assignment_service
from coursesite.coursework.courses import students_query
from coursesite.extensions import db
from coursesite.forms import choices, confirmed, page_number, search_text
from coursesite.models import Course, utcnow
from coursesite.paging import place, read_page
from coursesite.participation.deadline_rules import DueDates
from coursesite.permissions import can_manage_assignments, course_view
from coursesite.security import form_checks_csrf
from coursesite.text.timefmt import LocalTimeError


def _utc(field, tz_name: str, errors: list) -> object:
    try:
        return field.to_utc(tz_name)
    except LocalTimeError as error:
        errors.append(error)
        return None


@bp.route("/c/<slug>/assignments/<int:assignment_id>/deadlines", methods=["GET", "POST"])
@course_view(can_manage_assignments)
@form_checks_csrf
def assignment_deadlines(course: Course, assignment_id: int):
    assignment = load_assignment(course, assignment_id)
    sections = assignment_service.course_sections(course)
    current = assignment_service.section_dates(assignment)
    form = section_deadlines_form(sections)
    for section in sections:
        due = current.get(section.id, DueDates())
        for kind, value in (("post", due.post), ("comments", due.comments)):
            name = f"section_{section.id}_{kind}"
            if request.method == "GET" or name not in request.form:
                form[name].show_local(value, course.timezone)
    if form.is_submitted():
        valid, errors, dates = form.validate(), [], {}
        for section in sections:
            post = _utc(form[f"section_{section.id}_post"], course.timezone, errors)
            comments = _utc(form[f"section_{section.id}_comments"], course.timezone, errors)
            dates[section.id] = DueDates(post, comments)
        if not errors:
            for section_id, kind, message in assignment_service.check_section_dates(assignment, dates):
                field = form[f"section_{section_id}_{kind}"]
                field.errors = [*field.errors, message]
                errors.append(message)
        if valid and not errors:
            assignment_service.set_section_dates(assignment, dates)
            db.session.commit()
            flash("Section due dates saved.", "success")
            return redirect(url_for("courses.assignment", slug=course.slug, assignment_id=assignment.id))
    return render_template("courses/assignment_deadlines.html", form=form, assignment=assignment, sections=sections)


def _clearing_confirmed(form: ExceptionsForm, chosen) -> bool:
    """Removing extensions and excusals deletes their dates and reasons: only with the box ticked."""
    extended = sum(1 for row in chosen if row.extension is not None)
    excused = sum(1 for row in chosen if row.excused)
    if not (extended or excused) or confirmed():
        return True
    lost = [f"{n} {what}{'s' if n != 1 else ''}" for n, what in ((extended, "extension"), (excused, "excusal")) if n]
    form.form_errors.append(f"This deletes {' and '.join(lost)}, with their dates and reasons. "
                            "Tick the confirmation box to go ahead; nothing was changed.")
    form.confirm_clearing = True
    return False


def _apply_exceptions(form: ExceptionsForm, assignment, rows) -> str | None:
    """Carry out the bulk action; the message to flash, or None after marking what is wrong."""
    chosen = [row for row in rows if row.enrollment.user_id in set(form.students.data or [])]
    if not chosen:
        form.students.errors = [*form.students.errors, "Choose at least one student."]
        return None
    ids = [row.enrollment.user_id for row in chosen]
    who = f"{len(ids)} student{'s' if len(ids) != 1 else ''}"
    if form.action.data == "excuse":
        exceptions.excuse(assignment, ids, form.reason.data or "", current_user.id)
        return f"Excused {who} from “{assignment.title}”."
    if form.action.data == "clear":
        if not _clearing_confirmed(form, chosen):
            return None
        exceptions.clear_exceptions(assignment, ids)
        return f"{who.capitalize()} follow the usual due dates again."
    errors: list = []
    tz = assignment.course.timezone
    due = DueDates(_utc(form.post_due_at, tz, errors), _utc(form.comments_due_at, tz, errors))
    if errors:
        return None
    problems = exceptions.check_extension(assignment, chosen, due)
    if problems:
        # Shown by the date fields: on a phone the top of the form is a screenful of students away.
        form.action.errors = [*form.action.errors, *problems]
        return None
    exceptions.grant_extensions(assignment, ids, due, current_user.id)
    return f"Extended the deadlines of {who}."


@bp.route("/c/<slug>/assignments/<int:assignment_id>/exceptions", methods=["GET", "POST"])
@course_view(can_manage_assignments)
@form_checks_csrf
def assignment_exceptions(course: Course, assignment_id: int):
    assignment = load_assignment(course, assignment_id)
    now = utcnow()
    # The form posts back to the page's own address, so its ?q= and ?page= say where to come back to.
    search, number = search_text(), page_number()
    form = ExceptionsForm()
    # A bulk action may name any student of the course, not only those of the page the form was read from.
    chosen_rows = exceptions.exception_rows(
        assignment, exceptions.students_with_ids(course, form.students.data or []), now
    ) if form.is_submitted() else []
    page, students = read_page(students_query(course, search), number)
    rows = exceptions.exception_rows(assignment, students, now)
    form.students.choices = choices(
        (row.enrollment.user_id, row.enrollment.user.display_name) for row in [*rows, *chosen_rows]
    )
    if form.validate_on_submit():
        message = _apply_exceptions(form, assignment, chosen_rows)
        if message:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("courses.assignment_exceptions", slug=course.slug, assignment_id=assignment.id,
                                    **place(search, page.number)))
    elif form.is_submitted() and form.action.data == "extend":
        errors: list = []  # show DST problems with the other field errors
        _utc(form.post_due_at, course.timezone, errors)
        _utc(form.comments_due_at, course.timezone, errors)
    chosen = set(form.students.data or [])
    return render_template(
        "courses/assignment_exceptions.html", form=form, assignment=assignment, rows=rows, chosen=chosen, now=now,
        page=page, search=search, place=place(search, page.number),
    )
