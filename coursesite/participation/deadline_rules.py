"""Deadlines and lateness: whose deadline is when, and what state an essay is in.

Pure functions of plain values (no database, no request); participation/deadlines.py works the dates
out in SQL for many students at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from coursesite.text.timefmt import elapsed_text

DAY = timedelta(days=1)


@dataclass(frozen=True)
class DueDates:
    """A pair of due dates (either may be unset): the assignment's, a section's or an extension's."""

    post: datetime | None = None
    comments: datetime | None = None


@dataclass(frozen=True)
class LatePolicy:
    kind: str = "accept"  # "accept" | "penalty" | "closed"
    grace: timedelta = timedelta(0)
    percent_per_day: float = 0.0
    cap_percent: float = 100.0


@dataclass(frozen=True)
class Deadlines:
    """One student's effective due dates for one assignment (accommodation included, grace not)."""

    post: datetime | None
    comments: datetime | None
    source: str = "assignment"  # "assignment" | "section" | "extension"
    extra: timedelta = timedelta(0)


class EssayState(StrEnum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    CLOSED = "closed"
    EXCUSED = "excused"
    NOT_REQUIRED = "not_required"


@dataclass(frozen=True)
class EssayStatus:
    state: EssayState
    late_by: timedelta | None = None  # from the deadline, for a late (or late-scheduled) essay
    penalty_percent: float = 0.0
    has_draft: bool = False

    @property
    def is_missing(self) -> bool:
        """Nothing published by the deadline (a closed assignment's missing essays included)."""
        return self.state in (EssayState.MISSING, EssayState.CLOSED)

    @property
    def label(self) -> str:
        if self.state is EssayState.LATE:
            return f"published late by {elapsed_text(self.late_by or timedelta(0))}"
        return STATE_LABELS[self.state]

    @property
    def tone(self) -> str:
        """ok | warn | bad | neutral: a hint for styling; the label always says it in words."""
        return STATE_TONES[self.state]


STATE_LABELS = {
    EssayState.NOT_STARTED: "not started",
    EssayState.DRAFT: "draft",
    EssayState.SCHEDULED: "scheduled",
    EssayState.ON_TIME: "published on time",
    EssayState.LATE: "published late",
    EssayState.MISSING: "missing",
    EssayState.CLOSED: "missing (closed to late work)",
    EssayState.EXCUSED: "excused",
    EssayState.NOT_REQUIRED: "not required (joined after the due date)",
}
STATE_TONES = {
    EssayState.NOT_STARTED: "neutral",
    EssayState.DRAFT: "neutral",
    EssayState.SCHEDULED: "neutral",
    EssayState.ON_TIME: "ok",
    EssayState.LATE: "warn",
    EssayState.MISSING: "bad",
    EssayState.CLOSED: "bad",
    EssayState.EXCUSED: "neutral",
    EssayState.NOT_REQUIRED: "neutral",
}


def _extended(extension: datetime | None, base: datetime | None) -> datetime | None:
    """An extension only moves a deadline later; without a deadline there is nothing to extend."""
    if base is None or extension is None:
        return base
    return max(extension, base)


def _plus(value: datetime | None, extra: timedelta) -> datetime | None:
    return value + extra if value is not None else None


def effective_deadlines(
    assignment: DueDates,
    section: DueDates | None = None,
    extension: DueDates | None = None,
    extra_minutes: int = 0,
) -> Deadlines:
    """The student's due dates: the extension, else the section's, else the assignment's; plus accommodation.

    Each date falls back on its own (an extension may move only the essay's date). An extension never
    ends before the date it replaces, so granting one can only give more time; a date the assignment
    does not have (no due date) is not created by one.
    """
    section = section or DueDates()
    base_post = section.post or assignment.post
    base_comments = section.comments or assignment.comments
    source = "section" if (section.post or section.comments) else "assignment"
    post, comments = base_post, base_comments
    if extension is not None and (extension.post or extension.comments):
        source = "extension"
        post = _extended(extension.post, base_post)
        comments = _extended(extension.comments, base_comments)
    extra = timedelta(minutes=max(0, extra_minutes))
    return Deadlines(post=_plus(post, extra), comments=_plus(comments, extra), source=source, extra=extra)


def late_by(deadline: datetime | None, published_at: datetime, policy: LatePolicy) -> timedelta | None:
    """How late an essay published at `published_at` is, from the deadline; None when on time (grace kept)."""
    if deadline is None or published_at <= deadline + policy.grace:
        return None
    return published_at - deadline


def penalty_percent(deadline: datetime | None, published_at: datetime, policy: LatePolicy) -> float:
    """The late penalty in percent: per started day after the grace period, capped; all of it if closed."""
    if late_by(deadline, published_at, policy) is None:
        return 0.0
    if policy.kind == "closed":
        return 100.0
    if policy.kind != "penalty":
        return 0.0
    after_grace = published_at - (deadline + policy.grace)
    started_days = math.ceil(after_grace / DAY)
    cap = min(max(policy.cap_percent, 0.0), 100.0)
    return min(started_days * max(policy.percent_per_day, 0.0), cap)


def publishing_closed(deadline: datetime | None, policy: LatePolicy, now: datetime) -> bool:
    """A closed assignment refuses essays once its deadline and grace period have passed."""
    return policy.kind == "closed" and deadline is not None and now > deadline + policy.grace


@dataclass(frozen=True)
class EssayFacts:
    """What a student has written for one assignment (trashed essays left out)."""

    published_at: datetime | None = None  # the first publication (or scheduled time)
    published_post_id: int | None = None
    draft_post_id: int | None = None


def essay_status(
    deadlines: Deadlines,
    policy: LatePolicy,
    now: datetime,
    essay: EssayFacts = EssayFacts(),  # noqa: B008 - frozen, so one shared default is safe
    *,
    excused: bool = False,
    joined_at: datetime | None = None,
) -> EssayStatus:
    due = deadlines.post
    has_draft = essay.draft_post_id is not None
    if excused:
        return EssayStatus(EssayState.EXCUSED, has_draft=has_draft)
    joined_after_due = due is not None and joined_at is not None and joined_at > due
    published = essay.published_at
    if published is not None:
        if joined_after_due:  # could not have been on time: judged as on time, no penalty
            state = EssayState.SCHEDULED if published > now else EssayState.ON_TIME
            return EssayStatus(state, has_draft=has_draft)
        lateness = late_by(due, published, policy)
        penalty = penalty_percent(due, published, policy)
        if published > now:
            return EssayStatus(EssayState.SCHEDULED, lateness, penalty, has_draft)
        state = EssayState.LATE if lateness is not None else EssayState.ON_TIME
        return EssayStatus(state, lateness, penalty, has_draft)
    past_due = due is not None and now > due + policy.grace
    if past_due and not joined_after_due:
        state = EssayState.CLOSED if policy.kind == "closed" else EssayState.MISSING
        return EssayStatus(state, has_draft=has_draft)
    if past_due:
        return EssayStatus(EssayState.NOT_REQUIRED, has_draft=has_draft)
    return EssayStatus(EssayState.DRAFT if has_draft else EssayState.NOT_STARTED, has_draft=has_draft)


def time_left_text(due: datetime, now: datetime) -> str:
    """'in 2 days', 'in 3 h 10 min', '2 days ago': how far a deadline is, roughly."""
    delta = due - now
    ahead = delta >= timedelta(0)
    size = abs(delta)
    if size >= 2 * DAY:
        text = f"{round(size / DAY)} days"
    elif size < timedelta(minutes=1):
        return "now"
    else:
        text = elapsed_text(size - timedelta(seconds=size.seconds % 60))
    return f"in {text}" if ahead else f"{text} ago"
