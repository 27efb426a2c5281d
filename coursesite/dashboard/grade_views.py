"""Grading one essay beside its rubric, and the grading queue of an assignment."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from coursesite.dashboard.blueprint import bp, course_assignment
from coursesite.dashboard.facts import load_sections
from coursesite.dashboard.forms import GradeFormBase, csrf_failed, grade_form_class, level_field
from coursesite.extensions import db
from coursesite.forms import page_number
from coursesite.grading import grades, rubrics
from coursesite.grading import reports as grade_reports
from coursesite.grading import rules as grading
from coursesite.models import Assignment, Course, Enrollment, Post, utcnow
from coursesite.paging import ListPage
from coursesite.participation import checklist as my_comments
from coursesite.participation.deadlines import load_deadline_book
from coursesite.security import form_checks_csrf


def _student_enrollment(course: Course, student_id: int) -> Enrollment:
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.course_id == course.id, Enrollment.user_id == student_id, Enrollment.role == "student"
        )
    )
    if enrollment is None:
        abort(404)
    return enrollment


def _essay(assignment: Assignment, student_id: int) -> tuple[Post | None, bool]:
    """The student's published essay for the assignment (the first one), and whether a draft exists."""
    posts = db.session.scalars(
        select(Post)
        .where(Post.assignment_id == assignment.id, Post.author_id == student_id, Post.deleted_at.is_(None))
        .order_by(Post.published_at.is_(None), Post.published_at, Post.id)
    ).all()
    published = next((p for p in posts if p.status == "published" and p.published_at is not None), None)
    return published, any(p.status == "draft" for p in posts)


def _initial_data(grade, criteria: list[grading.Criterion]) -> dict:
    if grade is None:
        return {"version": "0"}
    data = {
        "essay_score": grade.post_score if not criteria else None,
        "comment_override": grade.comment_score_override,
        "override_reason": grade.override_reason or "",
        "feedback": grade.feedback or "",
        "version": str(grade.version),
    }
    for c in criteria:
        awarded = (grade.rubric_scores or {}).get(str(c.id))
        level = c.level_of(awarded)
        if level is not None:  # shown as the level picked, the points field left for other points
            data[level_field(c.id)] = str(c.levels.index(level))
        else:
            data[grading.criterion_field(c.id)] = awarded
    return data


def _entry(form: GradeFormBase, criteria) -> grades.GradeEntry:
    return grades.GradeEntry(
        awarded=form.awarded(criteria),
        single=None if criteria else form.essay_score.data,
        override=form.comment_override.data,
        reason=form.override_reason.data or "",
        feedback=form.feedback.data or "",
    )


def _stale_form(form: GradeFormBase) -> None:
    form.form_errors.append("This form was out of date. Check what is in it and save again.")


def _show_errors(form: GradeFormBase, errors: dict[str, str]) -> None:
    """Add the rules' errors to the form's, leaving a field that could not even be read with its own."""
    for name, message in errors.items():
        if name and name in form:
            if not form[name].errors:
                form[name].errors = [message]
        else:
            form.form_errors.append(message)


@bp.route("/assignments/<int:assignment_id>/grade/<int:student_id>", methods=["GET", "POST"])
@form_checks_csrf
def grade(assignment_id: int, student_id: int):
    course = g.course
    assignment = course_assignment(course, assignment_id)
    enrollment = _student_enrollment(course, student_id)
    rows = rubrics.criteria_of(assignment.id)
    criteria = rubrics.as_criteria(rows)
    rules = grading.AssignmentRules.of(assignment)
    saved = grades.grade_for(assignment.id, student_id)
    form_class = grade_form_class(criteria)
    form = form_class() if request.method == "POST" else form_class(formdata=None, data=_initial_data(saved, criteria))
    conflict = None
    readable = form.validate_on_submit()
    if request.method == "POST" and not csrf_failed(form):
        entry = _entry(form, criteria)
        errors = {**grading.grade_entry_errors(rules, criteria, entry.awarded, entry.single, entry.override,
                                               entry.reason), **form.level_conflicts(criteria)}
        if errors or not readable:
            _show_errors(form, errors)
        else:
            try:
                grades.save_grade(assignment, student_id, current_user, entry, form.expected_version(), utcnow())
            except grades.GradeConflict:
                saved = grades.grade_for(assignment.id, student_id)
                conflict = saved or _stale_form(form)
                form.version.data = str(saved.version if saved else 0)
            else:
                db.session.commit()
                return _after_save(course, assignment, enrollment)
    post, has_draft = _essay(assignment, student_id)
    book = load_deadline_book([assignment], [student_id])
    due_at = grade_reports.essay_due(book, assignment.id, student_id)
    # The comments listed beside the score are the ones it counts: one tally, the student's own deadlines.
    checklist = my_comments.checklist_of(course, student_id, assignment.id, book.comment_deadlines())
    qualifying = len(checklist.counted) if checklist else 0
    late_by = grading.essay_late_by(due_at, post.published_at if post else None)
    return render_template(
        "dashboard/grade.html", form=form, assignment=assignment, enrollment=enrollment, criteria=rows,
        scored_criteria=criteria, level_field=level_field,
        post=post, has_draft=has_draft, saved=saved, conflict=conflict, history=grades.grade_history(saved),
        describe_change=grades.describe_change, rules=rules,
        comments=grading.comment_score(qualifying, rules.required_comments, rules.comment_points), checklist=checklist,
        penalty=grading.late_penalty(late_by, rules), excused=grade_reports.is_excused(assignment.id, student_id),
        score_before_rubric=_score_before_rubric(saved, rows),
    )


def _score_before_rubric(saved, criteria) -> float | None:
    """An essay score saved before the rubric existed (saving the blank rubric would clear it)."""
    if not criteria or saved is None or saved.post_score is None:
        return None
    scored = saved.rubric_scores or {}
    return None if any(scored.get(str(c.id)) is not None for c in criteria) else saved.post_score


def _after_save(course: Course, assignment: Assignment, enrollment: Enrollment):
    name = enrollment.user.display_name
    saved = f"The grade of {name} is saved."
    if assignment.grades_released_at is not None:  # no release step to come: say the student sees it now
        saved += f" {assignment.title}’s grades are released, so {name} sees it now."
    if request.form.get("action") != "next":
        flash(saved, "success")
        return redirect(url_for("dashboard.grade", slug=course.slug, assignment_id=assignment.id,
                                student_id=enrollment.user_id))
    following = grade_reports.next_ungraded(assignment, enrollment.user_id)
    if following is None:
        flash(f"{saved} Every student of {assignment.title} now has a grade.", "success")
        return redirect(url_for("dashboard.grading_queue", slug=course.slug, assignment_id=assignment.id))
    flash(f"{saved} Here is the next student without a grade.", "success")
    return redirect(url_for("dashboard.grade", slug=course.slug, assignment_id=assignment.id, student_id=following))


@bp.route("/assignments/<int:assignment_id>/grading")
def grading_queue(assignment_id: int):
    assignment = course_assignment(g.course, assignment_id)
    queue = grade_reports.grading_queue(assignment)
    only_ungraded = request.args.get("show") == "ungraded"
    listed = [row for row in queue if row.needs_grading] if only_ungraded else queue
    page = ListPage.of(len(listed), page_number())
    return render_template("dashboard/queue.html", assignment=assignment, queue=page.shown(listed), page=page,
                           only_ungraded=only_ungraded, students=len(queue),
                           sectioned=bool(load_sections(g.course)),
                           graded=sum(1 for row in queue if row.result.graded),
                           ungraded=sum(1 for row in queue if row.needs_grading),
                           criteria_count=len(rubrics.criteria_of(assignment.id)))


@bp.route("/assignments/<int:assignment_id>/next")
def next_ungraded(assignment_id: int):
    course = g.course
    assignment = course_assignment(course, assignment_id)
    following = grade_reports.next_ungraded(assignment)
    if following is None:
        flash(f"Every student of {assignment.title} has a grade.", "info")
        return redirect(url_for("dashboard.grading_queue", slug=course.slug, assignment_id=assignment.id))
    return redirect(url_for("dashboard.grade", slug=course.slug, assignment_id=assignment.id, student_id=following))
