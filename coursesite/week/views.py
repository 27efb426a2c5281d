"""This week: the page a student lands on after logging in, for one course or all of theirs."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Course, Enrollment, utcnow
from coursesite.permissions import course_view, is_member, is_staff
from coursesite.weekly.this_week import course_week

bp = Blueprint("week", __name__)


def _student_courses(user_id: int) -> list[Course]:
    return list(db.session.scalars(
        select(Course).join(Enrollment, Enrollment.course_id == Course.id)
        .where(Enrollment.user_id == user_id, Enrollment.role == "student", Enrollment.ended_at.is_(None))
        .order_by(Course.title, Course.id)
    ))


@bp.route("/week/")
@login_required
def all_courses():
    """Every course the person studies in, on one page; one course goes straight to its own page."""
    courses = _student_courses(current_user.id)
    if not courses:
        return redirect(url_for("courses.index"))
    if len(courses) == 1:
        return redirect(url_for("week.course", slug=courses[0].slug))
    now = utcnow()
    weeks = [course_week(c, current_user.id, now) for c in courses]
    return render_template("week/all_courses.html", weeks=weeks, now=now)


@bp.route("/c/<slug>/week/")
@course_view(is_member)
def course(course: Course):
    if is_staff(current_user, course):  # staff follow the class on the dashboard
        return redirect(url_for("dashboard.home", slug=course.slug))
    now = utcnow()
    return render_template("week/course.html", week=course_week(course, current_user.id, now), now=now)
