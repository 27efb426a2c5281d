"""Each student's own due dates, as SQL: participation/deadline_rules.py's `effective_deadlines`, by joins.

The extension, else the section's date, else the assignment's; an extension only moves a date later and
never creates one; plus the student's standing accommodation (extra minutes). `load_deadline_book` reads
them with each student's essays for the essay states (participation/deadline_rules.py's pure rules).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import and_, bindparam, case, func, null, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import ColumnElement

from coursesite.extensions import db
from coursesite.models import Assignment, Enrollment, Excusal, Extension, Post, SectionDeadline
from coursesite.participation.deadline_rules import (
    Deadlines,
    DueDates,
    EssayFacts,
    EssayStatus,
    LatePolicy,
    effective_deadlines,
    essay_status,
    publishing_closed,
)
from coursesite.participation.sqltime import plus_minutes

Pair = tuple[int, int]  # (assignment id, student id)


def _extended(extension: ColumnElement, base: ColumnElement) -> ColumnElement:
    return case((base.is_(None), null()), (extension.is_(None), base), (extension > base, extension), else_=base)


@dataclass(frozen=True)
class DeadlineJoins:
    """The rows one student's dates for one assignment come from, as outer-joinable aliases."""

    enrollment: type[Enrollment]
    section: type[SectionDeadline]
    extension: type[Extension]

    @classmethod
    def fresh(cls) -> DeadlineJoins:
        return cls(aliased(Enrollment), aliased(SectionDeadline), aliased(Extension))

    def joined(self, query, assignment, user_id: ColumnElement, course_id: ColumnElement):
        """`query` with the student's enrollment, section dates and extension outer-joined."""
        e, s, x = self.enrollment, self.section, self.extension
        return (
            query.outerjoin(e, and_(e.user_id == user_id, e.course_id == course_id))
            .outerjoin(s, and_(s.assignment_id == assignment.id, s.section_id == e.section_id))
            .outerjoin(x, and_(x.assignment_id == assignment.id, x.user_id == user_id))
        )

    def _extra(self) -> ColumnElement:
        extra = func.coalesce(self.enrollment.extra_minutes, 0)
        return case((extra > 0, extra), else_=0)

    def comments_due(self, assignment) -> ColumnElement:
        base = func.coalesce(self.section.comments_due_at, assignment.comments_due_at)
        return plus_minutes(_extended(self.extension.comments_due_at, base), self._extra())

    def post_due(self, assignment) -> ColumnElement:
        base = func.coalesce(self.section.post_due_at, assignment.post_due_at)
        return plus_minutes(_extended(self.extension.post_due_at, base), self._extra())


@lru_cache(maxsize=2)
def _comment_deadlines_statement(one_assignment: bool):
    """Built once, with parameters: the comment box's hint runs it on each essay a student reads, and building
    it (its aliases, its date arithmetic) cost more than running it."""
    joins = DeadlineJoins.fresh()
    due = joins.comments_due(Assignment).label("due")
    query = select(Assignment.id, Enrollment.user_id, Assignment.comments_due_at, due).join(
        Enrollment, Enrollment.course_id == Assignment.course_id)
    query = joins.joined(query, Assignment, Enrollment.user_id, Assignment.course_id).where(
        Assignment.course_id == bindparam("course_id"),
        Enrollment.user_id.in_(bindparam("student_ids", expanding=True)))
    return query.where(Assignment.id == bindparam("assignment_id")) if one_assignment else query


def comment_deadlines(course_id: int, student_ids: Collection[int],
                      assignment_id: int | None = None) -> dict[tuple[int, int], datetime]:
    """(assignment id, student id) → the student's comment deadline where it differs from the assignment's."""
    if not student_ids:
        return {}
    params = {"course_id": course_id, "student_ids": list(student_ids), "assignment_id": assignment_id}
    rows = db.session.execute(_comment_deadlines_statement(assignment_id is not None), params)
    return {(a_id, user_id): own for a_id, user_id, default, own in rows if own is not None and own != default}


@dataclass(frozen=True)
class WorkItem:
    """One student's deadlines and essay status for one assignment, with the essay to link to."""

    assignment_id: int
    user_id: int
    deadlines: Deadlines
    status: EssayStatus
    essay: EssayFacts = field(default_factory=EssayFacts)
    closed: bool = False  # publishing is refused now

    @property
    def post_id(self) -> int | None:
        return self.essay.published_post_id or self.essay.draft_post_id


@dataclass(frozen=True)
class AssignmentRules:
    """The plain values of an assignment that deadlines and lateness depend on."""

    id: int
    due: DueDates
    policy: LatePolicy
    opens_at: datetime | None = None

    @classmethod
    def of(cls, assignment) -> AssignmentRules:
        return cls(
            id=assignment.id,
            due=DueDates(assignment.post_due_at, assignment.comments_due_at),
            policy=LatePolicy(
                kind=assignment.late_policy,
                grace=timedelta(minutes=assignment.grace_minutes or 0),
                percent_per_day=assignment.penalty_percent_per_day or 0.0,
                cap_percent=100.0 if assignment.penalty_cap_percent is None else assignment.penalty_cap_percent,
            ),
            opens_at=assignment.opens_at,
        )


@dataclass(frozen=True)
class StudentDates:
    """One student's dates for one assignment, as the statement in load_deadline_book worked them out."""

    deadlines: Deadlines  # extension, section or assignment, accommodation included
    base: DueDates  # the section's or the assignment's, before extension and accommodation
    extension: DueDates | None
    excused: bool = False
    joined_at: datetime | None = None


_NO_ESSAY = EssayFacts()  # frozen: one shared for every student without an essay


@dataclass(frozen=True)
class DeadlineBook:
    """Each student's dates and essay for some assignments, as plain values."""

    assignments: dict[int, AssignmentRules]
    dates: dict[Pair, StudentDates] = field(default_factory=dict)
    essays: dict[Pair, EssayFacts] = field(default_factory=dict)

    @property
    def excused(self) -> frozenset[Pair]:
        return frozenset(pair for pair, dates in self.dates.items() if dates.excused)

    def deadlines(self, assignment_id: int, user_id: int) -> Deadlines:
        found = self.dates.get((assignment_id, user_id))
        return found.deadlines if found else effective_deadlines(self.assignments[assignment_id].due)

    def item(self, assignment_id: int, user_id: int, now: datetime) -> WorkItem:
        deadlines, essay, status = self._judged(assignment_id, user_id, now)
        return WorkItem(assignment_id, user_id, deadlines, status, essay,
                        publishing_closed(deadlines.post, self.assignments[assignment_id].policy, now))

    def status(self, assignment_id: int, user_id: int, now: datetime) -> EssayStatus:
        """`item(...).status` alone: a dashboard page asks it of 750 cells."""
        return self._judged(assignment_id, user_id, now)[2]

    def _judged(self, assignment_id: int, user_id: int, now: datetime) -> tuple[Deadlines, EssayFacts, EssayStatus]:
        rules = self.assignments[assignment_id]
        dates = self.dates.get((assignment_id, user_id))
        deadlines = dates.deadlines if dates else effective_deadlines(rules.due)
        essay = self.essays.get((assignment_id, user_id), _NO_ESSAY)
        status = essay_status(deadlines, rules.policy, now, essay, excused=bool(dates and dates.excused),
                              joined_at=dates.joined_at if dates else None)
        return deadlines, essay, status

    def items(self, now: datetime) -> dict[Pair, WorkItem]:
        """Every (assignment id, student id) pair of the book."""
        return {pair: self.item(*pair, now) for pair in self.dates}

    def comment_deadlines(self) -> dict[Pair, datetime]:
        """(assignment id, student id) → the student's comment deadline where it differs from the assignment's."""
        return {pair: dates.deadlines.comments for pair, dates in self.dates.items()
                if dates.deadlines.comments is not None
                and dates.deadlines.comments != self.assignments[pair[0]].due.comments}


@lru_cache(maxsize=64)
def _extra_time(minutes: int | None) -> timedelta:
    return timedelta(minutes=max(0, minutes or 0))


def _source(section: DueDates, extension: DueDates | None) -> str:
    if extension is not None and (extension.post or extension.comments):
        return "extension"
    return "section" if (section.post or section.comments) else "assignment"


@lru_cache(maxsize=1)
def _book_statement():
    """Each student's dates for some assignments, built once with parameters: the dashboard, This week, the editor
    and My work read it on every view, and building it (its aliases, its date arithmetic) cost more than running
    it."""
    joins = DeadlineJoins.fresh()
    e, s, x = joins.enrollment, joins.section, joins.extension
    query = select(
        Assignment.id, e.user_id, e.joined_at, e.extra_minutes, joins.post_due(Assignment),
        joins.comments_due(Assignment), s.post_due_at, s.comments_due_at, x.id, x.post_due_at, x.comments_due_at,
        Excusal.id,
    ).join(e, e.course_id == Assignment.course_id)
    return (
        query.outerjoin(s, and_(s.assignment_id == Assignment.id, s.section_id == e.section_id))
        .outerjoin(x, and_(x.assignment_id == Assignment.id, x.user_id == e.user_id))
        .outerjoin(Excusal, and_(Excusal.assignment_id == Assignment.id, Excusal.user_id == e.user_id))
        .where(Assignment.id.in_(bindparam("assignment_ids", expanding=True)),
               e.user_id.in_(bindparam("user_ids", expanding=True)))
    )


_NO_DATES = DueDates()


def load_deadline_book(assignments, user_ids, posts=None) -> DeadlineBook:
    """Each student's dates for these assignments (of one course), worked out by joins, and their essays: two
    statements whatever their number, one when the caller has read the students' undeleted essays already
    (`posts`: rows of id, author_id, assignment_id, status, published_at, in id order)."""
    assignments = list(assignments)
    user_ids = sorted(set(user_ids))
    rules = {a.id: AssignmentRules.of(a) for a in assignments}
    if not assignments or not user_ids:
        return DeadlineBook(rules)
    ids = [a.id for a in assignments]
    dates = {}
    rows = db.session.execute(_book_statement(), {"assignment_ids": ids, "user_ids": user_ids})
    for a_id, user_id, joined_at, extra, post, comments, s_post, s_comments, x_id, x_post, x_comments, excused \
            in rows:
        due = rules[a_id].due
        if s_post is None and s_comments is None:  # most students: no section dates, the assignment's stand
            section, base = _NO_DATES, due
        else:
            section = DueDates(s_post, s_comments)
            base = DueDates(s_post or due.post, s_comments or due.comments)
        extension = DueDates(x_post, x_comments) if x_id is not None else None
        own = Deadlines(post, comments, _source(section, extension), _extra_time(extra))
        dates[(a_id, user_id)] = StudentDates(own, base, extension, excused is not None, joined_at)
    if posts is None:
        posts = db.session.execute(
            select(Post.id, Post.author_id, Post.assignment_id, Post.status, Post.published_at)
            .where(Post.assignment_id.in_(ids), Post.author_id.in_(user_ids), Post.deleted_at.is_(None))
            .order_by(Post.id)
        )
    return DeadlineBook(rules, dates, essay_facts(posts))


def essay_facts(rows) -> dict[Pair, EssayFacts]:
    """(assignment, author) -> the first published essay and the newest draft, from rows of
    (id, author_id, assignment_id, status, published_at) in id order."""
    facts: dict[Pair, EssayFacts] = {}
    for post_id, author_id, assignment_id, status, published_at in rows:
        key = (assignment_id, author_id)
        current = facts.get(key, EssayFacts())
        if status == "published" and published_at is not None:
            if current.published_at is None or published_at < current.published_at:
                current = EssayFacts(published_at, post_id, current.draft_post_id)
        elif status == "draft":
            current = EssayFacts(current.published_at, current.published_post_id, post_id)
        facts[key] = current
    return facts


def work_item(assignment, user_id: int, now: datetime) -> WorkItem:
    """One student's deadlines and status for one assignment (e.g. to refuse publishing when `.closed`)."""
    return load_deadline_book([assignment], [user_id]).item(assignment.id, user_id, now)
