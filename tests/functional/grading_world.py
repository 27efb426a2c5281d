"""A small course for grading tests: an instructor, a TA, three students in two sections, one past assignment."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from flask import g
from werkzeug.security import generate_password_hash

from coursesite.extensions import db
from coursesite.models import Assignment, Comment, Course, Enrollment, Grade, Post, User, utcnow
from coursesite.services import accounts
from coursesite.services.courses import section_named

from .. import factories as f

_seq = itertools.count(1)


@cache
def _quick_hash() -> str:
    # One cheap hash of the usual test password, shared by every person here: login works, tests stay fast.
    return generate_password_hash(f.DEFAULT_PASSWORD, method="pbkdf2:sha256:1000")


def person(name: str, **flags) -> User:
    user = accounts.create_user(f"grading{next(_seq)}@example.org", name, None, **flags)
    user.password_hash = _quick_hash()
    return user


def member(course: Course, role: str, name: str, **fields) -> User:
    user = person(name)
    accounts.enroll(user, course, role=role, **fields)
    return user


@dataclass
class GradingWorld:
    course: Course
    instructor: User
    ta: User
    students: list[User]  # by name: Amara, Benjamin, Chen
    assignment: Assignment
    admin: User
    outsider: User
    other_ta: User


def build_grading_world() -> GradingWorld:
    instructor = person("Rosa Alvarez")
    course = f.make_course(instructor)
    ta = member(course, "ta", "Sam Whitfield")
    section_a, section_b = section_named(course, "Section A"), section_named(course, "Section B")
    students = [
        member(course, "student", "Amara Okafor", section=section_a, canvas_user_id="9001", sis_user_id="S-1"),
        member(course, "student", "Benjamin Hart", section=section_b),
        member(course, "student", "Chen Wei", section=section_a),
    ]
    now = utcnow()
    assignment = f.make_assignment(
        course, title="The Berlin Airlift", post_points=10, comment_points=10, required_comments=2,
        min_comment_words=3, post_due_at=now - timedelta(days=2), comments_due_at=now - timedelta(days=1),
        canvas_assignment_id="4512",
    )
    other = f.make_course(person("Other Instructor"))
    outsider = member(other, "student", "Outside Student")
    other_ta = member(other, "ta", "Other TA")
    admin = person("Site Admin", is_admin=True)
    return GradingWorld(course, instructor, ta, students, assignment, admin, outsider, other_ta)


def add_class(course: Course, assignment: Assignment, commenter: User, count: int, start: int = 0) -> list[User]:
    """`count` more students, each with an essay that `commenter` answered, every other one graded.

    Added in a few bulk flushes, without passwords: hundreds of students take a moment, not minutes.
    """
    numbers = range(start, start + count)
    users = [User(email=f"bulk{n}@example.org", display_name=f"Bulk Student {n:04d}") for n in numbers]
    db.session.add_all(users)
    db.session.flush()
    now = utcnow()
    db.session.add_all(Enrollment(course_id=course.id, user_id=u.id, role="student", canvas_user_id=str(50000 + n),
                                  joined_at=now) for n, u in enumerate(users, start=start))
    posts = [Post(course_id=course.id, author_id=u.id, assignment_id=assignment.id, title=f"Essay {u.id}",
                  slug=f"bulk-essay-{u.id}", body="An essay.", body_html="<p>An essay.</p>", status="published",
                  published_at=now - timedelta(days=3), word_count=2) for u in users]
    db.session.add_all(posts)
    db.session.flush()
    body = "A careful and generous reading of the sources."
    db.session.add_all(Comment(post_id=p.id, author_id=commenter.id, body=body, body_html=f"<p>{body}</p>",
                               word_count=8, created_at=now - timedelta(days=2)) for p in posts)
    db.session.add_all(Grade(assignment_id=assignment.id, student_id=u.id, post_score=n % 10, rubric_scores={},
                             feedback="", feedback_html="") for n, u in enumerate(users) if n % 2)
    db.session.flush()
    return users


def forget_current_user() -> None:
    """Before another test client (browser) makes a request.

    Requests in a test run inside the test's own app context, where Flask-Login caches the signed-in user;
    without this, the next client would act as the previous one.
    """
    g.pop("_login_user", None)


def forget_request_caches() -> None:
    """What a real request starts without: the cached user and course memberships (see forget_current_user)."""
    g.pop("_login_user", None)
    g.pop("_memberships", None)
