"""Per-student exceptions to an assignment: extensions and excusals, one student or many at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from coursesite.coursework.courses import students_query
from coursesite.extensions import db
from coursesite.models import Assignment, Course, Enrollment, Excusal, Extension
from coursesite.participation.deadline_rules import DueDates
from coursesite.participation.deadlines import WorkItem, load_deadline_book


def students_with_ids(course: Course, user_ids: Iterable[int]) -> list[Enrollment]:
    """Those of `user_ids` who are students of the course: who a bulk action may be applied to."""
    user_ids = list(user_ids)
    if not user_ids:
        return []
    return list(db.session.scalars(students_query(course).where(Enrollment.user_id.in_(user_ids))))


@dataclass(frozen=True)
class ExceptionRow:
    enrollment: Enrollment
    item: WorkItem
    base: DueDates  # the section's or the assignment's dates, before extension and accommodation
    extension: DueDates | None
    excusal_reason: str | None

    @property
    def excused(self) -> bool:
        return self.excusal_reason is not None


def exception_rows(assignment: Assignment, students: list[Enrollment], now: datetime) -> list[ExceptionRow]:
    """These students with their deadlines, exceptions and status, in a fixed number of queries."""
    user_ids = [e.user_id for e in students]
    book = load_deadline_book([assignment], user_ids)
    reasons = {
        row.user_id: row.reason
        for row in db.session.execute(
            select(Excusal.user_id, Excusal.reason)
            .where(Excusal.assignment_id == assignment.id, Excusal.user_id.in_(user_ids))
        )
    }
    default = book.assignments[assignment.id].due
    rows = []
    for e in students:
        dates = book.dates.get((assignment.id, e.user_id))
        rows.append(ExceptionRow(
            enrollment=e,
            item=book.item(assignment.id, e.user_id, now),
            base=dates.base if dates else default,
            extension=dates.extension if dates else None,
            excusal_reason=reasons.get(e.user_id),
        ))
    return rows


def check_extension(assignment: Assignment, rows: Iterable[ExceptionRow], due: DueDates) -> list[str]:
    """Messages for an extension that would not give the chosen students more time."""
    if due.post is None and due.comments is None:
        return ["Give a new essay deadline, a new comment deadline, or both."]
    problems = []
    if due.post and due.comments and due.comments < due.post:
        problems.append("The new comment deadline is before the new essay deadline.")
    if due.post and assignment.post_due_at is None:
        problems.append("This assignment has no essay due date to extend.")
    if due.comments and assignment.comments_due_at is None:
        problems.append("This assignment has no comment due date to extend.")
    for row in rows:
        name = row.enrollment.user.display_name
        if due.post and row.base.post and due.post <= row.base.post:
            problems.append(f"{name}'s essay is due by then already: an extension needs a later date.")
        elif due.comments and row.base.comments and due.comments <= row.base.comments:
            problems.append(f"{name}'s comments are due by then already: an extension needs a later date.")
        elif due.post and not due.comments and (comments := _kept(row, "comments")) and comments < due.post:
            problems.append(f"{name}'s comments would still be due before the new essay deadline: "
                            "give a new comment deadline too.")
    return problems


def _kept(row: ExceptionRow, which: str):
    """The date a student keeps where an extension leaves it unset: their extension's, else their section's or
    the assignment's."""
    return (row.extension and getattr(row.extension, which)) or getattr(row.base, which)


def grant_extensions(assignment: Assignment, user_ids: Iterable[int], due: DueDates, by_id: int | None) -> int:
    """Give these students their own deadlines (an unset date keeps theirs); lifts an excusal."""
    user_ids = list(user_ids)
    for row in _rows_for(Extension, assignment, user_ids):
        if due.post is not None:
            row.post_due_at = due.post
        if due.comments is not None:
            row.comments_due_at = due.comments
        row.created_by_id = by_id
    _delete(Excusal, assignment, user_ids)
    db.session.flush()
    return len(user_ids)


def excuse(assignment: Assignment, user_ids: Iterable[int], reason: str, by_id: int | None) -> int:
    user_ids = list(user_ids)
    for row in _rows_for(Excusal, assignment, user_ids):
        row.reason, row.created_by_id = reason.strip(), by_id
    db.session.flush()
    return len(user_ids)


def _rows_for(model, assignment: Assignment, user_ids: list[int]) -> list:
    """Each student's extension or excusal row for the assignment, a new one added where there is none."""
    existing = {row.user_id: row for row in db.session.scalars(
        select(model).where(model.assignment_id == assignment.id, model.user_id.in_(user_ids)))}
    rows = []
    for user_id in user_ids:
        if user_id not in existing:
            existing[user_id] = model(assignment_id=assignment.id, user_id=user_id)
            db.session.add(existing[user_id])
        rows.append(existing[user_id])
    return rows


def clear_exceptions(assignment: Assignment, user_ids: Iterable[int]) -> int:
    user_ids = list(user_ids)
    _delete(Extension, assignment, user_ids)
    _delete(Excusal, assignment, user_ids)
    db.session.flush()
    return len(user_ids)


def _delete(model, assignment: Assignment, user_ids: list[int]) -> None:
    db.session.execute(
        delete(model).where(model.assignment_id == assignment.id, model.user_id.in_(user_ids)),
        execution_options={"synchronize_session": "fetch"},
    )
