"""The rubric editor: criteria with a title, a description and points, or a single score."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from coursesite.dashboard.blueprint import bp, course_assignment
from coursesite.dashboard.forms import RubricForm, csrf_failed
from coursesite.extensions import db
from coursesite.forms import confirmed
from coursesite.grading import rubrics
from coursesite.security import form_checks_csrf

BLANK_ROWS_FOR_NEW_RUBRIC = 3


def _initial_form(criteria) -> RubricForm:
    rows = [
        {"criterion_id": str(c.id), "title": c.title, "description": c.description, "points": c.points,
         "position": position, "levels": list(c.levels or [])}
        for position, c in enumerate(criteria, start=1)
    ]
    form = RubricForm(formdata=None, data={"mode": "rubric" if criteria else "single", "criteria": rows})
    for entry in form.criteria:
        if len(entry.form.levels) < entry.form.levels.max_entries and not entry.form.levels[-1].form.row().blank:
            entry.form.levels.append_entry()  # room for one more level
    for _ in range(1 if criteria else BLANK_ROWS_FOR_NEW_RUBRIC):
        form.criteria.append_entry()
    return form


def _field(criterion, name: str):
    """A criterion's field by name: "points", or "levels-2-name" for one of its levels."""
    if name.startswith("levels-"):
        _, n, field = name.split("-")
        return criterion.form.levels[int(n)].form[field]
    return criterion[name]


def _show_errors(form: RubricForm, errors: rubrics.RubricErrors) -> None:
    """Add the rules' errors to the form's, leaving a field that could not even be read with its own."""
    field_errors = False
    for (index, name), message in errors.items():
        if index is None:
            form.form_errors.append(message)
        elif not _field(form.criteria[index], name).errors:
            _field(form.criteria[index], name).errors = [message]
        field_errors = True
    field_errors = field_errors or any(entry.form.errors for entry in form.criteria)
    if field_errors and not form.form_errors:
        form.form_errors.append("Please correct the fields marked below. Nothing was saved.")


def _confirm_deletion(form: RubricForm, assignment, doomed):
    """The same form again, with what saving deletes and the box that confirms it; nothing is saved."""
    form.form_errors.append("Saving deletes saved criteria. Confirm below, or change the form; nothing was saved.")
    return render_template("dashboard/rubric.html", form=form, assignment=assignment,
                           graded=rubrics.graded_count(assignment.id), doomed=doomed)


@bp.route("/assignments/<int:assignment_id>/rubric", methods=["GET", "POST"])
@form_checks_csrf
def rubric(assignment_id: int):
    course = g.course
    assignment = course_assignment(course, assignment_id)
    if request.method == "GET":
        form = _initial_form(rubrics.criteria_of(assignment.id))
    else:
        form = RubricForm()
        if request.form.get("action") == "add":
            if len(form.criteria) < form.criteria.max_entries:
                form.criteria.append_entry()  # another blank row; nothing is saved yet
            else:
                form.form_errors.append(f"A rubric has at most {form.criteria.max_entries} criteria.")
        else:
            readable = form.validate_on_submit()
            if not csrf_failed(form):
                rows = [entry.form.row() for entry in form.criteria]
                kept, errors = rubrics.check_rubric(rows, form.mode.data, assignment.post_points)
                if kept:
                    errors = {**rubrics.scores_over(assignment.id, rows), **errors}
                doomed = rubrics.deleted_by(assignment.id, kept) if readable and not errors else []
                # The whole rubric, or criteria essays were scored with, go only once confirmed.
                if doomed and (not kept or rubrics.graded_count(assignment.id)) and not confirmed():
                    return _confirm_deletion(form, assignment, doomed)
                if readable and not errors:
                    rubrics.save_rubric(assignment, kept)
                    db.session.commit()
                    flash(f"The rubric of {assignment.title} is saved." if kept
                          else f"{assignment.title} is scored with a single score.", "success")
                    return redirect(url_for("dashboard.rubric", slug=course.slug, assignment_id=assignment.id))
                _show_errors(form, errors)
    return render_template("dashboard/rubric.html", form=form, assignment=assignment,
                           graded=rubrics.graded_count(assignment.id))
