"""Deadlines for many students at once: the plain values the rules in deadlines.py need, and their loader.

`load_deadline_book` runs a fixed number of queries however many students and assignments it is given;
everything after it is pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Enrollment, Excusal, Extension, Post, SectionDeadline
from .deadlines import (
    Deadlines,
    DueDates,
    EssayFacts,
    EssayStatus,
    LatePolicy,
    effective_deadlines,
    essay_status,
    publishing_closed,
)


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
class StudentFacts:
    user_id: int
    section_id: int | None = None
    extra_minutes: int = 0
    joined_at: datetime | None = None


@dataclass(frozen=True)
class DeadlineBook:
    """Everything the deadline rules need for some assignments and students, as plain values."""

    assignments: dict[int, AssignmentRules]
    students: dict[int, StudentFacts]
    section_dates: dict[tuple[int, int], DueDates] = field(default_factory=dict)  # (assignment, section)
    extensions: dict[tuple[int, int], DueDates] = field(default_factory=dict)  # (assignment, user)
    excused: frozenset[tuple[int, int]] = frozenset()  # (assignment, user)
    essays: dict[tuple[int, int], EssayFacts] = field(default_factory=dict)  # (assignment, user)
    # Worked out once per pair: the dashboard asks for each pair's comment deadline and essay status.
    _worked_out: dict[tuple[int, int], Deadlines] = field(default_factory=dict, init=False, repr=False,
                                                          compare=False)

    def deadlines(self, assignment_id: int, user_id: int) -> Deadlines:
        found = self._worked_out.get((assignment_id, user_id))
        if found is None:
            rules = self.assignments[assignment_id]
            student = self.students.get(user_id, StudentFacts(user_id))
            section = self.section_dates.get((assignment_id, student.section_id)) if student.section_id else None
            found = self._worked_out[(assignment_id, user_id)] = effective_deadlines(
                rules.due, section, self.extensions.get((assignment_id, user_id)), student.extra_minutes
            )
        return found

    def item(self, assignment_id: int, user_id: int, now: datetime) -> WorkItem:
        rules = self.assignments[assignment_id]
        deadlines = self.deadlines(assignment_id, user_id)
        essay = self.essays.get((assignment_id, user_id), EssayFacts())
        status = essay_status(
            deadlines,
            rules.policy,
            now,
            essay,
            excused=(assignment_id, user_id) in self.excused,
            joined_at=self.students.get(user_id, StudentFacts(user_id)).joined_at,
        )
        closed = publishing_closed(deadlines.post, rules.policy, now)
        return WorkItem(assignment_id, user_id, deadlines, status, essay, closed)

    def items(self, now: datetime) -> dict[tuple[int, int], WorkItem]:
        """Every (assignment id, user id) pair of the book."""
        return {(a, u): self.item(a, u, now) for a in self.assignments for u in self.students}


def comment_deadlines(book: DeadlineBook, assignments) -> dict[tuple[int, int], datetime]:
    """(assignment id, student id) → the student's own comment deadline, where it differs from the assignment's
    (an extension, a section's date, extra time): what the participation rules take as `overrides`."""
    overrides = {}
    for a in assignments:
        for user_id in book.students:
            due = book.deadlines(a.id, user_id).comments
            if due is not None and due != a.comments_due_at:
                overrides[(a.id, user_id)] = due
    return overrides


def load_deadline_book(assignments, user_ids) -> DeadlineBook:
    """Fetch the book for these assignments (models of one course) and students in five queries, whatever
    their number: enrollments, section dates, extensions, excusals, essays."""
    assignments = list(assignments)
    user_ids = sorted(set(user_ids))
    if not assignments or not user_ids:
        return DeadlineBook({a.id: AssignmentRules.of(a) for a in assignments}, {})
    course_id = assignments[0].course_id
    ids = [a.id for a in assignments]
    enrollments = db.session.execute(
        select(Enrollment.user_id, Enrollment.section_id, Enrollment.extra_minutes, Enrollment.joined_at).where(
            Enrollment.course_id == course_id, Enrollment.user_id.in_(user_ids)
        )
    )
    students = {uid: StudentFacts(uid) for uid in user_ids}
    students.update({row.user_id: StudentFacts(*row) for row in enrollments})
    section_dates = {
        (row.assignment_id, row.section_id): DueDates(row.post_due_at, row.comments_due_at)
        for row in db.session.execute(
            select(SectionDeadline.assignment_id, SectionDeadline.section_id, SectionDeadline.post_due_at,
                   SectionDeadline.comments_due_at).where(SectionDeadline.assignment_id.in_(ids))
        )
    }
    extensions = {
        (row.assignment_id, row.user_id): DueDates(row.post_due_at, row.comments_due_at)
        for row in db.session.execute(
            select(Extension.assignment_id, Extension.user_id, Extension.post_due_at, Extension.comments_due_at)
            .where(Extension.assignment_id.in_(ids), Extension.user_id.in_(user_ids))
        )
    }
    excused = frozenset(
        (row.assignment_id, row.user_id)
        for row in db.session.execute(
            select(Excusal.assignment_id, Excusal.user_id).where(
                Excusal.assignment_id.in_(ids), Excusal.user_id.in_(user_ids)
            )
        )
    )
    posts = db.session.execute(
        select(Post.id, Post.author_id, Post.assignment_id, Post.status, Post.published_at)
        .where(Post.assignment_id.in_(ids), Post.author_id.in_(user_ids), Post.deleted_at.is_(None))
        .order_by(Post.id)
    )
    return DeadlineBook(
        assignments={a.id: AssignmentRules.of(a) for a in assignments},
        students=students,
        section_dates=section_dates,
        extensions=extensions,
        excused=excused,
        essays=essay_facts(posts),
    )


def essay_facts(rows) -> dict[tuple[int, int], EssayFacts]:
    """(assignment, author) -> the first published essay and the newest draft, from rows of
    (id, author_id, assignment_id, status, published_at) in id order."""
    facts: dict[tuple[int, int], EssayFacts] = {}
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
