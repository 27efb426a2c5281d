"""Everything of one person's, gathered for their data export: essays with every revision, their comments,
released grades with feedback, uploaded images. Request-free: callers pass the person, the scope and the time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, union

from coursesite.extensions import db
from coursesite.grading import reports as grade_reports
from coursesite.grading.rules import AssignmentResult
from coursesite.models import Comment, CommentRevision, Course, Enrollment, Grade, Post, PostRevision, Upload, User


@dataclass(frozen=True)
class EssayRecord:
    post: Post
    revisions: list[PostRevision]


@dataclass(frozen=True)
class CommentRecord:
    comment: Comment
    essay: Post
    revisions: list[CommentRevision]


@dataclass(frozen=True)
class GradeRecord:
    """A released grade, as My grades shows it, with the feedback's Markdown source."""

    assignment_title: str
    assignment_id: int
    released_at: datetime
    result: AssignmentResult
    rubric: list[tuple[str, float | None, float]]  # criterion, points awarded, points possible
    feedback: str


@dataclass(frozen=True)
class CourseRecords:
    course: Course
    enrollment: Enrollment | None
    essays: list[EssayRecord] = field(default_factory=list)
    comments: list[CommentRecord] = field(default_factory=list)
    grades: list[GradeRecord] = field(default_factory=list)
    images: list[Upload] = field(default_factory=list)


@dataclass(frozen=True)
class PersonRecords:
    user: User
    exported_at: datetime
    courses: list[CourseRecords]
    scope: Course | None = None  # one course, or None for the whole site


def person_records(user: User, now: datetime, course: Course | None = None) -> PersonRecords:
    """The person's records in `course`, or in every course they belong or belonged to, or wrote in."""
    courses = [course] if course is not None else _courses_of(user)
    return PersonRecords(user, now, [_course_records(user, c) for c in courses], scope=course)


def _courses_of(user: User) -> list[Course]:
    ids = union(
        select(Enrollment.course_id).where(Enrollment.user_id == user.id),
        select(Post.course_id).where(Post.author_id == user.id),
        select(Post.course_id).join(Comment, Comment.post_id == Post.id).where(Comment.author_id == user.id),
    ).subquery()
    return list(db.session.scalars(select(Course).where(Course.id.in_(select(ids))).order_by(Course.slug)))


def _course_records(user: User, course: Course) -> CourseRecords:
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.course_id == course.id))
    return CourseRecords(course, enrollment, _essays(user, course), _comments(user, course), _grades(user, course),
                         _images(user, course))


def _essays(user: User, course: Course) -> list[EssayRecord]:
    posts = db.session.scalars(
        select(Post).where(Post.author_id == user.id, Post.course_id == course.id).order_by(Post.created_at, Post.id)
    ).all()
    revisions: dict[int, list[PostRevision]] = {p.id: [] for p in posts}
    if posts:
        for revision in db.session.scalars(
            select(PostRevision).where(PostRevision.post_id.in_(revisions))
            .order_by(PostRevision.created_at, PostRevision.version, PostRevision.id)
        ):
            revisions[revision.post_id].append(revision)
    return [EssayRecord(p, revisions[p.id]) for p in posts]


def _images(user: User, course: Course) -> list[Upload]:
    """The images the person uploaded to the course (their essays show them by address)."""
    return list(db.session.scalars(
        select(Upload).where(Upload.owner_id == user.id, Upload.course_id == course.id)
        .order_by(Upload.created_at, Upload.id)))


def _comments(user: User, course: Course) -> list[CommentRecord]:
    rows = db.session.execute(
        select(Comment, Post).join(Post, Post.id == Comment.post_id)
        .where(Comment.author_id == user.id, Post.course_id == course.id)
        .order_by(Comment.created_at, Comment.id)
    ).all()
    revisions: dict[int, list[CommentRevision]] = {c.id: [] for c, _ in rows}
    if rows:
        for revision in db.session.scalars(
            select(CommentRevision).where(CommentRevision.comment_id.in_(revisions))
            .order_by(CommentRevision.created_at, CommentRevision.id)
        ):
            revisions[revision.comment_id].append(revision)
    return [CommentRecord(c, post, revisions[c.id]) for c, post in rows]


def _grades(user: User, course: Course) -> list[GradeRecord]:
    """Released grades only: the same report as My grades, which shows nothing of an unreleased one."""
    released = [item for item in grade_reports.student_report(course, user.id)
                if item.released and item.result is not None and (item.result.graded or item.result.excused)]
    if not released:
        return []
    feedback = dict(db.session.execute(
        select(Grade.assignment_id, Grade.feedback)
        .where(Grade.student_id == user.id, Grade.assignment_id.in_([i.assignment.id for i in released]))
    ).all())
    return [
        GradeRecord(
            assignment_title=item.assignment.title,
            assignment_id=item.assignment.id,
            released_at=item.assignment.grades_released_at,
            result=item.result,
            rubric=[(criterion.title, awarded, criterion.points) for criterion, awarded in item.rubric],
            feedback=feedback.get(item.assignment.id) or "",
        )
        for item in released
    ]
