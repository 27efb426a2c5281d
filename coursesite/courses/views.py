"""Courses: the list of courses, creating and joining one, settings and roster."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coursesite.courses.blueprint import bp
from coursesite.courses.forms import CourseForm, CourseSettingsForm, EnrollmentForm, JoinForm, WelcomeForm
from coursesite.courses.pages import apply_course_error, list_place, roster_url
from coursesite.coursework import courses as course_service
from coursesite.coursework.courses import CourseError
from coursesite.extensions import db
from coursesite.forms import confirmed, page_number, search_text
from coursesite.models import Course, Enrollment, User
from coursesite.paging import count_rows, place, read_page
from coursesite.people import accounts
from coursesite.people import invitations as course_invitations
from coursesite.people.pseudonyms import pseudonym_problem, reads_as_staff
from coursesite.permissions import can_create_course, can_manage_roster, course_view, is_member, membership
from coursesite.security import form_checks_csrf
from coursesite.text.timefmt import timezone_choices


@bp.route("/")
def index():
    mine = []
    if current_user.is_authenticated:
        mine = db.session.execute(
            select(Course, Enrollment.role)
            .join(Enrollment, Enrollment.course_id == Course.id)
            .where(Enrollment.user_id == current_user.id, Enrollment.ended_at.is_(None))
            .order_by(Course.created_at.desc())
        ).all()
    mine_ids = {course.id for course, _ in mine}
    public = [
        c
        for c in db.session.scalars(
            select(Course).where(Course.visibility == "public").order_by(Course.created_at.desc()).limit(50)
        )
        if c.id not in mine_ids
    ]
    invitations = course_invitations.pending_for(current_user) if current_user.is_authenticated else []
    return render_template("courses/index.html", mine=mine, public=public, invitations=invitations)


@bp.route("/courses/new", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def new_course():
    if not can_create_course(current_user):
        abort(403)
    form = CourseForm()
    if form.validate_on_submit():
        try:
            course = course_service.create_course(
                current_user,
                slug=form.slug.data.strip(),
                title=form.title.data,
                timezone=form.timezone.data.strip(),
                term=(form.term.data or "").strip(),
                visibility=form.visibility.data,
                allow_indexing=form.allow_indexing.data,
            )
        except CourseError as error:  # raised before anything is added: nothing to roll back
            apply_course_error(form, error)
        else:
            db.session.commit()
            flash(f"{course.title} is ready. Students join with the code {course.join_code}.", "success")
            return redirect(url_for("courses.settings", slug=course.slug))
    return render_template("courses/new.html", form=form, timezones=timezone_choices())


@bp.route("/join", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def join():
    form = JoinForm(code=request.args.get("code", ""))
    if form.validate_on_submit():
        course = accounts.course_by_join_code(form.code.data)
        if course is None:
            form.code.errors.append("No course has this join code. Check it with your instructor.")
        elif not is_member(current_user, course) and reads_as_staff(course, current_user.id, current_user.display_name):
            form.code.errors.append(f"Your name reads the same as the name of someone on the staff of {course.title}. "
                                    "Change it on your account page, then join.")
        else:
            if not is_member(current_user, course):
                accounts.enroll(current_user, course)
                db.session.commit()
            return redirect(url_for("courses.welcome", slug=course.slug))
    return render_template("courses/join.html", form=form)


def _pseudonym_allowed(course: Course, enrollment: Enrollment, field) -> bool:
    """False, with the reason on the field, for a course display name that reads as someone else's."""
    problem = pseudonym_problem(course, enrollment.user_id, (field.data or "").strip())
    if problem:
        field.errors.append(problem)
    return problem is None


@bp.route("/c/<slug>/welcome", methods=["GET", "POST"])
@login_required
@course_view(is_member)
@form_checks_csrf
def welcome(course: Course):
    enrollment = membership(current_user, course)
    form = WelcomeForm(obj=enrollment)
    if form.validate_on_submit() and _pseudonym_allowed(course, enrollment, form.course_name):
        enrollment.course_name = (form.course_name.data or "").strip() or None
        db.session.commit()
        flash(f"Welcome to {course.title}.", "success")
        return redirect(url_for("posts.blog", slug=course.slug))
    return render_template("courses/welcome.html", form=form, enrollment=enrollment)


@bp.route("/c/<slug>/settings", methods=["GET", "POST"])
@course_view(can_manage_roster)
@form_checks_csrf
def settings(course: Course):
    form = CourseSettingsForm(obj=course)
    if form.validate_on_submit():
        try:
            course_service.check_course_fields(form.slug.data.strip(), form.timezone.data.strip(), course)
        except CourseError as error:
            apply_course_error(form, error)
        else:
            form.populate_obj(course)
            course.slug = course.slug.strip()
            course.timezone = course.timezone.strip()
            db.session.commit()
            flash("Course settings saved.", "success")
            return redirect(url_for("courses.settings", slug=course.slug))
    return render_template("courses/settings.html", form=form, timezones=timezone_choices())


@bp.route("/c/<slug>/settings/join-code", methods=["POST"])
@course_view(can_manage_roster)
def new_join_code(course: Course):
    # Students who have not joined yet hold the old code (a syllabus, an email): it stops working at once.
    if not confirmed():
        return render_template("courses/settings.html", form=CourseSettingsForm(formdata=None, obj=course),
                               timezones=timezone_choices(),
                               join_code_error="Tick the box to confirm that the current code stops working.")
    code = course_service.regenerate_join_code(course)
    db.session.commit()
    flash(f"The new join code is {code}. The old one no longer works.", "success")
    return redirect(url_for("courses.settings", slug=course.slug))


@bp.route("/c/<slug>/roster")
@course_view(can_manage_roster)
def roster(course: Course):
    search = search_text()
    query = course_service.roster_query(course, search=search)
    page, enrollments = read_page(query.options(selectinload(Enrollment.user), selectinload(Enrollment.section)),
                                  page_number())
    return render_template("courses/roster.html", enrollments=enrollments, page=page, search=search,
                           place=place(search, page.number),
                           people=course_service.roster_size(course) if search else page.total,
                           invited=count_rows(course_invitations.pending_in(course, search)))


def _course_enrollment(course: Course, enrollment_id: int) -> Enrollment:
    enrollment = db.session.get(Enrollment, enrollment_id)
    if enrollment is None or enrollment.course_id != course.id or enrollment.ended_at is not None:
        abort(404)
    return enrollment


def _is_last_instructor(course: Course, enrollment: Enrollment) -> bool:
    return enrollment.role == "instructor" and course_service.instructor_count(course) <= 1


@bp.route("/c/<slug>/roster/<int:enrollment_id>", methods=["GET", "POST"])
@course_view(can_manage_roster)
@form_checks_csrf
def edit_enrollment(course: Course, enrollment_id: int):
    enrollment = _course_enrollment(course, enrollment_id)
    back = roster_url(course)
    form = EnrollmentForm(obj=enrollment)
    if request.method == "GET":
        form.section.data = enrollment.section.name if enrollment.section else ""
    if form.validate_on_submit():
        if form.role.data != "instructor" and _is_last_instructor(course, enrollment):
            form.role.errors.append("A course needs at least one instructor. Make someone else instructor first.")
        elif _pseudonym_allowed(course, enrollment, form.course_name):
            enrollment.role = form.role.data
            enrollment.section = course_service.section_named(course, form.section.data)
            enrollment.course_name = (form.course_name.data or "").strip() or None
            enrollment.extra_minutes = form.extra_minutes.data or 0
            db.session.commit()
            flash(f"{enrollment.user.display_name} is updated.", "success")
            return redirect(back)
    return render_template("courses/enrollment.html", form=form, enrollment=enrollment, back=back,
                           place=list_place())


@bp.route("/c/<slug>/roster/<int:enrollment_id>/remove", methods=["POST"])
@course_view(can_manage_roster)
def remove_enrollment(course: Course, enrollment_id: int):
    enrollment = _course_enrollment(course, enrollment_id)
    back = roster_url(course)
    if _is_last_instructor(course, enrollment):
        flash("A course needs at least one instructor. Make someone else instructor first.", "error")
        return redirect(back)
    name = db.session.get(User, enrollment.user_id).display_name
    if not confirmed():
        form = EnrollmentForm(formdata=None, obj=enrollment)
        form.section.data = enrollment.section.name if enrollment.section else ""
        return render_template("courses/enrollment.html", form=form, enrollment=enrollment, back=back,
                               place=list_place(),
                               confirm_error=f"Tick the box to confirm that {name} leaves the course.")
    course_service.end_enrollment(enrollment)
    db.session.commit()
    flash(f"{name} was removed from the course. Their essays and comments stay.", "success")
    return redirect(back)
