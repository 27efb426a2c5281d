"""How many required comments each student has done, for the deadline reminders (This week reads them essay by
essay: participation/counts.essay_counts)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Assignment
from coursesite.participation.counts import NONE, participation_counts
from coursesite.participation.rules import done_of_required


def comments_done(course_id: int, student_ids: Collection[int], now: datetime,
                  assignment_id: int | None = None) -> dict[tuple[int, int], int]:
    """(assignment id, student id) -> qualifying comments counted toward K (never more than K), judged by
    each student's own comment deadline; for the course's assignments that ask for comments."""
    query = select(Assignment.id, Assignment.required_comments).where(
        Assignment.course_id == course_id, Assignment.required_comments > 0)
    if assignment_id is not None:
        query = query.where(Assignment.id == assignment_id)
    required = dict(db.session.execute(query).all())
    if not required or not student_ids:
        return {}
    counts = participation_counts(course_id, assignment_id, list(student_ids), now)
    return {(a_id, s): done_of_required(counts.get((a_id, s), NONE).on_time, k) for a_id, k in required.items()
            for s in student_ids}
