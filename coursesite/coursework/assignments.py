"""Assignments: their fields and rules, listing them, and each section's own due dates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select

from coursesite.extensions import db
from coursesite.models import Assignment, Course, Enrollment, Section, SectionDeadline
from coursesite.participation.deadline_rules import DueDates
from coursesite.text import markdown as rendering

# Every field an instructor sets on the assignment form, in the model's own names.
EDITABLE_FIELDS = (
    "title", "prompt", "opens_at", "post_due_at", "comments_due_at", "required_comments", "min_comment_words",
    "min_post_words", "post_points", "comment_points", "late_policy", "grace_minutes", "penalty_percent_per_day",
    "penalty_cap_percent", "peer_mode", "peer_scope", "comments_counted_per_essay", "canvas_assignment_id",
)


def render_prompt(markdown: str) -> str:
    """The prompt as safe HTML, by the same Markdown pipeline as essays."""
    return rendering.render_prompt(markdown or "")


def check_assignment(values: dict[str, Any]) -> list[tuple[str, str]]:
    """Problems across fields, as (field, message) pairs; empty when the assignment makes sense."""
    problems = []
    opens, post_due, comments_due = values.get("opens_at"), values.get("post_due_at"), values.get("comments_due_at")
    if post_due and comments_due and comments_due < post_due:
        problems.append(("comments_due_at", "Comments are due before the essays. Set a later comment deadline."))
    if opens and post_due and post_due <= opens:
        problems.append(("post_due_at", "The essay is due before the assignment opens. Set a later due date."))
    if values.get("late_policy") == "penalty" and not values.get("penalty_percent_per_day"):
        problems.append(
            ("penalty_percent_per_day", "Set a penalty per day, or choose to accept late essays without one.")
        )
    return problems


def _apply(assignment: Assignment, values: dict[str, Any]) -> None:
    for name in EDITABLE_FIELDS:
        if name in values:
            setattr(assignment, name, values[name])
    assignment.title = assignment.title.strip()
    assignment.canvas_assignment_id = (assignment.canvas_assignment_id or "").strip() or None
    assignment.prompt_html = render_prompt(assignment.prompt)


def create_assignment(course: Course, values: dict[str, Any]) -> Assignment:
    assignment = Assignment(course=course)
    _apply(assignment, values)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def update_assignment(assignment: Assignment, values: dict[str, Any]) -> None:
    _apply(assignment, values)
    db.session.flush()


def assignments_query(course: Course) -> Select:
    """The course's assignments in the order they fall due (undated ones last)."""
    return (
        select(Assignment)
        .where(Assignment.course_id == course.id)
        .order_by(Assignment.post_due_at.is_(None), Assignment.post_due_at, Assignment.id)
    )


def course_assignment(course: Course, assignment_id: int) -> Assignment | None:
    assignment = db.session.get(Assignment, assignment_id)
    return assignment if assignment is not None and assignment.course_id == course.id else None


def is_open(assignment: Assignment, now: datetime) -> bool:
    return assignment.opens_at is None or assignment.opens_at <= now


def fewest_possible_peers(course: Course, scope: str) -> int:
    """The fewest classmates any student could comment on: within the course, or within their section."""
    counts = db.session.execute(
        select(Enrollment.section_id, func.count(Enrollment.id))
        .where(Enrollment.course_id == course.id, Enrollment.role == "student", Enrollment.ended_at.is_(None))
        .group_by(Enrollment.section_id)
    ).all()
    if not counts:
        return 0
    if scope == "section":
        return max(0, min(count for _, count in counts) - 1)
    return max(0, sum(count for _, count in counts) - 1)


def peer_warning(course: Course, assignment: Assignment) -> str | None:
    """A warning (not an error) when K is more than some students have peers to comment on."""
    if not assignment.required_comments:
        return None
    peers = fewest_possible_peers(course, assignment.peer_scope)
    if assignment.required_comments <= peers:
        return None
    where = "in the smallest section" if assignment.peer_scope == "section" else "in the course"
    return (
        f"Students are asked for {assignment.required_comments} comments, but some have only {peers} "
        f"classmate{'s' if peers != 1 else ''} {where} to comment on (for now)."
    )


def course_sections(course: Course) -> list[Section]:
    return list(db.session.scalars(select(Section).where(Section.course_id == course.id).order_by(Section.name)))


def section_dates(assignment: Assignment) -> dict[int, DueDates]:
    rows = db.session.scalars(select(SectionDeadline).where(SectionDeadline.assignment_id == assignment.id))
    return {row.section_id: DueDates(row.post_due_at, row.comments_due_at) for row in rows}


def set_section_dates(assignment: Assignment, dates: dict[int, DueDates]) -> None:
    """Replace the sections' own due dates; a section with neither date follows the assignment."""
    existing = {
        row.section_id: row
        for row in db.session.scalars(select(SectionDeadline).where(SectionDeadline.assignment_id == assignment.id))
    }
    for section_id, due in dates.items():
        row = existing.get(section_id)
        if due.post is None and due.comments is None:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = SectionDeadline(assignment_id=assignment.id, section_id=section_id)
            db.session.add(row)
        row.post_due_at, row.comments_due_at = due.post, due.comments
    db.session.flush()


def check_section_dates(assignment: Assignment, dates: dict[int, DueDates]) -> list[tuple[int, str, str]]:
    """Problems as (section id, 'post' | 'comments', message)."""
    problems = []
    for section_id, due in dates.items():
        post = due.post or assignment.post_due_at
        comments = due.comments or assignment.comments_due_at
        if post and comments and comments < post:
            problems.append((section_id, "comments", "Comments are due before this section's essays."))
        if due.post and assignment.opens_at and due.post <= assignment.opens_at:
            problems.append((section_id, "post", "The essay is due before the assignment opens."))
    return problems
