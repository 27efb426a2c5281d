from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursesite.extensions import db
from coursesite.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from coursesite.models.user import User


class RubricCriterion(db.Model):
    __tablename__ = "rubric_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[float] = mapped_column()
    # The criterion's levels, e.g. [{"name": "Excellent", "points": 10}, {"name": "Good", "points": 7}]: a
    # grader picks one. Empty: the grader types the points (up to `points`), as before levels existed.
    levels: Mapped[list] = mapped_column(JSON, default=list, server_default=text("'[]'"))


class Grade(db.Model):
    __tablename__ = "grades"
    __table_args__ = (UniqueConstraint("assignment_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    post_score: Mapped[float | None] = mapped_column()
    # Criterion id (as text) -> points awarded, when the assignment has a rubric.
    rubric_scores: Mapped[dict] = mapped_column(JSON, default=dict)
    comment_score_override: Mapped[float | None] = mapped_column()
    override_reason: Mapped[str | None] = mapped_column(String(500))
    feedback: Mapped[str] = mapped_column(Text, default="")
    feedback_html: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The version its student last saw on My grades, once released; This week calls a later one "new". Written
    # by a statement of its own (grading.reports.mark_seen), so seeing a grade is no change to it.
    seen_version: Mapped[int | None] = mapped_column()

    graded_by: Mapped[User | None] = relationship(foreign_keys=[graded_by_id])

    # Optimistic locking: every UPDATE checks the version it read, so a second grader's stale save fails
    # instead of silently replacing the first grader's work.
    __mapper_args__ = {"version_id_col": version}


class GradeChange(db.Model):
    """Who changed a grade, when, and to what."""

    __tablename__ = "grade_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    grade_id: Mapped[int] = mapped_column(ForeignKey("grades.id", ondelete="CASCADE"), index=True)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)

    changed_by: Mapped[User | None] = relationship(foreign_keys=[changed_by_id])
