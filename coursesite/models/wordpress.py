"""What a WordPress import remembers: who an email-less WordPress person became, and uploads awaiting confirmation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from coursesite.extensions import db
from coursesite.models.types import UTCDateTime, utcnow


class WordPressPerson(db.Model):
    """A WordPress author or commenter without an email, and the guest account made for them in a course.

    `identity` is a digest of what WordPress knew (the author's login, or the commenter's name and URL), so
    importing the same blog again finds the same guest instead of making another.
    """

    __tablename__ = "wordpress_people"
    __table_args__ = (Index("uq_wordpress_people_course_identity", "course_id", "identity", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    identity: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class PendingImport(db.Model):
    """An uploaded WXR file shown as a preview, kept until the instructor confirms it (or a day passes).

    Kept in the database, not on disk, so any web worker on any host can finish the import.
    """

    __tablename__ = "pending_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255), default="")
    data: Mapped[bytes] = mapped_column(LargeBinary)
    include_drafts: Mapped[bool] = mapped_column(default=False)
    include_pending: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
