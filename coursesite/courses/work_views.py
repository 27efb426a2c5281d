"""A member's own work in a course, and copying a course for a new term."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from coursesite.courses.assignment_forms import CopyCourseForm
from coursesite.courses.blueprint import bp
from coursesite.courses.course_copy import copy_course as copy_course_service
from coursesite.courses.pages import apply_course_error
from coursesite.coursework import assignments as assignment_service
from coursesite.coursework.courses import CourseError
from coursesite.essays import writing
from coursesite.extensions import db
from coursesite.models import Course, utcnow
from coursesite.participation.deadlines import load_deadline_book
from coursesite.permissions import can_copy_course, course_view, is_member
from coursesite.security import form_checks_csrf


@bp.route("/c/<slug>/my-work")
@course_view(is_member)
def my_work(course: Course):
    now = utcnow()
    listed = db.session.scalars(assignment_service.assignments_query(course)).all()
    book = load_deadline_book(listed, [current_user.id])
    rows = [(a, book.item(a.id, current_user.id, now), assignment_service.is_open(a, now)) for a in listed]
    return render_template("courses/my_work.html", rows=rows, now=now,
                           own_trash=writing.own_trash(course, current_user, now))


@bp.route("/c/<slug>/copy", methods=["GET", "POST"])
@course_view(can_copy_course)
@form_checks_csrf
def copy_course(course: Course):
    form = CopyCourseForm(title=course.title)
    if form.validate_on_submit():
        try:
            copy = copy_course_service(
                course,
                current_user,
                title=form.title.data,
                slug=form.slug.data.strip(),
                term=(form.term.data or "").strip(),
                weeks=form.weeks.data or 0,
            )
        except CourseError as error:  # raised before anything is written
            apply_course_error(form, error)
        else:
            db.session.commit()
            flash(f"{copy.title} is ready, with its assignments. Students join with the code {copy.join_code}.",
                  "success")
            return redirect(url_for("courses.assignments", slug=copy.slug))
    listed = db.session.scalars(assignment_service.assignments_query(course)).all()
    return render_template("courses/copy.html", form=form, assignments=listed)
