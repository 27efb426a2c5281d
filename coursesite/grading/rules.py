"""Grading rules: rubric and essay scores, the comment score, late penalties, excusals and totals.

The rules are pure functions of plain values: views, exports and the student's My grades page read numbers
from the models, pass them in, and show what comes back. The functions at the end read the database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from coursesite.participation.rules import comment_score as participation_comment_score
from coursesite.text.timefmt import elapsed_text

EXCUSED = "EX"


class ScoreError(ValueError):
    """A score or override that cannot be saved; `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def points_text(value: float) -> str:
    """7, 7.5, 6.67: at most two decimals, no trailing zeros."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def score_text(value: float, possible: float) -> str:
    """A score as every page shows it: "7 of 10", "7.5 of 10"."""
    return f"{points_text(value)} of {points_text(possible)}"


@dataclass(frozen=True)
class AssignmentRules:
    """What an assignment is worth and how it treats late essays."""

    post_points: float
    comment_points: float = 0
    required_comments: int = 0
    late_policy: str = "accept"
    grace_minutes: int = 0
    penalty_percent_per_day: float = 0
    penalty_cap_percent: float = 100

    @classmethod
    def of(cls, assignment) -> AssignmentRules:
        return cls(
            post_points=assignment.post_points or 0,
            comment_points=assignment.comment_points or 0,
            required_comments=assignment.required_comments or 0,
            late_policy=assignment.late_policy or "accept",
            grace_minutes=assignment.grace_minutes or 0,
            penalty_percent_per_day=assignment.penalty_percent_per_day or 0,
            penalty_cap_percent=100 if assignment.penalty_cap_percent is None else assignment.penalty_cap_percent,
        )

    @property
    def possible(self) -> float:
        return self.post_points + self.comment_points


@dataclass(frozen=True)
class Level:
    """One level of a rubric criterion: "Good", 7 points."""

    name: str
    points: float


@dataclass(frozen=True)
class Criterion:
    id: int
    title: str
    points: float
    levels: tuple[Level, ...] = ()

    def level_of(self, points: float | None) -> Level | None:
        """The level worth exactly these points, if any (a grade stores points, not the level's name)."""
        return next((level for level in self.levels if points is not None and level.points == points), None)


def check_points(value: float, maximum: float, field: str | None = None) -> float:
    """A score between 0 and `maximum`, or ScoreError."""
    if not math.isfinite(value) or value < 0 or value > maximum:
        raise ScoreError(f"Enter a score from 0 to {points_text(maximum)}.", field)
    return value


def criterion_field(criterion_id: int) -> str:
    return f"criterion_{criterion_id}"


def rubric_score(criteria: Sequence[Criterion], awarded: Mapping[int, float | None]) -> float | None:
    """The sum of the points awarded per criterion; None while no criterion is scored.

    Every criterion must be scored once any is, each within 0..its points.
    """
    given = {c.id: awarded.get(c.id) for c in criteria}
    if all(value is None for value in given.values()):
        return None
    total = 0.0
    for criterion in criteria:
        value = given[criterion.id]
        if value is None:
            raise ScoreError("Score every criterion, or leave them all blank.", criterion_field(criterion.id))
        total += check_points(value, criterion.points, criterion_field(criterion.id))
    return round(total, 2)


def essay_score(
    rules: AssignmentRules,
    criteria: Sequence[Criterion] = (),
    awarded: Mapping[int, float | None] | None = None,
    single: float | None = None,
) -> float | None:
    """The essay's score from the rubric (when it has criteria) or the single score; None when not scored."""
    if criteria:
        score = rubric_score(criteria, awarded or {})
        if score is not None and score > rules.post_points:
            raise ScoreError(
                f"The criteria add up to {points_text(score)}, more than the essay's {points_text(rules.post_points)} "
                "points. Correct the rubric first."
            )
        return score
    if single is None:
        return 0.0 if rules.post_points == 0 else None
    return check_points(single, rules.post_points, "essay_score")


def grade_entry_errors(
    rules: AssignmentRules,
    criteria: Sequence[Criterion],
    awarded: Mapping[int, float | None],
    single: float | None,
    override: float | None,
    reason: str | None,
) -> dict[str, str]:
    """Every problem with a grading form as typed, by field name ("" for the form as a whole)."""
    errors: dict[str, str] = {}

    def note(error: ScoreError) -> None:
        errors.setdefault(error.field or "", str(error))

    if criteria:
        any_given = any(awarded.get(c.id) is not None for c in criteria)
        for criterion in criteria:
            value = awarded.get(criterion.id)
            try:
                if value is not None:
                    check_points(value, criterion.points, criterion_field(criterion.id))
                elif any_given:
                    raise ScoreError("Score every criterion, or leave them all blank.", criterion_field(criterion.id))
            except ScoreError as error:
                note(error)
    if not errors:
        try:
            essay_score(rules, criteria, awarded, single)
        except ScoreError as error:
            note(error)
    try:
        with_override(comment_score(0, rules.required_comments, rules.comment_points), override, reason)
    except ScoreError as error:
        note(error)
    return errors


@dataclass(frozen=True)
class CommentScore:
    qualifying: int
    required: int
    possible: float
    computed: float
    explanation: str
    override: float | None = None
    reason: str | None = None

    @property
    def overridden(self) -> bool:
        return self.override is not None

    @property
    def value(self) -> float:
        return self.override if self.override is not None else self.computed


def comment_score(qualifying: int, required: int, points: float) -> CommentScore:
    """The participation rules' comment score (points × min(1, qualifying / required)), with the line that
    explains it."""
    qualifying = max(0, qualifying)
    computed = participation_comment_score(points, qualifying, required)
    if required <= 0:
        reached = "No comments required"
    elif qualifying > required:
        reached = f"{qualifying} qualifying comments, {required} required"
    else:
        reached = f"{qualifying} of {required} qualifying comment{'s' if required != 1 else ''}"
    explanation = f"{reached} → {score_text(computed, points)}"
    return CommentScore(qualifying, required, points, computed, explanation)


def with_override(score: CommentScore, override: float | None, reason: str | None) -> CommentScore:
    """Replace the computed comment score by staff's, which needs a reason; None keeps the computed one."""
    if override is None:
        return score
    check_points(override, score.possible, "comment_override")
    reason = (reason or "").strip()
    if not reason:
        raise ScoreError("Say why the computed comment score is replaced.", "override_reason")
    return CommentScore(
        score.qualifying, score.required, score.possible, score.computed, score.explanation, override, reason
    )


@dataclass(frozen=True)
class LatePenalty:
    late_by: timedelta | None = None
    percent: float = 0
    explanation: str = ""

    def apply(self, essay: float) -> float:
        return round(essay * (1 - self.percent / 100), 2)


def late_penalty(late_by: timedelta | None, rules: AssignmentRules) -> LatePenalty:
    """Percent off the essay: per started day after the grace period, up to the cap; all of it when closed."""
    if late_by is None or late_by <= timedelta(0):
        return LatePenalty()
    late = f"Late by {elapsed_text(late_by)}"
    grace = timedelta(minutes=max(0, rules.grace_minutes))
    if late_by <= grace:
        return LatePenalty(late_by, 0, f"{late}, within the {elapsed_text(grace)} grace period: no penalty.")
    if rules.late_policy == "closed":
        return LatePenalty(late_by, 100, f"{late}: this assignment takes no late essays, so the essay scores 0.")
    if rules.late_policy != "penalty" or rules.penalty_percent_per_day <= 0:
        return LatePenalty(late_by, 0, f"{late}: late essays are accepted without penalty.")
    days = math.ceil((late_by - grace) / timedelta(days=1))
    raw = days * rules.penalty_percent_per_day
    cap = min(100.0, max(0.0, rules.penalty_cap_percent))
    percent = min(raw, cap)
    after = " after the grace period" if grace else ""
    text = (
        f"{late}: {days} started day{'s' if days != 1 else ''}{after} × "
        f"{points_text(rules.penalty_percent_per_day)}% = {points_text(raw)}% off the essay"
    )
    if raw > cap:
        text += f", capped at {points_text(cap)}%"
    return LatePenalty(late_by, percent, text + ".")


@dataclass(frozen=True)
class AssignmentResult:
    """One student's standing on one assignment, as exports and My grades show it."""

    rules: AssignmentRules
    essay: float | None = None
    comments: CommentScore | None = None
    penalty: LatePenalty = field(default_factory=LatePenalty)
    excused: bool = False

    @property
    def graded(self) -> bool:
        return self.essay is not None

    @property
    def essay_after_penalty(self) -> float | None:
        return None if self.essay is None else self.penalty.apply(self.essay)

    @property
    def comment_value(self) -> float | None:
        return None if self.comments is None else round(self.comments.value, 2)

    @property
    def total(self) -> float | None:
        if self.excused or not self.graded:
            return None
        return round(self.essay_after_penalty + (self.comment_value or 0), 2)

    def cell(self, part: str = "total") -> str | float | None:
        """What a gradebook shows: EX when excused, blank (None) when not graded, else the number."""
        if self.excused:
            return EXCUSED
        if not self.graded:
            return None
        return {"total": self.total, "essay": self.essay_after_penalty, "comments": self.comment_value}[part]


def assignment_result(
    rules: AssignmentRules,
    *,
    essay: float | None,
    qualifying: int = 0,
    late_by: timedelta | None = None,
    override: float | None = None,
    reason: str | None = None,
    excused: bool = False,
) -> AssignmentResult:
    """Combine saved scores with the rules: penalty on the essay, override or computed comment score."""
    comments = comment_score(qualifying, rules.required_comments, rules.comment_points)
    if override is not None:
        comments = CommentScore(
            comments.qualifying, comments.required, comments.possible, comments.computed, comments.explanation,
            override, reason,
        )
    return AssignmentResult(rules, essay, comments, late_penalty(late_by, rules), excused)


def course_total(results: Iterable[AssignmentResult]) -> tuple[float, float]:
    """(points earned, points possible) over graded assignments; excused ones count for neither."""
    earned = possible = 0.0
    for result in results:
        if result.total is not None:
            earned += result.total
            possible += result.rules.possible
    return round(earned, 2), round(possible, 2)


# --- Lateness against a student's own due date; comment counts read from the database ------------------


def needs_grading(graded: bool, excused: bool) -> bool:
    """A student's work on an assignment waits for a grade: not graded yet and not excused (essay or none)."""
    return not graded and not excused


def essay_late_by(due_at: datetime | None, published_at: datetime | None) -> timedelta | None:
    """How long after the student's own due date (section, extension, accommodation) the essay
    was published; None when on time or unpublished. The grace period is late_penalty's to apply."""
    if due_at is None or published_at is None or published_at <= due_at:
        return None
    return published_at - due_at


def qualifying_comment_counts(
    course_id: int, *, student_id: int | None = None, assignment_id: int | None = None
) -> dict[tuple[int, int], int]:
    """{(assignment id, student id): comments that count toward K}, each student's own comment deadline
    (section, extension, accommodation) applied: the participation engine's on-time count."""
    from coursesite.participation.counts import participation_counts

    counts = participation_counts(course_id, assignment_id=assignment_id,
                                  student_ids=None if student_id is None else [student_id])
    return {pair: c.on_time for pair, c in counts.items() if c.on_time}
