"""Plain factory functions: each makes one object with sensible defaults and flushes it."""

from __future__ import annotations

import itertools
from datetime import timedelta

from coursesite.extensions import db
from coursesite.models import Assignment, Comment, Course, Post, User, utcnow
from coursesite.people import accounts

DEFAULT_PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def make_user(name: str | None = None, email: str | None = None, password: str = DEFAULT_PASSWORD,
              **flags) -> User:
    n = next(_seq)
    user = accounts.create_user(email or f"user{n}@example.org", name or f"User {n}", password, **flags)
    return user


def make_course(instructor: User | None = None, **fields) -> Course:
    n = next(_seq)
    instructor = instructor or make_user(f"Instructor {n}")
    fields.setdefault("slug", f"course-{n}")
    fields.setdefault("title", f"Course {n}")
    fields.setdefault("timezone", "America/New_York")
    fields.setdefault("visibility", "public")
    course = Course(created_by_id=instructor.id, **fields)
    db.session.add(course)
    db.session.flush()
    accounts.enroll(instructor, course, role="instructor")
    return course


def instructor_of(course: Course) -> User:
    from sqlalchemy import select

    from coursesite.models import Enrollment

    return db.session.scalar(
        select(User).join(Enrollment).where(Enrollment.course_id == course.id, Enrollment.role == "instructor")
    )


def make_member(course: Course, role: str = "student", name: str | None = None, **fields) -> User:
    user = make_user(name)
    accounts.enroll(user, course, role=role, **fields)
    return user


def make_author(course: Course, role: str = "student", name: str | None = None, **fields) -> User:
    """A member who does not log in during the test: no password, so no slow hashing in bulk set-ups."""
    user = make_user(name, password=None)
    accounts.enroll(user, course, role=role, **fields)
    return user


def make_assignment(course: Course, **fields) -> Assignment:
    now = utcnow()
    fields.setdefault("title", f"Essay {next(_seq)}")
    fields.setdefault("opens_at", now - timedelta(days=7))
    fields.setdefault("post_due_at", now + timedelta(days=3))
    fields.setdefault("comments_due_at", now + timedelta(days=6))
    fields.setdefault("required_comments", 3)
    fields.setdefault("min_comment_words", 20)
    assignment = Assignment(course=course, **fields)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def make_post(course: Course, author: User, *, title: str | None = None, body: str = "An essay body.",
              status: str = "published", **fields) -> Post:
    n = next(_seq)
    title = title or f"Essay number {n}"
    fields.setdefault("published_at", utcnow() - timedelta(hours=1) if status == "published" else None)
    fields.setdefault("word_count", len(body.split()))
    post = Post(course_id=course.id, author_id=author.id, title=title, slug=f"essay-{n}", body=body,
                body_html=f"<p>{body}</p>", status=status, **fields)
    db.session.add(post)
    db.session.flush()
    return post


def make_comment(post: Post, author: User, body: str = "A thoughtful comment.", **fields) -> Comment:
    fields.setdefault("word_count", len(body.split()))
    comment = Comment(post_id=post.id, author_id=author.id, body=body, body_html=f"<p>{body}</p>", **fields)
    db.session.add(comment)
    db.session.flush()
    return comment


def make_section(course: Course, name: str = "Section A"):
    from coursesite.coursework.courses import section_named

    return section_named(course, name)


def make_extension(assignment: Assignment, user: User, **fields):
    from coursesite.models import Extension

    extension = Extension(assignment_id=assignment.id, user_id=user.id, **fields)
    db.session.add(extension)
    db.session.flush()
    return extension


def make_excusal(assignment: Assignment, user: User, reason: str = "Medical leave"):
    from coursesite.models import Excusal

    excusal = Excusal(assignment_id=assignment.id, user_id=user.id, reason=reason)
    db.session.add(excusal)
    db.session.flush()
    return excusal


def make_thread_comment(post: Post, author: User, body: str = "A thoughtful comment.", *, parent=None,
                        at=None, **fields) -> Comment:
    """A comment as the site writes it: rendered body, word count and its first revision."""
    from coursesite.models import CommentRevision
    from coursesite.text.markdown import render_comment
    from coursesite.text.words import count_html_words

    html = render_comment(body)
    at = at or utcnow()
    comment = Comment(post_id=post.id, author_id=author.id, body=body, body_html=html,
                      word_count=count_html_words(html), parent_id=parent.id if parent else None, created_at=at,
                      **fields)
    db.session.add(comment)
    db.session.flush()
    db.session.add(CommentRevision(comment_id=comment.id, body=body, word_count=comment.word_count, created_at=at))
    db.session.flush()
    return comment


def words(n: int, word: str = "history") -> str:
    return " ".join([word] * n)


def make_criteria(assignment: Assignment, *criteria: tuple[str, float]) -> list:
    """Rubric criteria, e.g. make_criteria(a, ("Thesis", 4), ("Evidence", 6))."""
    from coursesite.models import RubricCriterion

    rows = [
        RubricCriterion(assignment_id=assignment.id, position=n, title=title, points=points)
        for n, (title, points) in enumerate(criteria, start=1)
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def make_grade(assignment: Assignment, student: User, grader: User | None = None, **fields):
    from coursesite.models import Grade

    fields.setdefault("post_score", assignment.post_points)
    grade = Grade(assignment_id=assignment.id, student_id=student.id,
                  graded_by_id=grader.id if grader else None, graded_at=utcnow(), **fields)
    db.session.add(grade)
    db.session.flush()
    return grade
