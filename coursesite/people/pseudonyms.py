"""Course display names (pseudonyms) that cannot pass for someone else in the course.

A name is taken when it reads the same (names.name_key) as the account name or the course display name of
another person of the course: its members, past members whose work stays, and its guest authors.
"""

from __future__ import annotations

from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Course, Enrollment, User, WordPressPerson
from coursesite.models.course import STAFF_ROLES
from coursesite.models.user import FORMER_NAME
from coursesite.people.names import name_key

RESERVED_NAME_PROBLEM = (f"“{FORMER_NAME}” stands for accounts that were anonymised, so no one may use it as a "
                         "name. Choose another.")


def is_reserved_name(name: str) -> bool:
    """Whether `name` reads as the name anonymised accounts are shown under (case, accents, look-alikes)."""
    return name_key(name) == name_key(FORMER_NAME)


def names_in_course(course: Course, except_user_id: int | None = None, with_guests: bool = True) -> dict[str, bool]:
    """Each name key of the course's people -> whether it belongs to staff (instructors and TAs)."""
    taken: dict[str, bool] = {}
    members = db.session.execute(
        select(User.id, User.display_name, Enrollment.course_name, Enrollment.role, Enrollment.ended_at)
        .join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.course_id == course.id)
    )
    for user_id, display_name, course_name, role, ended_at in members:
        if user_id == except_user_id:
            continue
        for name in (display_name, course_name):
            if name and name_key(name):
                key = name_key(name)
                taken[key] = taken.get(key, False) or (role in STAFF_ROLES and ended_at is None)
    if not with_guests:
        return taken
    guests = db.session.scalars(
        select(User.display_name).join(WordPressPerson, WordPressPerson.user_id == User.id)
        .where(WordPressPerson.course_id == course.id, User.id != (except_user_id or 0))
    )
    for name in guests:
        taken.setdefault(name_key(name), False)
    return taken


def pseudonym_problem(course: Course, user_id: int, name: str | None) -> str | None:
    """Why `name` may not be this person's course display name, in words for the form; None if it may."""
    if not name:
        return None
    if not name_key(name):
        return "Use at least one letter or digit, or leave the field empty."
    if is_reserved_name(name):
        return RESERVED_NAME_PROBLEM
    staff = names_in_course(course, except_user_id=user_id).get(name_key(name))
    if staff is None:
        return None
    whose = "someone on the course staff" if staff else "another person in this course"
    return (f"This name reads the same as the name of {whose}, so it cannot be used here "
            "(case, spaces, accents and look-alike letters do not tell names apart). Choose another.")



def reads_as_staff(course: Course, user_id: int | None, name: str) -> bool:
    """Whether `name` reads the same as the name of an instructor or TA of the course other than this person."""
    return bool(names_in_course(course, except_user_id=user_id, with_guests=False).get(name_key(name)))


def staff_name_problem(course: Course) -> str:
    return (f"This name reads the same as the name of someone on the staff of {course.title}, so it cannot be "
            "used there (case, spaces, accents and look-alike letters do not tell names apart). Choose another.")


def account_name_problem(user_id: int, name: str) -> str | None:
    """Why `name` may not be this person's account name, in words for the form; None if it may. Courses
    show the account name where no course display name is set: it must not read as a staff member's in any
    course the person belongs to (sharing a classmate's name stays allowed: real people share names)."""
    key = name_key(name)
    if not key:
        return None
    if is_reserved_name(name):
        return RESERVED_NAME_PROBLEM
    own_courses = select(Enrollment.course_id).where(Enrollment.user_id == user_id, Enrollment.ended_at.is_(None))
    staff = db.session.execute(
        select(Course, User.display_name, Enrollment.course_name)
        .join(Enrollment, Enrollment.course_id == Course.id).join(User, User.id == Enrollment.user_id)
        .where(Course.id.in_(own_courses), Enrollment.user_id != user_id, Enrollment.role.in_(STAFF_ROLES),
               Enrollment.ended_at.is_(None))
    )
    for course, display_name, course_name in staff:
        if key in (name_key(display_name or ""), name_key(course_name or "")):
            return staff_name_problem(course)
    return None
