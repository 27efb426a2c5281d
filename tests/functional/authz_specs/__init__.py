"""The authorization matrix: every route, for every role, and the HTTP status each must get.

Each area declares its routes in a module of this package (auth.py, courses.py, posts.py, ...) as

    SPECS = [Spec("courses.roster", "GET", lambda w: {"slug": w.course.slug},
                  anonymous=302, student=403, outsider=403, ta=403, instructor=200, admin=200)]

tests/functional/security/test_authorization.py runs every Spec for every role in a fresh world, and fails for any
registered route and method that no Spec names. The table in docs/design.md#who-may-do-what is the source.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from coursesite.coursework.courses import section_named
from coursesite.extensions import db
from coursesite.models import Assignment, Comment, Course, Enrollment, Post, Section, User
from coursesite.people import accounts
from tests import factories as f

ROLES = ("anonymous", "student", "outsider", "ta", "instructor", "admin")


@dataclass(frozen=True)
class Spec:
    endpoint: str
    method: str
    args: Callable[[World], dict] = field(default=lambda w: {})
    anonymous: int = 0
    student: int = 0
    outsider: int = 0
    ta: int = 0
    instructor: int = 0
    admin: int = 0
    # Form data for a POST: a dict, or a callable taking the world.
    data: dict | Callable[[World], dict] | None = None
    # Sent as JSON instead of a form (autosave, preview).
    json: dict | Callable[[World], Any] | None = None
    query: dict | Callable[[World], dict] | None = None
    # Where a visitor's 302 leads when it is a page of a public course they may read, not the login page.
    visitor_sent_to: str | None = None

    def expected(self, role: str) -> int:
        return getattr(self, role)

    @property
    def id(self) -> str:
        return f"{self.endpoint} {self.method}"


@dataclass
class World:
    """One of everything, owned by known people. Add fields in a backwards-compatible way only."""

    course: Course  # public
    members_course: Course  # members only, the same people
    other_course: Course  # where the outsider is a student
    section: Section
    assignment: Assignment
    post: Post  # published essay by student
    draft: Post  # draft by student
    peer_post: Post  # published essay by other_student
    comment: Comment  # by other_student on post
    enrollment: Enrollment  # student's, in course
    student: User
    other_student: User
    outsider: User  # student of other_course only
    ta: User
    instructor: User  # also a course creator
    admin: User  # site admin, member of nothing
    extra: dict = field(default_factory=dict)  # room for later areas without changing the constructor

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


def build_world() -> World:
    instructor = f.make_user("Ingrid Instructor", can_create_courses=True)
    course = f.make_course(instructor, visibility="public", title="Public Course")
    members_course = f.make_course(instructor, visibility="members", title="Members Course")
    student = f.make_user("Stella Student")
    other_student = f.make_user("Otto Other")
    ta = f.make_user("Tara Assistant")
    section = section_named(course, "Section A")
    for c in (course, members_course):
        accounts.enroll(student, c, role="student", section=section if c is course else None)
        accounts.enroll(other_student, c, role="student")
        accounts.enroll(ta, c, role="ta")
    other_course = f.make_course(title="Other Course")
    outsider = f.make_member(other_course, name="Oscar Outsider")
    admin = f.make_user("Ada Admin", is_admin=True)
    assignment = f.make_assignment(course)
    post = f.make_post(course, student, assignment=assignment, title="Student essay")
    draft = f.make_post(course, student, status="draft", title="Student draft")
    peer_post = f.make_post(course, other_student, assignment=assignment, title="Peer essay")
    comment = f.make_comment(post, other_student)
    enrollment = db.session.scalar(
        db.select(Enrollment).where(Enrollment.user_id == student.id, Enrollment.course_id == course.id)
    )
    # Committed (a released savepoint inside the test's transaction), so a view that rolls back a failed
    # write keeps the world, as it would in production where each request has its own session.
    db.session.commit()
    return World(
        course=course, members_course=members_course, other_course=other_course, section=section,
        assignment=assignment, post=post, draft=draft, peer_post=peer_post, comment=comment, enrollment=enrollment,
        student=student, other_student=other_student, outsider=outsider, ta=ta, instructor=instructor, admin=admin,
    )


def load_specs() -> list[Spec]:
    """Every SPECS list of every module in this package."""
    specs: list[Spec] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        specs.extend(importlib.import_module(f"{__name__}.{module.name}").SPECS)
    return specs
