"""An invitation to join a course, from a roster import: nobody joins until they accept it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursesite.extensions import db
from coursesite.models.course import Course, Section
from coursesite.models.types import UTCDateTime, utcnow
from coursesite.models.user import User


class CourseInvitation(db.Model):
    """What the roster file offered one account (role, section, IDs), held until they accept or decline.

    `name` is the name the file gave, the one the roster shows: never the account's own name, which the
    instructor may not know.
    """

    __tablename__ = "course_invitations"
    __table_args__ = (UniqueConstraint("course_id", "user_id", name="uq_course_invitations_course_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(String(12), default="student")
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="SET NULL"))
    name: Mapped[str | None] = mapped_column(String(120))
    canvas_user_id: Mapped[str | None] = mapped_column(String(64))
    sis_user_id: Mapped[str | None] = mapped_column(String(64))
    sis_login_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    course: Mapped[Course] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
    section: Mapped[Section | None] = relationship()
