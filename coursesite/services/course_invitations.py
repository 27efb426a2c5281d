"""Invitations to join a course, for people who already have an account: they join only by accepting.

A roster import never enrolls an existing account on its own: the person gets an email with a signed,
expiring link that offers the role (and section and IDs) from the file, and the role is theirs only when
they accept, signed in as that account. The link carries the state of their enrollment when it was made
(none, or ended at a given moment), so it works once: after joining, or being removed again, it is spent.
The inviter must still manage the course's roster when the link is used.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from ..extensions import db
from ..models import Course, Enrollment, Section, User
from ..models.course import ROLES
from . import accounts
from .roster_csv import ID_FIELDS


@dataclass(frozen=True)
class CourseInvitation:
    course: Course
    user: User
    inviter: User
    role: str
    section_id: int | None
    ids: dict[str, str]

    @property
    def section(self) -> Section | None:
        return db.session.get(Section, self.section_id) if self.section_id else None


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="coursesite-course-invitation")


def _enrollment(user: User, course: Course) -> Enrollment | None:
    return db.session.scalar(select(Enrollment).where(Enrollment.user_id == user.id,
                                                      Enrollment.course_id == course.id))


def _state(user: User, course: Course) -> str:
    """What the link was made against: no enrollment, an ended one (and when), or an active one."""
    enrollment = _enrollment(user, course)
    if enrollment is None:
        return "none"
    return f"ended {enrollment.ended_at.isoformat()}" if enrollment.ended_at else "active"


def make_invitation(course: Course, user: User, inviter: User, *, role: str | None, section: Section | None,
                    ids: dict[str, str]) -> str:
    return _serializer().dumps({
        "c": course.id, "u": user.id, "by": inviter.id, "r": role or "student",
        "s": section.id if section else None, "i": {k: v for k, v in ids.items() if k in ID_FIELDS},
        "e": _state(user, course),
    })


def read_invitation(course: Course, token: str) -> CourseInvitation | None:
    """The invitation, or None if it is forged, expired, spent, for another course, or its inviter left."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["INVITATION_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or data.get("c") != course.id or data.get("r") not in ROLES:
        return None
    user = _user(data.get("u"))
    inviter = _user(data.get("by"))
    if user is None or inviter is None or data.get("e") != _state(user, course):
        return None
    if not (inviter.is_admin or _is_instructor(inviter, course)):
        return None
    ids = data.get("i") if isinstance(data.get("i"), dict) else {}
    section_id = data.get("s") if isinstance(data.get("s"), int) else None
    return CourseInvitation(course, user, inviter, data["r"], section_id,
                            {k: str(v) for k, v in ids.items() if k in ID_FIELDS})


def _user(user_id) -> User | None:
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def _is_instructor(user: User, course: Course) -> bool:
    enrollment = _enrollment(user, course)
    return enrollment is not None and enrollment.ended_at is None and enrollment.role == "instructor"


def accept(invitation: CourseInvitation) -> Enrollment:
    """Join the course with what was offered; an ID someone else holds meanwhile is left out."""
    taken = {
        key for key, value in invitation.ids.items()
        if db.session.scalar(select(Enrollment.id).where(Enrollment.course_id == invitation.course.id,
                                                         getattr(Enrollment, key) == value,
                                                         Enrollment.user_id != invitation.user.id))
    }
    fields = {k: v for k, v in invitation.ids.items() if k not in taken}
    section = invitation.section
    if section is not None and section.course_id == invitation.course.id:
        fields["section"] = section
    return accounts.enroll(invitation.user, invitation.course, role=invitation.role, **fields)
