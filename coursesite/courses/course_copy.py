"""Copy a course for a new term: settings, sections, assignments, section dates and rubrics; no people or posts.

Columns are copied by the table's own list, so a setting added to a model later is copied too; the sets
below name what must not be.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from coursesite.coursework.courses import create_course
from coursesite.extensions import db
from coursesite.models import Assignment, Course, RubricCriterion, Section, SectionDeadline, User, UTCDateTime
from coursesite.text.timefmt import AmbiguousLocalTime, NonexistentLocalTime, local_to_utc, to_local

COURSE_NOT_COPIED = frozenset({"id", "slug", "title", "term", "join_code", "created_at", "created_by_id", "timezone"})
# Grades are not released in a course that has none; Canvas ids belong to last term's Canvas course.
ASSIGNMENT_NOT_COPIED = frozenset({"id", "course_id", "created_at", "grades_released_at", "canvas_assignment_id"})


def shift_weeks(value: datetime | None, weeks: int, tz_name: str) -> datetime | None:
    """Move a time by whole weeks on the course's wall clock: Friday 5:00 pm stays Friday 5:00 pm across DST.

    A time that would fall in a DST gap moves forward by the gap; a repeated one keeps the same of the two.
    """
    if value is None:
        return None
    local = to_local(value, tz_name)
    target = local.replace(tzinfo=None) + timedelta(weeks=weeks)
    try:
        return local_to_utc(target, tz_name, fold=local.fold)
    except NonexistentLocalTime:
        return local_to_utc(target + timedelta(hours=1), tz_name, fold=local.fold)
    except AmbiguousLocalTime:  # pragma: no cover - local_to_utc resolves with the fold given
        return local_to_utc(target, tz_name, fold=0)


def _columns(model, excluded: frozenset[str]):
    return [column for column in model.__table__.columns if column.key not in excluded]


def copy_course(source: Course, by: User, *, title: str, slug: str, term: str, weeks: int) -> Course:
    """The new course, with `by` as its only member (instructor)."""
    settings = {c.key: getattr(source, c.key) for c in _columns(Course, COURSE_NOT_COPIED)}
    course = create_course(by, slug=slug, title=title, timezone=source.timezone, term=term, **settings)
    sections = _copy_sections(source, course)
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.course_id == source.id).order_by(Assignment.id)
    ).all()
    for old in assignments:
        new = _copy_assignment(old, course, weeks)
        _copy_section_dates(old, new, sections, weeks, course.timezone)
        _copy_rubric(old, new)
    db.session.flush()
    return course


def _copy_sections(source: Course, course: Course) -> dict[int, Section]:
    copies = {}
    for section in db.session.scalars(select(Section).where(Section.course_id == source.id)):
        copies[section.id] = Section(course=course, name=section.name)
        db.session.add(copies[section.id])
    db.session.flush()
    return copies


def _copy_assignment(old: Assignment, course: Course, weeks: int) -> Assignment:
    values = {}
    for column in _columns(Assignment, ASSIGNMENT_NOT_COPIED):
        value = getattr(old, column.key)
        if isinstance(column.type, UTCDateTime):
            value = shift_weeks(value, weeks, course.timezone)
        values[column.key] = value
    new = Assignment(course_id=course.id, **values)
    db.session.add(new)
    db.session.flush()
    return new


def _copy_section_dates(old: Assignment, new: Assignment, sections: dict[int, Section], weeks: int, tz: str) -> None:
    for row in db.session.scalars(select(SectionDeadline).where(SectionDeadline.assignment_id == old.id)):
        if row.section_id not in sections:
            continue
        db.session.add(
            SectionDeadline(
                assignment_id=new.id,
                section_id=sections[row.section_id].id,
                post_due_at=shift_weeks(row.post_due_at, weeks, tz),
                comments_due_at=shift_weeks(row.comments_due_at, weeks, tz),
            )
        )


def _copy_rubric(old: Assignment, new: Assignment) -> None:
    criteria = db.session.scalars(
        select(RubricCriterion).where(RubricCriterion.assignment_id == old.id).order_by(RubricCriterion.position)
    )
    columns = _columns(RubricCriterion, frozenset({"id", "assignment_id"}))
    for criterion in criteria:
        values = {c.key: getattr(criterion, c.key) for c in columns}
        db.session.add(RubricCriterion(assignment_id=new.id, **values))
