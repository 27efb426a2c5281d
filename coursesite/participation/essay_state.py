"""An essay's state in a matrix cell: on time, late by …, draft, missing, excused, not due yet.

One pure function, so the dashboard reads every essay's state the same way. The due date it is given is
the student's own (section deadline, extension or accommodation) when the caller knows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from coursesite.participation.deadline_rules import EssayState as DeadlineState
from coursesite.participation.deadline_rules import EssayStatus
from coursesite.text.timefmt import elapsed_text


class EssayKind(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    DRAFT = "draft"
    MISSING = "missing"
    EXCUSED = "excused"
    NOT_DUE = "not_due"  # nothing published yet, and the due date has not come
    SUBMITTED = "submitted"  # published, and the assignment has no due date
    SCHEDULED = "scheduled"  # published to appear later
    NOT_REQUIRED = "not_required"  # joined the course after the due date


LABELS = {
    EssayKind.ON_TIME: "On time",
    EssayKind.LATE: "Late",
    EssayKind.DRAFT: "Draft",
    EssayKind.MISSING: "Missing",
    EssayKind.EXCUSED: "Excused",
    EssayKind.NOT_DUE: "Not due yet",
    EssayKind.SUBMITTED: "Posted",
    EssayKind.SCHEDULED: "Scheduled",
    EssayKind.NOT_REQUIRED: "Not required",
}

# Text symbols shown beside the words, so the state never rests on colour alone.
ICONS = {
    EssayKind.ON_TIME: "✓",
    EssayKind.LATE: "⚠",
    EssayKind.DRAFT: "✎",
    EssayKind.MISSING: "✗",
    EssayKind.EXCUSED: "—",
    EssayKind.NOT_DUE: "·",
    EssayKind.SUBMITTED: "✓",
    EssayKind.SCHEDULED: "…",
    EssayKind.NOT_REQUIRED: "—",
}


@dataclass(frozen=True)
class EssayState:
    kind: EssayKind
    late_by: timedelta | None = None

    @property
    def label(self) -> str:
        if self.kind == EssayKind.LATE and self.late_by is not None:
            return f"Late by {elapsed_text(self.late_by)}"
        return LABELS[self.kind]

    @property
    def icon(self) -> str:
        return ICONS[self.kind]

    @property
    def counts_on_time(self) -> bool:
        return self.kind in (EssayKind.ON_TIME, EssayKind.SUBMITTED)

    past_due: bool = False  # for a draft or a missing essay: its due date has passed

    @property
    def overdue(self) -> bool:
        """Missing, or still a draft, after the due date: what "needs attention" lists."""
        return self.kind in (EssayKind.MISSING, EssayKind.DRAFT) and self.past_due


def essay_state(due_at: datetime | None, published_at: datetime | None, has_draft: bool, excused: bool,
                now: datetime, grace: timedelta = timedelta(0)) -> EssayState:
    """The state of one student's essay for one assignment.

    `published_at` is when the essay first went out (None if never); `due_at` the student's own due date.
    A published essay is late when it went out after the due date plus the grace period.
    """
    if excused:
        return EssayState(EssayKind.EXCUSED)
    past_due = due_at is not None and now > due_at + grace
    if published_at is not None and published_at <= now:
        if due_at is None:
            return EssayState(EssayKind.SUBMITTED)
        if published_at > due_at + grace:
            return EssayState(EssayKind.LATE, published_at - due_at)
        return EssayState(EssayKind.ON_TIME)
    if has_draft or published_at is not None:
        return EssayState(EssayKind.DRAFT, past_due=past_due)
    if past_due:
        return EssayState(EssayKind.MISSING, past_due=True)
    return EssayState(EssayKind.NOT_DUE)


def from_status(status: EssayStatus) -> EssayState:
    """The dashboard's reading of participation/deadline_rules.py's essay status (per-student deadlines applied)."""
    state = status.state
    if state in (DeadlineState.MISSING, DeadlineState.CLOSED):
        return EssayState(EssayKind.DRAFT if status.has_draft else EssayKind.MISSING, past_due=True)
    if state is DeadlineState.LATE:
        return EssayState(EssayKind.LATE, status.late_by)
    return EssayState({
        DeadlineState.ON_TIME: EssayKind.ON_TIME,
        DeadlineState.EXCUSED: EssayKind.EXCUSED,
        DeadlineState.DRAFT: EssayKind.DRAFT,
        DeadlineState.NOT_STARTED: EssayKind.NOT_DUE,
        DeadlineState.SCHEDULED: EssayKind.SCHEDULED,
        DeadlineState.NOT_REQUIRED: EssayKind.NOT_REQUIRED,
    }[state])
