"""What the course views share: the assignment a URL names, and a service's refusal shown on a form."""

from __future__ import annotations

from flask import abort

from coursesite.coursework import assignments as assignment_service
from coursesite.coursework.courses import CourseError
from coursesite.models import Assignment, Course


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
