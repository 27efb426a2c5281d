from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursesite.extensions import db
from coursesite.models.types import UTCDateTime, text_search_index, utcnow

if TYPE_CHECKING:
    from coursesite.models.post import Post
    from coursesite.models.user import User

COMMENT_STATUSES = ("visible", "held", "hidden")
SHOWN = "status = 'visible' AND deleted_at IS NULL"  # under its essay: neither held, hidden nor deleted


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_post_created", "post_id", "created_at"),
        # A person's latest comment (the repeat check on every new comment, their own-latest in the essay tag).
        Index("ix_comments_author_created", "author_id", "created_at"),
        # The few held and hidden comments moderation looks for (the badge on every staff page), found
        # without reading every comment row.
        Index("ix_comments_status", "status"),
        # The participation engine (participation/counts.py) reads comments from this index alone.
        Index("ix_comments_participation", "post_id", "author_id", "status", "deleted_at", "word_count",
              "created_at", "edited_at"),
        # The same, by author: some students' counts (a dashboard page's) start from their comments alone. With
        # the id, which PostgreSQL's indexes do not hold otherwise.
        Index("ix_comments_author_participation", "author_id", "post_id", "status", "deleted_at", "word_count",
              "created_at", "edited_at", "id"),
        # The comments shown under each essay, counted for every essay of an assignment to offer those with the
        # fewest first: an index of the shown ones alone, a third smaller to search than the engine's.
        Index("ix_comments_shown", "post_id", postgresql_where=text(SHOWN), sqlite_where=text(SHOWN)),
        # The blog's search finds the comments holding a word from this.
        text_search_index("ix_comments_body_trgm", "body"),
        # A WordPress comment is imported onto its essay once.
        Index("uq_comments_post_wp_comment_id", "post_id", "wp_comment_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    word_count: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(10), default="visible")
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    wp_comment_id: Mapped[int | None] = mapped_column()

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    post: Mapped[Post] = relationship()


class CommentRevision(db.Model):
    """Every saved version of a comment; the first with enough words dates its credit."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CommentReport(db.Model):
    __tablename__ = "comment_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PeerAssignment(db.Model):
    """Who is asked to comment on what, in an assignment's `assigned` peer mode."""

    __tablename__ = "peer_assignments"
    __table_args__ = (Index("uq_peer_assignments_triple", "assignment_id", "reviewer_id", "post_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A reader given this essay late (a late essay, a reassignment) has until then to comment on it.
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # "comment" | "reply" | "reminder"
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    # A deadline reminder's notice (kind "reminder") names the reminder instead of a comment.
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("sent_reminders.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Claimed for an email (set, and committed, before the mail server is asked; cleared again if it refuses),
    # then taken: the server accepted it. A claim never confirmed is taken again after notifications.lease.
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
