"""Importing a roster into a course: read the file (roster_csv, pure), plan what it would change, apply.

A person is keyed by email; a line without one (Canvas gradebook exports have none) is matched to an
enrollment of the course by Canvas ID, then SIS User ID, then SIS Login ID, then by exact name, as Canvas
itself matches. Values left blank in the file never clear what the roster holds, so importing the same
file twice changes nothing the second time.

Nobody joins without consent: everyone the file names who is not an active member is invited
(course_invitations), people new to the site with an account made for them, and the role in the file is
theirs only when they accept. The preview shows an existing account exactly like an email nobody has
("invite", or "pending" once invited), so it never tells which emails have accounts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coursesite.coursework.courses import section_named
from coursesite.extensions import db
from coursesite.models import Course, CourseInvitation, Enrollment, User
from coursesite.people import accounts
from coursesite.people import invitations as course_invitations
from coursesite.people.roster_csv import (
    FIELD_LABELS,
    ID_FIELDS,
    LineProblem,
    ParsedRoster,
    RosterFileError,
    RosterRow,
    parse_roster,
    rows_from_payload,
    rows_to_payload,
)

__all__ = ["ImportPlan", "RosterFileError", "apply_plan", "dump_preview", "load_preview", "parse_roster",
           "plan_import"]

PREVIEW_MAX_AGE = 24 * 3600
ACTIONS = ("invite", "pending", "update", "unchanged")


@dataclass
class PlannedRow:
    row: RosterRow
    action: str  # one of ACTIONS
    user: User | None  # a member of the course; never an account outside it (the preview shows this)
    changes: list[str] = field(default_factory=list)
    matched_by: str | None = None
    invitee: User | None = None  # the existing account an "invite" goes to, kept out of the preview


@dataclass
class ImportPlan:
    rows: list[PlannedRow]
    problems: list[LineProblem]

    def count(self, action: str) -> int:
        return sum(1 for planned in self.rows if planned.action == action)

    @property
    def changes(self) -> int:
        return sum(1 for planned in self.rows if planned.action in {"invite", "update"})


def _name_key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


class _Roster:
    """The course's enrollments (ended ones too), indexed the ways a line can name a person."""

    def __init__(self, course: Course):
        enrollments = db.session.scalars(
            select(Enrollment)
            .where(Enrollment.course_id == course.id)
            .options(selectinload(Enrollment.user), selectinload(Enrollment.section))
        ).all()
        self.by_user = {e.user_id: e for e in enrollments}
        self.invited = set(db.session.scalars(select(CourseInvitation.user_id)
                                              .where(CourseInvitation.course_id == course.id)))
        self.by_id = {(key, getattr(e, key).lower()): e for e in enrollments for key in ID_FIELDS if getattr(e, key)}
        self.by_name: dict[str, list[Enrollment]] = defaultdict(list)
        for e in enrollments:
            if e.ended_at is None:
                for name in {e.user.display_name, e.course_name}:
                    if name:
                        self.by_name[_name_key(name)].append(e)

    def holder(self, key: str, value: str) -> Enrollment | None:
        return self.by_id.get((key, value.lower()))

    def match_without_email(self, row: RosterRow) -> tuple[Enrollment | None, str | None, str | None]:
        """(enrollment, how it matched, why none did)."""
        for key, value in row.ids.items():
            if (found := self.holder(key, value)) is not None:
                names = {_name_key(n) for n in (found.user.display_name, found.course_name) if n}
                if row.name and _name_key(row.name) not in names:
                    # An ID from another course's export would silently land on the wrong person.
                    shown = found.user.display_name
                    return None, None, f"{FIELD_LABELS[key]} {value} is {shown} here, but the line says “{row.name}”"
                return found, FIELD_LABELS[key], None
        said = " or ".join(f"{FIELD_LABELS[k]} {v}" for k, v in row.ids.items())
        if row.name:
            named = self.by_name.get(_name_key(row.name), [])
            fitting = [e for e in named if not _other_ids(e, row)]
            if len(fitting) == 1:
                return fitting[0], "name", None
            if len(fitting) > 1:
                return None, None, f"{len(fitting)} people here are named “{row.name}”; add an email to tell them apart"
            if named:
                key, held = _other_ids(named[0], row)[0]
                return None, None, f"“{row.name}” here has {FIELD_LABELS[key]} {held}, not {row.ids[key]}"
            said = f"{said} or the name “{row.name}”" if said else f"the name “{row.name}”"
        return None, None, f"nobody in this course has {said}, and without an email they cannot be invited"


def _other_ids(enrollment: Enrollment, row: RosterRow) -> list[tuple[str, str]]:
    """The IDs the enrollment already holds that differ from the line's."""
    return [(k, getattr(enrollment, k)) for k, v in row.ids.items() if getattr(enrollment, k) not in (None, v)]


def _users_by_email(emails: list[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    for start in range(0, len(emails), 500):
        chunk = emails[start:start + 500]
        found.update((u.email, u) for u in db.session.scalars(select(User).where(User.email.in_(chunk))))
    return found


def _changes(row: RosterRow, enrollment: Enrollment) -> list[str]:
    changes = []
    if row.role and row.role != enrollment.role:
        changes.append(f"role {enrollment.role} → {row.role}")
    current_section = enrollment.section.name if enrollment.section else None
    if row.section and row.section != current_section:
        changes.append(f"section {current_section or '(none)'} → {row.section}")
    for key, value in row.ids.items():
        if getattr(enrollment, key) != value:
            changes.append(f"{FIELD_LABELS[key]} {getattr(enrollment, key) or '(none)'} → {value}")
    return changes


def _plan_row(row: RosterRow, roster: _Roster, users: dict[str, User], claimed: dict) -> PlannedRow | LineProblem:
    if row.email:
        user, matched_by = users.get(row.email), "email"
        enrollment = roster.by_user.get(user.id) if user else None
    else:
        enrollment, matched_by, why_not = roster.match_without_email(row)
        if enrollment is None:
            return LineProblem(row.line, why_not)
        user = enrollment.user
    for key, value in row.ids.items():
        holder = roster.holder(key, value)
        if holder is not None and holder is not enrollment:
            return LineProblem(row.line, f"{FIELD_LABELS[key]} {value} already belongs to {holder.user.display_name}")
    person = user.id if user else row.email
    if person in claimed:
        return LineProblem(row.line, f"the same person as line {claimed[person]}")
    claimed[person] = row.line
    if user is None:
        return PlannedRow(row, "invite", None)
    if enrollment is None or enrollment.ended_at is not None:
        return PlannedRow(row, "pending" if user.id in roster.invited else "invite", None, invitee=user)
    if enrollment.role == "instructor" and row.role and row.role != "instructor":
        return LineProblem(row.line, f"{user.display_name} is an instructor here; change that on their roster page")
    changes = _changes(row, enrollment)
    return PlannedRow(row, "update" if changes else "unchanged", user, changes, matched_by)


def plan_import(course: Course, rows: list[RosterRow], problems: list[LineProblem] = ()) -> ImportPlan:
    """What importing these lines would do, without writing anything."""
    roster = _Roster(course)
    users = _users_by_email(sorted({row.email for row in rows if row.email}))
    planned, found_problems, claimed = [], list(problems), {}
    for row in rows:
        result = _plan_row(row, roster, users, claimed)
        (found_problems if isinstance(result, LineProblem) else planned).append(result)
    found_problems.sort(key=lambda problem: problem.line)
    return ImportPlan(planned, found_problems)


def apply_plan(course: Course, plan: ImportPlan, inviter: User) -> list[User]:
    """Write the plan; return the people to email an invitation (a new email gets an account, no password)."""
    invited = []
    for planned in plan.rows:
        if planned.action not in {"invite", "update"}:
            continue
        row = planned.row
        section = section_named(course, row.section) if row.section else None
        if planned.action == "invite":
            user = planned.invitee or accounts.create_user(row.email, row.name or row.email.split("@")[0], None)
            course_invitations.invite(course, user, inviter, role=row.role, section=section, ids=dict(row.ids),
                                      name=row.name)
            invited.append(user)
            continue
        fields = dict(row.ids)
        if section is not None:
            fields["section"] = section
        accounts.enroll(planned.user, course, role=row.role, **fields)
    db.session.flush()
    return invited


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="coursesite-roster-import")


def dump_preview(course: Course, parsed: ParsedRoster, filename: str) -> str:
    """The parsed file, signed, to carry from the preview to the import (any worker can read it back)."""
    return _serializer().dumps({
        "c": course.id,
        "file": filename,
        "rows": rows_to_payload(parsed.rows),
        "problems": [[p.line, p.reason] for p in parsed.problems],
        "skipped": [[p.line, p.reason] for p in parsed.skipped],
        "columns": parsed.columns,
        "ignored": parsed.ignored,
        "source": parsed.source,
    })


def load_preview(course: Course, token: str) -> tuple[ParsedRoster, str]:
    """(the parsed file, its name) of a preview made for this course; ValueError if forged, old or not ours."""
    try:
        data = _serializer().loads(token, max_age=PREVIEW_MAX_AGE)
    except SignatureExpired:
        raise ValueError("This preview is more than a day old. Upload the file again.") from None
    except BadSignature:
        raise ValueError("This preview could not be read. Upload the file again.") from None
    if not isinstance(data, dict) or data.get("c") != course.id:
        raise ValueError("This preview belongs to another course. Upload the file again.")
    try:
        parsed = ParsedRoster(
            rows=rows_from_payload(data["rows"]),
            problems=[LineProblem(int(line), str(reason)) for line, reason in data["problems"]],
            skipped=[LineProblem(int(line), str(reason)) for line, reason in data["skipped"]],
            columns=dict(data["columns"]),
            ignored=list(data["ignored"]),
            source=str(data["source"]),
        )
    except (KeyError, TypeError, ValueError):  # a preview made by an older version of this page
        raise ValueError("This preview could not be read. Upload the file again.") from None
    return parsed, str(data["file"])
