"""What the course's scheduled mail has sent: deadline reminders to students, weekly digests to staff.

A unique key per message is what makes the commands safe to run twice (or every ten minutes): a second
run finds the row and sends nothing. A reminder is keyed by its deadline, so a changed deadline is a new
reminder. A reminder's row (and its in-app notice) stays once recorded; its email is marked apart, so one
the mail server refused is tried again while the deadline is still to come.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coursesite.extensions import db
from coursesite.models.types import UTCDateTime, utcnow

REMINDER_KINDS = ("essay", "comments")


class SentReminder(db.Model):
    __tablename__ = "sent_reminders"
    __table_args__ = (UniqueConstraint("user_id", "assignment_id", "kind", "deadline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "essay" | "comments"
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(String(300))  # the notice as sent, shown among the notifications
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)  # recorded, notice shown
    # Set, and committed, before the mail server is asked; cleared again if it refuses. None: not emailed yet.
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The mail server took it; a claim never confirmed is taken again after notifications.lease.EMAIL_LEASE.
    email_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SentStaffDigest(db.Model):
    """One weekly digest per staff member per course per week (the Monday it starts, course time)."""

    __tablename__ = "sent_staff_digests"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "week_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    week_of: Mapped[date] = mapped_column(Date())
    # The claim, made and committed before the mail server is asked; the row is deleted if the server refuses.
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The mail server took it; a claim never confirmed is taken again after notifications.lease.EMAIL_LEASE.
    email_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
