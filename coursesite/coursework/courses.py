"""Courses, sections and the roster."""

from __future__ import annotations

import re

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import selectinload

from coursesite.extensions import db
from coursesite.models import Course, Enrollment, Section, User, utcnow
from coursesite.paging import count_rows
from coursesite.people.accounts import enroll
from coursesite.text.timefmt import is_timezone

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = frozenset({"new", "join", "static", "auth", "admin"})
ROLE_ORDER = case({"instructor": 0, "ta": 1}, value=Enrollment.role, else_=2)


class CourseError(ValueError):
    """A course change that cannot be made; `errors` maps each form field at fault to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def check_course_fields(slug: str, timezone: str, course: Course | None = None) -> None:
    """Refuse a bad address or time zone, naming every field at fault at once."""
    errors = {}
    if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
        errors["slug"] = "Use lower-case letters, digits and single hyphens, e.g. engl-101-fall."
    else:
        taken = db.session.scalar(select(Course.id).where(Course.slug == slug))
        if taken is not None and (course is None or taken != course.id):
            errors["slug"] = "Another course already uses this address. Choose another."
    if not is_timezone(timezone):
        errors["timezone"] = "Unknown time zone. Use a name like America/New_York."
    if errors:
        raise CourseError(errors)


def create_course(creator: User, *, slug: str, title: str, timezone: str, **fields) -> Course:
    check_course_fields(slug, timezone)
    course = Course(slug=slug, title=title.strip(), timezone=timezone, created_by_id=creator.id, **fields)
    db.session.add(course)
    db.session.flush()
    enroll(creator, course, role="instructor")
    return course


def regenerate_join_code(course: Course) -> str:
    from coursesite.models.course import new_join_code

    course.join_code = new_join_code()
    db.session.flush()
    return course.join_code


def section_named(course: Course, name: str | None) -> Section | None:
    """The course's section of that name, created on first use; None for a blank name. "section  a" is the
    course's "Section A": a name typed in another case or spacing joins the section, not a new one beside it."""
    name = " ".join((name or "").split())
    if not name:
        return None
    # The course's sections, read once per session: a roster import asks for one per row, and a section made
    # here joins the list (Section.course's back-reference).
    sections = course.sections
    section = next((s for s in sections if s.name == name), None) or next(
        (s for s in sections if " ".join(s.name.split()).casefold() == name.casefold()), None)
    if section is None:
        section = Section(course=course, name=name)
        db.session.add(section)
        db.session.flush()
    return section


def roster_query(course: Course, include_ended: bool = False, search: str = ""):
    """The course's people, staff first then by name; with `search`, those whose name, name in the course or
    email contains it, whatever its case."""
    query = (
        select(Enrollment)
        .join(User, Enrollment.user_id == User.id)
        .where(Enrollment.course_id == course.id)
        .order_by(ROLE_ORDER, func.lower(User.display_name), Enrollment.id)
    )
    if not include_ended:
        query = query.where(Enrollment.ended_at.is_(None))
    if search:
        query = query.where(or_(*(column.icontains(search, autoescape=True)
                                  for column in (User.display_name, Enrollment.course_name, User.email))))
    return query


def students_query(course: Course, search: str = "") -> Select:
    """The course's students by name (those matching `search`, see roster_query), with what a row shows."""
    query = roster_query(course, search=search).where(Enrollment.role == "student")
    return query.options(selectinload(Enrollment.user), selectinload(Enrollment.section))


def end_enrollment(enrollment: Enrollment) -> None:
    """The person leaves the course; their essays and comments stay."""
    enrollment.ended_at = utcnow()
    db.session.flush()


def roster_size(course: Course) -> int:
    """How many people the course has now (one statement)."""
    return count_rows(roster_query(course))


def instructor_count(course: Course) -> int:
    return db.session.scalar(
        select(func.count(Enrollment.id)).where(
            Enrollment.course_id == course.id, Enrollment.role == "instructor", Enrollment.ended_at.is_(None)
        )
    )
