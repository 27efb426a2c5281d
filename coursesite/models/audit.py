"""What site admins did to accounts: one line per action, with nothing of the person it was done to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursesite.extensions import db
from coursesite.models.types import UTCDateTime, utcnow
from coursesite.models.user import User

AUDIT_ACTIONS = ("anonymise", "export")


class AccountAudit(db.Model):
    """Who did what to which account, and when.

    `account_id` is a plain number, no foreign key: the line outlives the account, and names nobody.
    """

    __tablename__ = "account_audit"
    __table_args__ = (Index("ix_account_audit_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[int] = mapped_column()

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
