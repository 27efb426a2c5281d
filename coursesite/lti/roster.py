"""Names and Role Provisioning: the LMS course's members brought into the linked course.

The LMS is where these people enrolled, so its roster adds, updates and ends enrollments directly (as a launch
does). Only enrollments of people the LMS knows (an LTI account of this platform) are ended: someone the
instructor added by hand is never removed by a sync. Where the LMS offers its groups (Course Groups service:
Canvas and D2L sections, Moodle groups), a member's first group is their section here.
As in launches, an LMS member is found by the LMS's user id only; the email a membership lists is not
verified, so it matches no one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pylti1p3.course_groups import CourseGroupsService
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector
from sqlalchemy import select

from coursesite.coursework.courses import end_enrollment, section_named
from coursesite.extensions import db
from coursesite.lti import claims as c
from coursesite.lti.launching import PlatformSession
from coursesite.lti.models import LtiAccount, LtiContext
from coursesite.lti.people import account_for
from coursesite.lti.tool_config import signing_registration
from coursesite.models import Course, Enrollment, Section, User, utcnow
from coursesite.people.accounts import enroll

NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
GROUPS_SCOPE = "https://purl.imsglobal.org/spec/lti-gs/scope/contextgroup.readonly"


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0  # members with no course role (observers, LMS administrators)

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.updated) + len(self.ended)


MAX_MEMBERS = 20_000  # more than any class: past it the LMS's answer is refused, not held in memory
MAX_PAGES = 200


class RosterTooLarge(ValueError):
    """The LMS kept sending pages: more members or pages than any course has, or a page linking back."""


def _every_page(get_page, url: str | None) -> list:
    """The items of each page the LMS links to next, within MAX_PAGES and MAX_MEMBERS: an LMS that links a
    page to itself, or pages without end, is refused instead of holding the request for ever."""
    items: list = []
    seen: set[str] = set()
    while url:
        if url in seen or len(seen) == MAX_PAGES:
            raise RosterTooLarge
        seen.add(url)
        page, url = get_page(url)
        items.extend(page)
        if len(items) > MAX_MEMBERS:
            raise RosterTooLarge
    return items


def fetch_members(context: LtiContext) -> list[dict]:
    connector = ServiceConnector(signing_registration(context.platform), PlatformSession())
    service = NamesRolesProvisioningService(connector, {"context_memberships_url": context.memberships_url,
                                                        "service_versions": ["2.0"]})
    return _every_page(service.get_members_page, context.memberships_url)


def fetch_groups(context: LtiContext) -> dict[str, str]:
    """Group id -> name, when the LMS offers its groups; empty otherwise."""
    if not context.groups_url:
        return {}
    connector = ServiceConnector(signing_registration(context.platform), PlatformSession())
    service = CourseGroupsService(connector, {"context_groups_url": context.groups_url, "scope": [GROUPS_SCOPE],
                                              "service_versions": ["1.0"]})
    groups = _every_page(lambda url: service.get_page(url, data_key="groups"), context.groups_url)
    return {str(g.get("id")): str(g.get("name") or "").strip()[:80] for g in groups
            if isinstance(g, dict) and g.get("id") is not None}


def _group_name(member: dict, groups: dict[str, str]) -> str | None:
    """The member's section: the name of their first group the LMS names."""
    for enrollment in member.get("group_enrollments") or []:
        name = groups.get(str(enrollment.get("group_id"))) if isinstance(enrollment, dict) else None
        if name:
            return name
    return None


def _as_claims(member: dict) -> dict:
    return {"sub": str(member.get("user_id") or ""), "name": member.get("name"),
            "given_name": member.get("given_name"), "family_name": member.get("family_name")}


def sync(course: Course, context: LtiContext, members: list[dict], groups: dict[str, str] | None = None
         ) -> SyncReport:
    report = SyncReport()
    present: set[int] = set()
    for member in members:
        if not isinstance(member, dict) or not member.get("user_id"):
            continue
        active = str(member.get("status") or "Active") == "Active"
        role = c.course_role(member.get("roles"))
        if role is None or not active:
            report.skipped += role is None
            continue
        user = account_for(context.platform, _as_claims(member), None)
        present.add(user.id)
        _bring_in(course, user, role, section_named(course, _group_name(member, groups or {})), report)
    _end_absent(course, context, present, report)
    context.roster_synced_at = utcnow()
    db.session.flush()
    return report


def _bring_in(course: Course, user: User, role: str, section: Section | None, report: SyncReport) -> None:
    enrollment = db.session.scalar(select(Enrollment).where(
        Enrollment.course_id == course.id, Enrollment.user_id == user.id))
    if enrollment is None or enrollment.ended_at is not None:
        enroll(user, course, role=role, section_id=section.id if section else None)
        report.added.append(user.display_name)
        return
    changes = []
    if enrollment.role != role:
        enrollment.role = role
        changes.append(f"now {role}")
    if section is not None and enrollment.section_id != section.id:  # no group in the LMS keeps the section
        enrollment.section_id = section.id
        changes.append(f"section {section.name}")
    if changes:
        report.updated.append(f"{user.display_name}: {', '.join(changes)}")
    else:
        report.unchanged += 1


def _end_absent(course: Course, context: LtiContext, present: set[int], report: SyncReport) -> None:
    known = select(LtiAccount.user_id).where(LtiAccount.platform_id == context.platform_id)
    gone = db.session.scalars(select(Enrollment).where(
        Enrollment.course_id == course.id, Enrollment.ended_at.is_(None), Enrollment.user_id.in_(known),
        Enrollment.user_id.not_in(present or {0}), Enrollment.role != "instructor")).all()
    for enrollment in gone:
        end_enrollment(enrollment)
        report.ended.append(enrollment.user.display_name)
