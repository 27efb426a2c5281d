"""Who a launch is: the LMS user as a Coursesite account, and the LMS course as a Coursesite course."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.lti import claims as c
from coursesite.lti.models import LtiAccount, LtiContext, LtiPlatform
from coursesite.models import Course, Enrollment, User
from coursesite.people.accounts import enroll


def _roster_member_by_email(course: Course, email: str) -> User | None:
    return db.session.scalar(
        select(User).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.course_id == course.id, func.lower(User.email) == email)
    )


def account_for(platform: LtiPlatform, claims: dict, course: Course | None) -> User:
    """The account of (platform, sub); else a member of the course's roster with the LMS-verified email; else a
    new account. An email alone never opens an account outside the course's roster."""
    sub = c.text(claims, "sub")
    user = db.session.scalar(select(User).join(LtiAccount, LtiAccount.user_id == User.id)
                             .where(LtiAccount.platform_id == platform.id, LtiAccount.sub == sub))
    if user is not None:
        return user
    email = c.verified_email(claims)
    if course is not None and email:
        user = _roster_member_by_email(course, email)
    if user is None:
        user = _new_account(claims, email)
    db.session.add(LtiAccount(platform_id=platform.id, sub=sub, user_id=user.id))
    db.session.flush()
    return user


def _new_account(claims: dict, email: str | None) -> User:
    taken = email and db.session.scalar(select(User.id).where(User.email == email)) is not None
    user = User(email=None if taken else email, display_name=c.display_name(claims))
    # Signs in through the LMS; a password of its own can be set later with "Forgot password" (when it has an email).
    user.set_password(secrets.token_urlsafe(32))
    db.session.add(user)
    db.session.flush()
    return user


def context_for(platform: LtiPlatform, claims: dict) -> LtiContext:
    """The LMS course, remembered with the grade and roster services the LMS offers for it."""
    context_id = c.text(claims, c.CONTEXT, "id")
    context = db.session.scalar(select(LtiContext).where(
        LtiContext.platform_id == platform.id, LtiContext.context_id == context_id))
    if context is None:
        context = LtiContext(platform_id=platform.id, context_id=context_id, ags_scopes=[])
        db.session.add(context)
    context.title = (c.text(claims, c.CONTEXT, "title") or c.text(claims, c.CONTEXT, "label"))[:200]
    context.deployment_id = c.text(claims, c.DEPLOYMENT_ID)
    ags = claims.get(c.AGS_ENDPOINT)
    if isinstance(ags, dict):
        context.lineitems_url = ags.get("lineitems") if isinstance(ags.get("lineitems"), str) else None
        context.ags_scopes = [s for s in ags.get("scope") or [] if isinstance(s, str)]
    memberships = c.text(claims, c.NRPS, "context_memberships_url")
    context.memberships_url = memberships or context.memberships_url
    context.groups_url = c.text(claims, c.GROUPS, "context_groups_url") or context.groups_url
    db.session.flush()
    return context


def enrollment_after_launch(user: User, course: Course, role: str | None) -> Enrollment | None:
    """The person's enrollment, made on their first launch with a course role from the LMS. Someone whose
    enrollment was ended here is not let back in by a launch: the course's staff decide that."""
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.course_id == course.id))
    if enrollment is not None:
        return enrollment if enrollment.ended_at is None else None
    if role is None:
        return None
    return enroll(user, course, role=role)


def courses_taught(user: User) -> list[Course]:
    return list(db.session.scalars(
        select(Course).join(Enrollment, Enrollment.course_id == Course.id)
        .where(Enrollment.user_id == user.id, Enrollment.role == "instructor", Enrollment.ended_at.is_(None))
        .order_by(Course.title)))
