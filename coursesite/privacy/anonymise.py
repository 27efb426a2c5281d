"""Anonymising an account: it keeps its essays and comments, under FORMER_NAME, and nothing that names it.

The person's own rows that only serve them (notifications, pending invitations, autosaved text, an unfinished
import) are deleted; every way back in (password, sessions, reset and invitation links) is closed.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, select

from coursesite.coursework.courses import instructor_count
from coursesite.extensions import db
from coursesite.models import (
    AccountAudit,
    Course,
    CourseInvitation,
    Enrollment,
    Notification,
    PendingImport,
    PostAutosave,
    User,
    WordPressPerson,
)
from coursesite.models.user import FORMER_NAME

PLACEHOLDER_DOMAIN = "anonymised.invalid"  # .invalid never resolves (RFC 2606): no mail can reach it


class AnonymiseError(ValueError):
    """The account cannot be anonymised; the message is for the admin."""


def record_audit(actor: User, action: str, account_id: int, now: datetime) -> AccountAudit:
    line = AccountAudit(actor_id=actor.id, action=action, account_id=account_id, at=now)
    db.session.add(line)
    return line


def anonymise_problem(account: User, actor: User) -> str | None:
    """Why this account may not be anonymised, in words for the admin; None if it may."""
    if account.is_anonymised:
        return "This account is already anonymised."
    if account.id == actor.id:
        return "You cannot anonymise your own account. Ask another site admin."
    sole = _courses_it_alone_teaches(account)
    if sole:
        return (f"This account is the only instructor of {', '.join(c.title for c in sole)}. "
                "Make someone else instructor there first.")
    return None


def _courses_it_alone_teaches(account: User) -> list[Course]:
    taught = db.session.scalars(
        select(Course).join(Enrollment, Enrollment.course_id == Course.id)
        .where(Enrollment.user_id == account.id, Enrollment.role == "instructor", Enrollment.ended_at.is_(None))
        .order_by(Course.title)
    ).all()
    return [course for course in taught if instructor_count(course) <= 1]


def anonymise_account(account: User, actor: User, now: datetime) -> None:
    """Anonymise `account` and write the audit line; AnonymiseError (nothing changed) if it may not be."""
    problem = anonymise_problem(account, actor)
    if problem:
        raise AnonymiseError(problem)
    account.display_name = FORMER_NAME
    account.email = f"anonymised-{secrets.token_hex(12)}@{PLACEHOLDER_DOMAIN}"
    account.password_hash = None
    account.is_admin = account.can_create_courses = False
    account.notify_email = "off"
    account.anonymised_at = now
    account.end_sessions()
    for enrollment in db.session.scalars(select(Enrollment).where(Enrollment.user_id == account.id)):
        # Course display names and LMS ids name the person too. The enrollment stays, so the course's records
        # (dashboard, gradebook, who commented on whom) still add up, under FORMER_NAME.
        enrollment.course_name = enrollment.canvas_user_id = enrollment.sis_user_id = enrollment.sis_login_id = None
    for model, column in ((Notification, Notification.user_id), (CourseInvitation, CourseInvitation.user_id),
                          (PostAutosave, PostAutosave.user_id), (PendingImport, PendingImport.user_id),
                          (WordPressPerson, WordPressPerson.user_id)):
        db.session.execute(delete(model).where(column == account.id))
    record_audit(actor, "anonymise", account.id, now)
    db.session.flush()
