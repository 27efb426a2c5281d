from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursesite.extensions import db
from coursesite.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from coursesite.models.course import Course

PEER_MODES = ("open", "assigned")
PEER_SCOPES = ("course", "section")
LATE_POLICIES = ("accept", "penalty", "closed")


class Assignment(db.Model):
    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    prompt: Mapped[str] = mapped_column(Text, default="")
    prompt_html: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    post_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    comments_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    required_comments: Mapped[int] = mapped_column(default=0)
    min_comment_words: Mapped[int] = mapped_column(default=0)
    min_post_words: Mapped[int] = mapped_column(default=0)
    post_points: Mapped[float] = mapped_column(default=10)
    comment_points: Mapped[float] = mapped_column(default=0)
    # Late policy: a grace period always applies; then accept, penalise per day up to a cap, or close.
    late_policy: Mapped[str] = mapped_column(String(10), default="accept")
    grace_minutes: Mapped[int] = mapped_column(default=0)
    penalty_percent_per_day: Mapped[float] = mapped_column(default=0)
    penalty_cap_percent: Mapped[float] = mapped_column(default=100)
    peer_mode: Mapped[str] = mapped_column(String(10), default="open")
    peer_scope: Mapped[str] = mapped_column(String(10), default="course")
    comments_counted_per_essay: Mapped[int] = mapped_column(default=1)
    canvas_assignment_id: Mapped[str | None] = mapped_column(String(64))
    grades_released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    course: Mapped[Course] = relationship()

    def __repr__(self) -> str:
        return f"<Assignment {self.id} {self.title!r}>"

    def under_min_words(self, word_count: int) -> bool:
        """An essay short of the minimum is flagged to staff, never refused."""
        return word_count < (self.min_post_words or 0)


class SectionDeadline(db.Model):
    """A section's own due dates for one assignment."""

    __tablename__ = "section_deadlines"
    __table_args__ = (UniqueConstraint("assignment_id", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    post_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    comments_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Extension(db.Model):
    """One student's own deadlines for one assignment."""

    __tablename__ = "extensions"
    __table_args__ = (UniqueConstraint("assignment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    post_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    comments_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Excusal(db.Model):
    __tablename__ = "excusals"
    __table_args__ = (UniqueConstraint("assignment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
