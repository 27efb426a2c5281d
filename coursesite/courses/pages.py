"""What the course views share: the assignment a URL names, a service's refusal shown on a form, and the page of
the roster a form was sent from."""

from __future__ import annotations

from flask import abort, url_for

from coursesite.coursework import assignments as assignment_service
from coursesite.coursework.courses import CourseError
from coursesite.forms import page_number, search_text
from coursesite.models import Assignment, Course
from coursesite.paging import place


def apply_course_error(form, error: CourseError) -> None:
    """Show each message under its field; one about a field this form lacks goes above the form."""
    for name, message in error.errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def load_assignment(course: Course, assignment_id: int) -> Assignment:
    assignment = assignment_service.course_assignment(course, assignment_id)
    if assignment is None:
        abort(404)
    return assignment


def list_place() -> dict:
    """The search and page of the list a form was sent from, carried in the form's own address (?q=, ?page=) and
    read as a string and a number: url_for arguments, so going back never leaves the site."""
    return place(search_text(), page_number())


def roster_url(course: Course) -> str:
    """The roster page a form was sent from, with its search."""
    return url_for("courses.roster", slug=course.slug, **list_place())
