"""Saving grades: optimistic locking, the change log, feedback, and releasing an assignment's grades."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from coursesite.extensions import db
from coursesite.grading.rubrics import as_criteria, criteria_of
from coursesite.grading.rules import AssignmentRules, essay_score, points_text
from coursesite.models import Assignment, Grade, GradeChange, User
from coursesite.text.markdown import render_essay


@dataclass(frozen=True)
class GradeEntry:
    """What a grader typed, parsed into numbers; None is a blank field."""

    awarded: Mapping[int, float | None] = field(default_factory=dict)
    single: float | None = None
    override: float | None = None
    reason: str = ""
    feedback: str = ""


class GradeConflict(Exception):
    """Someone else saved this grade after the form was opened."""


def grade_for(assignment_id: int, student_id: int) -> Grade | None:
    return db.session.scalar(
        select(Grade)
        .options(selectinload(Grade.graded_by))
        .where(Grade.assignment_id == assignment_id, Grade.student_id == student_id)
        .execution_options(populate_existing=True)
    )


def grade_history(grade: Grade | None) -> list[GradeChange]:
    if grade is None:
        return []
    return list(
        db.session.scalars(
            select(GradeChange)
            .options(selectinload(GradeChange.changed_by))
            .where(GradeChange.grade_id == grade.id)
            .order_by(GradeChange.changed_at.desc(), GradeChange.id.desc())
        )
    )


def _snapshot(grade: Grade | None, titles: Mapping[int, str]) -> dict:
    if grade is None:
        return {"essay_score": None, "rubric": {}, "comment_override": None, "override_reason": None, "feedback": ""}
    rubric = {titles[int(k)]: v for k, v in (grade.rubric_scores or {}).items() if int(k) in titles}
    return {
        "essay_score": grade.post_score,
        "rubric": rubric,
        "comment_override": grade.comment_score_override,
        "override_reason": grade.override_reason,
        "feedback": grade.feedback or "",
    }


def _diff(old: dict, new: dict) -> dict:
    changes: dict = {}
    for key in ("essay_score", "comment_override", "override_reason", "feedback"):
        if old[key] != new[key]:
            changes[key] = [old[key], new[key]]
    rubric = {
        title: [old["rubric"].get(title), value]
        for title, value in new["rubric"].items()
        if old["rubric"].get(title) != value
    }
    if rubric:
        changes["rubric"] = rubric
    return changes


def save_grade(
    assignment: Assignment, student_id: int, grader: User, entry: GradeEntry, expected_version: int, now: datetime
) -> Grade:
    """Save a checked entry (see grading.grade_entry_errors) and log what changed, by whom and when.

    `expected_version` is the grade's version when the form was opened (0 for no grade yet). Raises
    GradeConflict, having written nothing, if the grade changed since: the caller shows both versions.
    """
    grade = grade_for(assignment.id, student_id)
    if (grade.version if grade else 0) != expected_version:
        raise GradeConflict()
    criteria = criteria_of(assignment.id)
    titles = {c.id: c.title for c in criteria}
    rules = AssignmentRules.of(assignment)
    essay = essay_score(rules, as_criteria(criteria), entry.awarded, entry.single)
    has_override = entry.override is not None
    new = {
        "essay_score": essay,
        "rubric": {c.title: entry.awarded.get(c.id) for c in criteria},
        "comment_override": entry.override,
        "override_reason": entry.reason.strip() if has_override else None,
        "feedback": entry.feedback.strip(),
    }
    changes = _diff(_snapshot(grade, titles), new)
    if grade is not None and not changes:
        return grade
    # A savepoint, so that losing a race to another grader undoes only this save.
    savepoint = db.session.begin_nested()
    try:
        if grade is None:
            grade = Grade(assignment_id=assignment.id, student_id=student_id)
            db.session.add(grade)
        grade.post_score = essay
        grade.rubric_scores = {str(c.id): entry.awarded.get(c.id) for c in criteria}
        grade.comment_score_override = entry.override
        grade.override_reason = new["override_reason"]
        grade.feedback = new["feedback"]
        grade.feedback_html = render_essay(new["feedback"]) if new["feedback"] else ""
        grade.graded_by_id = grader.id
        grade.graded_at = now
        db.session.flush()
    except (StaleDataError, IntegrityError) as error:
        # Another grader's save landed between our read and our write.
        savepoint.rollback()
        raise GradeConflict() from error
    savepoint.commit()
    db.session.add(GradeChange(grade_id=grade.id, changed_by_id=grader.id, changed_at=now, changes=changes))
    db.session.flush()
    return grade


def _value(value) -> str:
    if value is None or value == "":
        return "—"
    return points_text(value) if isinstance(value, int | float) else str(value)


def describe_change(changes: Mapping) -> list[str]:
    """A grade change in words: "essay score — → 8", "Thesis 3 → 4", "feedback edited"."""
    lines = []
    if "essay_score" in changes:
        lines.append("essay score {} → {}".format(*map(_value, changes["essay_score"])))
    for title, (old, new) in (changes.get("rubric") or {}).items():
        lines.append(f"{title} {_value(old)} → {_value(new)}")
    if "comment_override" in changes:
        old, new = changes["comment_override"]
        lines.append("comment score: computed again" if new is None else f"comment score set to {_value(new)}")
    if "override_reason" in changes and changes["override_reason"][1]:
        lines.append(f"reason: {changes['override_reason'][1]}")
    if "feedback" in changes:
        old, new = changes["feedback"]
        lines.append("feedback written" if not old else "feedback removed" if not new else "feedback edited")
    return lines


def release_grades(assignment: Assignment, now: datetime) -> bool:
    """Students see the assignment's grades from now on; False if they already did."""
    if assignment.grades_released_at is not None:
        return False
    assignment.grades_released_at = now
    db.session.flush()
    return True


def unrelease_grades(assignment: Assignment) -> bool:
    if assignment.grades_released_at is None:
        return False
    assignment.grades_released_at = None
    db.session.flush()
    return True
