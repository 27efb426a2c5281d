"""Authorization matrix: every route declares who may use it (see test_authorization.py).

Interim version for the assignments work: the foundation's test_authorization.py and its fuller world
replace this file at merge (same Spec format, same world fields).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from tests import factories as f

ROLES = ("anonymous", "student", "outsider", "ta", "instructor", "admin")


@dataclass(frozen=True)
class Spec:
    endpoint: str
    method: str
    args: Callable[[Any], dict]
    anonymous: int = 302
    student: int = 403
    outsider: int = 403
    ta: int = 403
    instructor: int = 403
    admin: int = 403
    data: dict | Callable[[Any], dict] | None = field(default=None)

    def expected(self, role: str) -> int:
        return getattr(self, role)


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.instructor = f.make_user("Instructor")
    w.course = f.make_course(w.instructor, visibility="public")
    w.members_course = f.make_course(w.instructor, visibility="members")
    w.ta = f.make_member(w.course, "ta", "Teaching Assistant")
    w.student = f.make_member(w.course, "student", "Student")
    w.other_student = f.make_member(w.course, "student", "Other Student")
    for user, role in ((w.ta, "ta"), (w.student, "student"), (w.other_student, "student")):
        f.accounts.enroll(user, w.members_course, role=role)
    other_course = f.make_course()
    w.outsider = f.make_member(other_course, "student", "Outsider")
    w.admin = f.make_user("Admin", is_admin=True)
    from coursesite.services.courses import section_named

    w.section = section_named(w.course, "Section A")
    w.enrollment = f.accounts.enroll(w.student, w.course, role="student", section=w.section)
    w.assignment = f.make_assignment(w.course)
    w.post = f.make_post(w.course, w.student, assignment_id=w.assignment.id)
    w.draft = f.make_post(w.course, w.student, status="draft", assignment_id=w.assignment.id)
    w.peer_post = f.make_post(w.course, w.other_student, assignment_id=w.assignment.id)
    w.comment = f.make_comment(w.post, w.other_student)
    return w
