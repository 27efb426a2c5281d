"""Accounts and course membership."""

from __future__ import annotations

from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Course, Enrollment, User, utcnow
from coursesite.models.user import check_nobodys_password, normalize_email

# What an account's password and name may be, on every way in (sign-up, reset, profile, `create-user`): a
# password longer than the login form takes could never be used to log in.
PASSWORD_MIN_CHARS, PASSWORD_MAX_CHARS = 10, 200
NAME_MAX_CHARS = 120


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message is for the user."""


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password. One password hash is checked whether or not the
    account exists, so the answer takes as long either way."""
    user = find_user(email)
    if user is None:
        check_nobodys_password(password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


def create_user(
    email: str,
    display_name: str,
    password: str | None,
    *,
    is_admin: bool = False,
    can_create_courses: bool = False,
) -> User:
    if find_user(email) is not None:
        raise AccountError("An account with this email already exists.")
    user = User(
        email=email,
        display_name=display_name.strip(),
        is_admin=is_admin,
        can_create_courses=can_create_courses or is_admin,
    )
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def course_by_join_code(code: str) -> Course | None:
    code = code.strip().upper()
    if not code:
        return None
    return db.session.scalar(select(Course).where(Course.join_code == code))


def enroll(user: User, course: Course, role: str | None = None, **fields) -> Enrollment:
    """Add the user to the course, or bring back an ended enrollment; idempotent.

    Without `role`, a new or returning member is a student and an active member keeps their role:
    someone removed as a TA who rejoins with the code comes back as a student.
    """
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.course_id == course.id)
    )
    if enrollment is None:
        enrollment = Enrollment(user=user, course=course, role=role or "student", joined_at=utcnow(), **fields)
        db.session.add(enrollment)
    else:
        if enrollment.ended_at is not None:
            enrollment.ended_at = None
            enrollment.joined_at = utcnow()
            enrollment.role = role or "student"
        elif role:
            enrollment.role = role
        for key, value in fields.items():
            setattr(enrollment, key, value)
    db.session.flush()
    return enrollment


def create_guest(display_name: str) -> User:
    """Someone who wrote on an imported blog: a name only (no email, password or login), not enrolled.

    Never given the email from the file: that address may be someone's account elsewhere on the site.
    """
    user = User(email=None, display_name=display_name.strip()[:120] or "Guest", is_guest=True)
    db.session.add(user)
    db.session.flush()
    return user
