from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursesite.extensions import db
from coursesite.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from coursesite.models.user import User

VISIBILITIES = ("public", "members")
ROLES = ("instructor", "ta", "student")
STAFF_ROLES = frozenset({"instructor", "ta"})
MODERATION_CHOICES = ("off", "first", "all")


def new_join_code() -> str:
    # Unambiguous letters and digits, easy to read aloud in a classroom.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    term: Mapped[str] = mapped_column(String(80), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    visibility: Mapped[str] = mapped_column(String(10), default="members")
    allow_indexing: Mapped[bool] = mapped_column(default=False)
    join_code: Mapped[str] = mapped_column(String(16), unique=True, default=new_join_code)
    comment_moderation: Mapped[str] = mapped_column(String(10), default="off")
    comment_edit_minutes: Mapped[int] = mapped_column(default=15)
    # Deadline reminders to students (send-reminders), this many hours before each student's own deadline.
    send_reminders: Mapped[bool] = mapped_column(default=True, server_default="1")
    reminder_hours: Mapped[int] = mapped_column(default=24, server_default="24")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    sections: Mapped[list[Section]] = relationship(
        back_populates="course", order_by="Section.name", cascade="all, delete-orphan"
    )

    @property
    def is_public(self) -> bool:
        return self.visibility == "public"

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class ParticipationVersion(db.Model):
    """Raised in the same transaction as any change to what a course's participation is counted from: counts
    kept in Flask-Caching are stored under it, so a kept count is never one a later change made stale
    (participation/versions.py). A row of its own, not a column of the course: the course's row is read on
    every page and keys the visitors' copy of every essay."""

    __tablename__ = "participation_versions"

    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


class Section(db.Model):
    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("course_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))

    course: Mapped[Course] = relationship(back_populates="sections")


class Enrollment(db.Model):
    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("course_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12), default="student")
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="SET NULL"))
    # A course display name (pseudonym) shown instead of the account name in this course.
    course_name: Mapped[str | None] = mapped_column(String(120))
    canvas_user_id: Mapped[str | None] = mapped_column(String(64))
    sis_user_id: Mapped[str | None] = mapped_column(String(64))
    sis_login_id: Mapped[str | None] = mapped_column(String(128))
    # Standing accommodation: extra time on every deadline of the course.
    extra_minutes: Mapped[int] = mapped_column(default=0)
    comment_suspended: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()
    section: Mapped[Section | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    @property
    def is_staff(self) -> bool:
        return self.is_active and self.role in STAFF_ROLES

    @property
    def shown_name(self) -> str:
        return self.course_name or self.user.display_name
