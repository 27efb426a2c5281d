"""Each student's own due dates, as SQL: services/deadlines.py's `effective_deadlines`, by joins.

The extension, else the section's date, else the assignment's; an extension only moves a date later and
never creates one; plus the student's standing accommodation (extra minutes).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, null, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import ColumnElement

from ..extensions import db
from ..models import Assignment, Enrollment, Extension, SectionDeadline
from .sqltime import plus_minutes


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


def comment_deadlines(course_id: int, student_ids: Collection[int],
                      assignment_id: int | None = None) -> dict[tuple[int, int], datetime]:
    """(assignment id, student id) → the student's comment deadline where it differs from the assignment's."""
    if not student_ids:
        return {}
    joins = DeadlineJoins.fresh()
    due = joins.comments_due(Assignment).label("due")
    query = select(Assignment.id, Enrollment.user_id, Assignment.comments_due_at, due).join(
        Enrollment, Enrollment.course_id == Assignment.course_id)
    query = joins.joined(query, Assignment, Enrollment.user_id, Assignment.course_id).where(
        Assignment.course_id == course_id, Enrollment.user_id.in_(list(student_ids)))
    if assignment_id is not None:
        query = query.where(Assignment.id == assignment_id)
    return {(a_id, user_id): own for a_id, user_id, default, own in db.session.execute(query)
            if own is not None and own != default}
