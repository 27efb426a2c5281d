"""Who may use the assignment, My work and course copy routes."""

import itertools

from tests.functional.authz_specs import Spec

_copies = itertools.count(1)


def _assignment_args(w):
    return {"slug": w.course.slug, "assignment_id": w.assignment.id}


def _assignment_form(w):
    return {"title": "A new essay", "prompt": "Write.", "post_due_at": "2031-01-10T17:00",
            "comments_due_at": "2031-01-14T17:00", "late_policy": "accept", "peer_mode": "open",
            "peer_scope": "course"}


def _copy_form(w):
    return {"title": "Next term", "slug": f"next-term-{next(_copies)}", "term": "Spring", "weeks": "17"}


def _staff(**overrides):
    """Course staff (instructor, TA) only; site admins do not manage assignments."""
    return {"anonymous": 302, "student": 403, "outsider": 403, "ta": 200, "instructor": 200, "admin": 403,
            **overrides}


READERS = {"anonymous": 302, "student": 200, "outsider": 403, "ta": 200, "instructor": 200, "admin": 200}

SPECS = [
    Spec("courses.assignments", "GET", lambda w: {"slug": w.course.slug}, **READERS),
    Spec("courses.assignment", "GET", _assignment_args, **READERS),
    Spec("courses.new_assignment", "GET", lambda w: {"slug": w.course.slug}, **_staff()),
    Spec("courses.new_assignment", "POST", lambda w: {"slug": w.course.slug}, data=_assignment_form,
         **_staff(ta=302, instructor=302)),
    Spec("courses.edit_assignment", "GET", _assignment_args, **_staff()),
    Spec("courses.edit_assignment", "POST", _assignment_args, data=_assignment_form,
         **_staff(ta=302, instructor=302)),
    Spec("courses.assignment_deadlines", "GET", _assignment_args, **_staff()),
    Spec("courses.assignment_deadlines", "POST", _assignment_args,
         data=lambda w: {f"section_{w.section.id}_post": "2031-01-11T17:00",
                         f"section_{w.section.id}_comments": "2031-01-15T17:00"},
         **_staff(ta=302, instructor=302)),
    Spec("courses.assignment_exceptions", "GET", _assignment_args, **_staff()),
    Spec("courses.assignment_exceptions", "POST", _assignment_args,
         data=lambda w: {"students": str(w.student.id), "action": "excuse", "reason": "ill"},
         **_staff(ta=302, instructor=302)),
    Spec("courses.my_work", "GET", lambda w: {"slug": w.course.slug},
         anonymous=302, student=200, outsider=403, ta=200, instructor=200, admin=403),
    Spec("courses.copy_course", "GET", lambda w: {"slug": w.course.slug},
         anonymous=302, student=403, outsider=403, ta=403, instructor=200, admin=200),
    Spec("courses.copy_course", "POST", lambda w: {"slug": w.course.slug}, data=_copy_form,
         anonymous=302, student=403, outsider=403, ta=403, instructor=302, admin=302),
]
