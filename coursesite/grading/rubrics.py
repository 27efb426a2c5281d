"""An assignment's rubric: criteria with a title, a description, points and levels, or none for a single score."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.grading.rules import Criterion, Level, points_text
from coursesite.models import Assignment, Grade, RubricCriterion

MODES = ("rubric", "single")
MAX_LEVELS = 8


@dataclass(frozen=True)
class LevelRow:
    """One level of a criterion as typed in the rubric editor."""

    name: str = ""
    points: float | None = None

    @property
    def blank(self) -> bool:
        return not self.name.strip() and self.points is None


@dataclass(frozen=True)
class CriterionRow:
    """One row of the rubric editor as typed; `id` is set for a criterion that already exists."""

    id: int | None = None
    title: str = ""
    description: str = ""
    points: float | None = None
    position: int | None = None
    remove: bool = False
    levels: tuple[LevelRow, ...] = ()

    @property
    def blank(self) -> bool:
        return (self.id is None and not self.title.strip() and not self.description.strip() and self.points is None
                and all(level.blank for level in self.levels))

    @property
    def typed_levels(self) -> list[LevelRow]:
        return [level for level in self.levels if not level.blank]


# Field errors are keyed by (row index, field name), a level's by (row index, "levels-<n>-<field>");
# form-wide ones by (None, None).
RubricErrors = dict[tuple[int | None, str | None], str]


def check_rubric(
    rows: Sequence[CriterionRow], mode: str, post_points: float
) -> tuple[list[CriterionRow], RubricErrors]:
    """The criteria to keep, in order, and what is wrong with the rows as typed.

    Removed rows and untouched blank rows are dropped. A rubric needs at least one criterion and its points
    must add up to the essay's points; "single" mode keeps no criteria (saved ones are deleted, but newly
    typed ones are not silently dropped).
    """
    errors: RubricErrors = {}
    if mode not in MODES:
        errors[(None, None)] = "Choose a rubric or a single score."
        return [], errors
    kept = [(index, row) for index, row in enumerate(rows) if not row.remove and not row.blank]
    if mode == "single":
        if any(row.id is None for _, row in kept):
            errors[(None, None)] = (
                "You typed new criteria but chose a single score. Choose “With a rubric” to keep them, "
                "or clear those rows."
            )
        return [], errors
    for index, row in kept:
        if not row.title.strip():
            errors[(index, "title")] = "Give the criterion a title."
        elif len(row.title.strip()) > 200:
            errors[(index, "title")] = "Keep the title under 200 characters."
        if row.points is None:
            errors[(index, "points")] = "Enter the criterion's points."
        elif not math.isfinite(row.points) or row.points <= 0:
            errors[(index, "points")] = "Points must be more than 0."
        errors.update(level_errors(index, row))
    if not kept:
        errors[(None, None)] = "Add at least one criterion, or choose a single score."
    elif not errors:
        total = round(sum(row.points for _, row in kept), 2)
        if total != round(post_points, 2):
            errors[(None, None)] = (
                f"The criteria add up to {points_text(total)} points, but the essay is worth "
                f"{points_text(post_points)}. Make them add up to {points_text(post_points)}, "
                "or change the essay's points in the assignment."
            )
    ordered = sorted(kept, key=lambda pair: (pair[1].position if pair[1].position is not None else pair[0], pair[0]))
    return [row for _, row in ordered], errors


def level_errors(index: int, row: CriterionRow) -> RubricErrors:
    """What is wrong with a criterion's levels: each needs a name and points within the criterion's."""
    errors: RubricErrors = {}
    names: set[str] = set()
    for n, level in enumerate(row.levels):
        if level.blank:
            continue
        name = level.name.strip()
        if not name:
            errors[(index, f"levels-{n}-name")] = "Name the level, e.g. Good."
        elif len(name) > 100:
            errors[(index, f"levels-{n}-name")] = "Keep the level's name under 100 characters."
        elif name.casefold() in names:
            errors[(index, f"levels-{n}-name")] = "Two levels have this name: give each its own."
        names.add(name.casefold())
        if level.points is None:
            errors[(index, f"levels-{n}-points")] = "Enter the level's points."
        elif not math.isfinite(level.points) or level.points < 0:
            errors[(index, f"levels-{n}-points")] = "Points must be 0 or more."
        elif row.points is not None and level.points > row.points:
            errors[(index, f"levels-{n}-points")] = (
                f"At most the criterion's {points_text(row.points)} points.")
    return errors


def scores_over(assignment_id: int, rows: Sequence[CriterionRow]) -> RubricErrors:
    """Saved criteria whose new points are fewer than saved grades give them. Lowered anyway, a student would
    be shown "4 of 3", and the grade could not be saved again as it is: the change waits until those grades
    are changed."""
    kept = {row.id: (index, row) for index, row in enumerate(rows)
            if row.id is not None and not row.remove and row.points is not None and math.isfinite(row.points)}
    over: dict[int, list[float]] = {}
    if kept:
        for scores in db.session.scalars(select(Grade.rubric_scores).where(Grade.assignment_id == assignment_id)):
            for key, points in (scores or {}).items():
                criterion = kept.get(int(key)) if str(key).isdigit() else None
                if criterion is not None and points is not None and points > criterion[1].points:
                    over.setdefault(int(key), []).append(points)
    errors: RubricErrors = {}
    for criterion_id, points in over.items():
        index, row = kept[criterion_id]
        most, count = max(points), len(points)
        errors[(index, "points")] = (
            f"{count} saved {'grade gives' if count == 1 else 'grades give'} {row.title.strip()} up to "
            f"{points_text(most)} points, more than {points_text(row.points)}: change "
            f"{'that grade' if count == 1 else 'those grades'} first, or keep at least {points_text(most)} points.")
    return errors


def criteria_of(assignment_id: int) -> list[RubricCriterion]:
    return list(
        db.session.scalars(
            select(RubricCriterion)
            .where(RubricCriterion.assignment_id == assignment_id)
            .order_by(RubricCriterion.position, RubricCriterion.id)
        )
    )


def as_criteria(rows: Sequence[RubricCriterion]) -> list[Criterion]:
    return [Criterion(row.id, row.title, row.points,
                      tuple(Level(level["name"], level["points"]) for level in row.levels or ()))
            for row in rows]


def save_rubric(assignment: Assignment, rows: Sequence[CriterionRow]) -> list[RubricCriterion]:
    """Make the assignment's criteria exactly `rows` (checked by check_rubric), keeping ids that exist."""
    existing = {criterion.id: criterion for criterion in criteria_of(assignment.id)}
    saved = []
    for position, row in enumerate(rows, start=1):
        criterion = existing.pop(row.id, None) if row.id is not None else None
        if criterion is None:
            criterion = RubricCriterion(assignment_id=assignment.id)
            db.session.add(criterion)
        criterion.title = row.title.strip()
        criterion.description = row.description.strip()
        criterion.points = row.points
        criterion.position = position
        criterion.levels = [{"name": level.name.strip(), "points": level.points} for level in row.typed_levels]
        saved.append(criterion)
    for criterion in existing.values():
        db.session.delete(criterion)
    db.session.flush()
    return saved


def deleted_by(assignment_id: int, rows: Sequence[CriterionRow]) -> list[RubricCriterion]:
    """The saved criteria that saving `rows` (as check_rubric kept them) would delete."""
    kept = {row.id for row in rows if row.id is not None}
    return [criterion for criterion in criteria_of(assignment_id) if criterion.id not in kept]


def graded_count(assignment_id: int) -> int:
    """Grades already saved for the assignment (a rubric change does not rescore them)."""
    return db.session.scalar(
        select(func.count(Grade.id)).where(Grade.assignment_id == assignment_id, Grade.post_score.is_not(None))
    )
