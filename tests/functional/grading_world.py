"""A small course for grading tests: an instructor, a TA, three students in two sections, one past assignment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from coursesite.coursework.courses import section_named
from coursesite.extensions import db
from coursesite.models import Assignment, Comment, Course, Enrollment, Grade, Post, User, utcnow
from tests import factories as f


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
    instructor = f.make_user("Rosa Alvarez")
    course = f.make_course(instructor)
    ta = f.make_member(course, "ta", "Sam Whitfield")
    section_a, section_b = section_named(course, "Section A"), section_named(course, "Section B")
    students = [
        f.make_member(course, "student", "Amara Okafor", section=section_a, canvas_user_id="9001", sis_user_id="S-1"),
        f.make_member(course, "student", "Benjamin Hart", section=section_b),
        f.make_member(course, "student", "Chen Wei", section=section_a),
    ]
    now = utcnow()
    assignment = f.make_assignment(
        course, title="The Berlin Airlift", post_points=10, comment_points=10, required_comments=2,
        min_comment_words=3, post_due_at=now - timedelta(days=2), comments_due_at=now - timedelta(days=1),
        canvas_assignment_id="4512",
    )
    other = f.make_course(f.make_user("Other Instructor"))
    outsider = f.make_member(other, "student", "Outside Student")
    other_ta = f.make_member(other, "ta", "Other TA")
    admin = f.make_user("Site Admin", is_admin=True)
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

