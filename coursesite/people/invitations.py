"""Invitations to join a course, from a roster import: nobody with an account is enrolled without consent.

Everyone a roster file names who is not in the course yet is invited the same way, whether they already have
an account or are new to the site (they get one, with no password yet): the role, section and IDs from the
file are held in the invitation and become theirs only when they accept it, signed in. The roster lists
pending invitations under the name the file gave, so it never tells the instructor who had an account.
"""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from coursesite.extensions import db
from coursesite.models import Course, CourseInvitation, Enrollment, Section, User
from coursesite.people import accounts
from coursesite.people.roster_csv import ID_FIELDS


def pending(course: Course, user: User) -> CourseInvitation | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(select(CourseInvitation).where(CourseInvitation.course_id == course.id,
                                                            CourseInvitation.user_id == user.id))


def pending_in(course: Course, search: str = "") -> Select:
    """The course's invitations nobody has answered yet, oldest first; with `search`, those whose name from the
    file or email contains it, whatever its case. Never the account's own name: the roster does not tell the
    instructor who had an account, nor may its search."""
    query = (select(CourseInvitation).join(User, CourseInvitation.user_id == User.id)
             .where(CourseInvitation.course_id == course.id)
             .order_by(CourseInvitation.created_at, CourseInvitation.id))
    if search:
        query = query.where(or_(CourseInvitation.name.icontains(search, autoescape=True),
                                User.email.icontains(search, autoescape=True)))
    return query


def pending_for(user: User) -> list[CourseInvitation]:
    """The invitations waiting for this person's answer."""
    return list(db.session.scalars(select(CourseInvitation).where(CourseInvitation.user_id == user.id)
                                   .order_by(CourseInvitation.created_at, CourseInvitation.id)))


def invite(course: Course, user: User, inviter: User, *, role: str | None, section: Section | None,
           ids: dict[str, str], name: str | None) -> CourseInvitation:
    invitation = CourseInvitation(course_id=course.id, user_id=user.id, invited_by_id=inviter.id,
                                  role=role or "student", section=section, name=name,
                                  **{k: v for k, v in ids.items() if k in ID_FIELDS})
    db.session.add(invitation)
    db.session.flush()
    return invitation


def accept(invitation: CourseInvitation) -> Enrollment:
    """Join the course with what was offered; an ID someone else holds meanwhile is left out."""
    fields = {}
    for key in ID_FIELDS:
        value = getattr(invitation, key)
        if value and not db.session.scalar(select(Enrollment.id).where(
                Enrollment.course_id == invitation.course_id, getattr(Enrollment, key) == value,
                Enrollment.user_id != invitation.user_id)):
            fields[key] = value
    if invitation.section is not None:
        fields["section"] = invitation.section
    enrollment = accounts.enroll(invitation.user, invitation.course, role=invitation.role, **fields)
    db.session.delete(invitation)
    db.session.flush()
    return enrollment


def answer_no(invitation: CourseInvitation) -> None:
    """Declined by the person, or withdrawn by the course: nothing else changes."""
    db.session.delete(invitation)
    db.session.flush()
