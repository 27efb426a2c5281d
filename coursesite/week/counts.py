"""Where This week, reminders and the staff digest read how many required comments each student has done.

One function, so the participation rules' loaders can be swapped for another engine in one place.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Assignment
from ..services.deadline_book import comment_deadlines, load_deadline_book
from ..services.participation_data import load_participation_by_ids


def comments_done(course_id: int, student_ids: Collection[int], now: datetime,
                  assignment_id: int | None = None) -> dict[tuple[int, int], int]:
    """(assignment id, student id) -> qualifying comments counted toward K (never more than K), judged by
    each student's own comment deadline; for the course's assignments that ask for comments."""
    query = select(Assignment).where(Assignment.course_id == course_id, Assignment.required_comments > 0)
    if assignment_id is not None:
        query = query.where(Assignment.id == assignment_id)
    assignments = db.session.scalars(query).all()
    if not assignments or not student_ids:
        return {}
    overrides = comment_deadlines(load_deadline_book(assignments, student_ids), assignments)
    data = load_participation_by_ids(course_id, assignment_id, list(student_ids), overrides, now)
    return {(a.id, s): data.tally(a.id, s).done for a in assignments for s in student_ids}
