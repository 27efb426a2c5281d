"""Everything the dashboard pages show about a course, loaded in a fixed number of statements.

Students, sections, assignments, essays (only the columns shown), grades, excusals, comments awaiting a
look, and each student's counted comments from the participation engine (participation/counts.py).
Whatever the class size, the count of SQL statements stays the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlalchemy import and_, func, or_, select, union

from coursesite.extensions import db
from coursesite.grading.rules import AssignmentRules
from coursesite.models import (
    Assignment,
    Comment,
    CommentReport,
    Course,
    Enrollment,
    Grade,
    Post,
    Section,
    User,
)
from coursesite.participation.counts import NONE, Counts, participation_counts
from coursesite.participation.deadlines import DeadlineBook, Pair, load_deadline_book
from coursesite.participation.facts import EssayInfo, ParticipationData, load_participation_by_ids
from coursesite.participation.rules import essay_published


@dataclass(frozen=True)
class StudentInfo:
    user_id: int
    name: str
    section_id: int | None
    section_name: str


@dataclass(frozen=True)
class EssayRow:
    post_id: int
    author_id: int
    assignment_id: int | None
    title: str
    slug: str
    status: str
    word_count: int
    created_at: datetime
    published_at: datetime | None
    deleted: bool

    def live(self, now: datetime) -> bool:
        return essay_published(self.status, self.published_at, now) and not self.deleted


@dataclass(frozen=True)
class GradeInfo:
    graded: bool
    graded_at: datetime | None
    post_score: float | None
    comment_override: float | None
    feedback_html: str


@dataclass(frozen=True)
class WaitingComment:
    comment_id: int
    status: str
    reported: bool
    author_name: str
    post_title: str
    post_slug: str
    created_at: datetime


@dataclass(frozen=True)
class ReceivedComment:
    comment_id: int
    author_id: int
    post_id: int
    words: int
    status: str
    created_at: datetime


@dataclass
class CourseFacts:
    course: Course
    now: datetime
    students: list[StudentInfo]
    sections: list[tuple[int, str]]
    assignments: list[Assignment]
    posts: list[EssayRow]
    grades: dict[Pair, GradeInfo]
    excused: set[Pair]
    waiting: list[WaitingComment]
    counts: dict[Pair, Counts]  # counted comments, on time and late
    comment_counts: dict[int, int]  # shown comments per essay
    names: dict[int, str]  # every course member's shown name, staff included
    deadlines: DeadlineBook  # each student's own due dates (sections, extensions, accommodations)
    comment_due: dict[Pair, datetime] = field(default_factory=dict)  # own comment deadlines that differ
    received: list[ReceivedComment] = field(default_factory=list)  # one student's facts only: on their essays
    # One student's comments with their verdicts (participation/rules.py), for their page only.
    participation: ParticipationData | None = None

    def counted(self, assignment_id: int, student_id: int) -> Counts:
        return self.counts.get((assignment_id, student_id), NONE)

    def rules_of(self, assignment: Assignment) -> AssignmentRules:
        return self._rules[assignment.id]

    def head_of(self, assignment: Assignment):
        return self._heads[assignment.id]

    @cached_property
    def _rules(self) -> dict[int, AssignmentRules]:
        return {a.id: AssignmentRules.of(a) for a in self.assignments}

    @cached_property
    def _heads(self) -> dict:
        from coursesite.dashboard.matrix import AssignmentHead

        return {a.id: AssignmentHead.of(a) for a in self.assignments}

    @cached_property
    def _comments_due_at(self) -> dict[int, datetime | None]:
        return {a.id: a.comments_due_at for a in self.assignments}

    def comment_deadline(self, assignment_id: int, student_id: int) -> datetime | None:
        own = self.comment_due.get((assignment_id, student_id))
        return own if own is not None else self._comments_due_at.get(assignment_id)

    def live_essays(self) -> list[EssayInfo]:
        """The students' live essays of the assignments shown, with their authors' shown names."""
        return [EssayInfo(p.post_id, p.title, p.slug, p.author_id, self.names.get(p.author_id, ""),
                          p.assignment_id, True)
                for p in self.posts if p.assignment_id is not None and p.live(self.now)]

    def student(self, user_id: int) -> StudentInfo | None:
        return next((s for s in self.students if s.user_id == user_id), None)

    def essays_by_pair(self) -> dict[Pair, list[EssayRow]]:
        """Each student's undeleted posts per assignment, the first published first (worked out once: the
        table's rows and the overdue list both read it; do not change what it returns)."""
        return self._essays_by_pair

    @cached_property
    def _essays_by_pair(self) -> dict[Pair, list[EssayRow]]:
        pairs: dict[Pair, list[EssayRow]] = defaultdict(list)
        for post in self.posts:
            if post.assignment_id is not None and not post.deleted:
                pairs[(post.assignment_id, post.author_id)].append(post)
        for rows in pairs.values():
            rows.sort(key=lambda p: (p.published_at is None, p.published_at or p.created_at, p.post_id))
        return dict(pairs)


def load_students(course: Course) -> tuple[list[StudentInfo], dict[int, str]]:
    """The current students, by name, and every course member's shown name: one statement."""
    members = db.session.execute(
        select(Enrollment.user_id, Enrollment.role, Enrollment.ended_at, Enrollment.section_id,
               Enrollment.course_name, User.display_name, Section.name)
        .join(User, User.id == Enrollment.user_id)
        .outerjoin(Section, Section.id == Enrollment.section_id)
        .where(Enrollment.course_id == course.id)
    ).all()
    names = {uid: course_name or display for uid, _r, _e, _s, course_name, display, _n in members}
    students = sorted(
        (StudentInfo(uid, course_name or display, section_id, section or "")
         for uid, role, ended, section_id, course_name, display, section in members
         if role == "student" and ended is None),
        key=lambda s: (s.name.casefold(), s.user_id),
    )
    return students, names


def load_sections(course: Course) -> list[tuple[int, str]]:
    return [tuple(row) for row in db.session.execute(
        select(Section.id, Section.name).where(Section.course_id == course.id).order_by(Section.name, Section.id)
    )]


@dataclass(frozen=True)
class ClassList:
    """The course's current students by name, every member's shown name, and the sections."""

    students: list[StudentInfo]
    names: dict[int, str]
    sections: list[tuple[int, str]]


def load_class_list(course: Course) -> ClassList:
    return ClassList(*load_students(course), load_sections(course))


def load_course_facts(course: Course, now: datetime, assignment_id: int | None = None,
                      student_ids: Collection[int] | None = None, timeline: bool = True,
                      class_list: ClassList | None = None) -> CourseFacts:
    """Fifteen statements (six the participation loader's, five the deadline book's) for any class size.

    With `assignment_id`, everything is that assignment's (the course has that one assignment). With
    `student_ids`, everything is those students' (the class is those students), with the comments others
    left on their essays in `received`, their comments' verdicts and their essays' shown comments (unless
    `timeline` is false: the dashboard's rows need none of them): a student's page costs the same in a class
    of 30 or 3,000. The moderation list (`waiting`) is read for the whole course only. A `class_list` already
    read is not read again.
    """
    if class_list is None:
        class_list = ClassList(*load_students(course), load_sections(course))
    names, sections = class_list.names, class_list.sections
    students = [s for s in class_list.students if student_ids is None or s.user_id in student_ids]
    assignment_query = (
        select(Assignment).where(Assignment.course_id == course.id)
        .order_by(Assignment.post_due_at.is_(None), Assignment.post_due_at, Assignment.id)
    )
    post_query = (
        select(Post.id, Post.author_id, Post.assignment_id, Post.title, Post.slug, Post.status, Post.word_count,
               Post.created_at, Post.published_at, Post.deleted_at)
        .where(Post.course_id == course.id)
    )
    if assignment_id is not None:
        assignment_query = assignment_query.where(Assignment.id == assignment_id)
        post_query = post_query.where(Post.assignment_id == assignment_id)
    if student_ids is not None:
        post_query = post_query.where(Post.author_id.in_(student_ids))
    assignments = list(db.session.scalars(assignment_query))
    posts = [EssayRow(*row[:-1], row[-1] is not None) for row in db.session.execute(post_query)]
    student_set, assignment_set = {s.user_id for s in students}, {a.id for a in assignments}
    book = load_deadline_book(assignments, student_set, posts=sorted(
        (p.post_id, p.author_id, p.assignment_id, p.status, p.published_at) for p in posts
        if p.assignment_id in assignment_set and p.author_id in student_set and not p.deleted))
    whole_course = assignment_id is None and student_ids is None
    comment_due = book.comment_deadlines()
    return CourseFacts(
        course=course, now=now, students=students, sections=sections, assignments=assignments, posts=posts,
        grades=_grades(course, student_ids), excused=set(book.excused),
        waiting=load_waiting(course, names) if whole_course else [],
        counts=participation_counts(course.id, assignment_id, student_ids, now),
        comment_counts={} if not timeline else shown_comment_counts(course.id, assignment_id, student_ids),
        names=names, deadlines=book, comment_due=comment_due,
        received=[] if student_ids is None or not timeline else _received(course, student_ids),
        participation=None if student_ids is None or not timeline else load_participation_by_ids(
            course.id, assignment_id, student_ids, overrides=comment_due, now=now),
    )


def shown_comment_counts(course_id: int, assignment_id: int | None = None,
                         author_ids: Collection[int] | None = None) -> dict[int, int]:
    """Shown comments per essay of the course's assignments (of these authors' essays)."""
    query = (
        select(Comment.post_id, func.count(Comment.id))
        .join(Post, Post.id == Comment.post_id)
        .where(Post.course_id == course_id, Post.assignment_id.is_not(None), Comment.status == "visible",
               Comment.deleted_at.is_(None))
        .group_by(Comment.post_id)
    )
    if assignment_id is not None:
        query = query.where(Post.assignment_id == assignment_id)
    if author_ids is not None:
        query = query.where(Post.author_id.in_(list(author_ids)))
    return dict(db.session.execute(query).all())


def _received(course: Course, student_ids: Collection[int]) -> list[ReceivedComment]:
    """Comments others left on the students' essays, deleted ones left out."""
    rows = db.session.execute(
        select(Comment.id, Comment.author_id, Comment.post_id, Comment.word_count, Comment.status,
               Comment.created_at)
        .join(Post, Post.id == Comment.post_id)
        .where(Post.course_id == course.id, Post.author_id.in_(student_ids), Comment.author_id != Post.author_id,
               Comment.deleted_at.is_(None))
    )
    return [ReceivedComment(*row) for row in rows]


def _grades(course: Course, student_ids: Collection[int] | None = None) -> dict[Pair, GradeInfo]:
    query = (
        select(Grade.assignment_id, Grade.student_id, Grade.post_score, Grade.graded_at,
               Grade.comment_score_override, Grade.feedback_html)
        .join(Assignment, Assignment.id == Grade.assignment_id)
        .where(Assignment.course_id == course.id)
    )
    rows = db.session.execute(query if student_ids is None else query.where(Grade.student_id.in_(student_ids)))
    return {(a, s): GradeInfo(score is not None, at, score, override, feedback or "")
            for a, s, score, at, override, feedback in rows}


def load_waiting(course: Course, names: dict[int, str]) -> list[WaitingComment]:
    """Held comments, reported ones still shown, and hidden ones nobody has looked at since a report."""
    open_reports = (
        select(CommentReport.comment_id, func.count(CommentReport.id).label("n"))
        .where(CommentReport.resolved_at.is_(None))
        .group_by(CommentReport.comment_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Comment.id, Comment.status, open_reports.c.n, Comment.author_id, User.display_name, Post.title,
               Post.slug, Comment.created_at)
        .join(Post, Post.id == Comment.post_id)
        .join(User, User.id == Comment.author_id)
        .outerjoin(open_reports, open_reports.c.comment_id == Comment.id)
        .where(Post.course_id == course.id, Comment.deleted_at.is_(None), Comment.id.in_(union(
            # The few ids first: joining every comment of a large course to its essay and author costs more.
            # By status alone, which the status index answers; whether a moderator looked is checked below.
            select(Comment.id).where(Comment.status.in_(("held", "hidden"))),
            select(open_reports.c.comment_id),
        )), or_(Comment.status == "held", and_(Comment.status == "hidden", Comment.moderated_by_id.is_(None)),
                open_reports.c.n.is_not(None)))
        .order_by(Comment.created_at, Comment.id)
    )
    return [WaitingComment(cid, status, bool(n), names.get(author_id, display), title, slug, at)
            for cid, status, n, author_id, display, title, slug, at in rows]
