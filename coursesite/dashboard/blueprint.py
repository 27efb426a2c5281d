"""The dashboard blueprint and its guard: the whole area is for the course's instructors and TAs."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, request
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Assignment, Course
from coursesite.permissions import can_grade, load_course, require

bp = Blueprint("dashboard", __name__, url_prefix="/c/<slug>/dashboard")


def permits(predicate):
    """Let one dashboard view answer to `predicate` instead of the guard's can_grade.

    Releasing grades and exporting the gradebook are for instructors and site admins, not TAs
    (docs/design.md#who-may-do-what): those views are marked `@permits(can_release_grades)`, and the guard
    checks that instead.
    """

    def mark(view):
        view.dashboard_permission = predicate
        return view

    return mark


@bp.url_value_preprocessor
def _take_course_slug(endpoint, values) -> None:
    g.dashboard_slug = values.pop("slug") if values and "slug" in values else None


@bp.before_request
def _staff_only() -> None:
    """Load the course, then 403 (or the login page for a visitor) for anyone the view does not permit."""
    g.course = load_course(g.dashboard_slug)
    view = current_app.view_functions.get(request.endpoint or "")
    require(getattr(view, "dashboard_permission", can_grade), g.course)


def course_assignment(course: Course, assignment_id: int) -> Assignment:
    assignment = db.session.scalar(
        select(Assignment).where(Assignment.id == assignment_id, Assignment.course_id == course.id)
    )
    if assignment is None:
        abort(404)
    return assignment
