from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, ForeignKey, Index, String, Text, UniqueConstraint, literal_column
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursesite.extensions import db
from coursesite.models.types import UTCDateTime, text_search_index, utcnow

if TYPE_CHECKING:
    from coursesite.models.assignment import Assignment
    from coursesite.models.course import Course
    from coursesite.models.user import User

POST_STATUSES = ("draft", "published")


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("course_id", "slug"),
        # What is visible (essays/listing.visible_posts), counted and listed newest first from the index alone;
        # with assignment_id, the blog's side column too.
        Index("ix_posts_visible", "course_id", "status", "published_at", "deleted_at", "assignment_id"),
        # Each student's essays of an assignment, as the participation engine and essay states read them.
        Index("ix_posts_assignment_author", "assignment_id", "author_id", "status", "published_at", "deleted_at"),
        # The same by id, for counting that reaches essays from their comments, and the course's essays' authors
        # for the dashboard's pictures: SQLite keeps an essay's body in its row, and reading the row for its
        # status and date costs most of a count.
        Index("ix_posts_essay_facts", "id", "assignment_id", "author_id", "status", "published_at", "deleted_at",
              "course_id"),
        # The blog's search finds the essays holding its words from this (searched_text below), not by reading
        # every essay's text. Written as PostgreSQL gives it back, for `flask db check`;
        # tests/functional/posts/test_search_engine.py checks the search uses it.
        text_search_index("ix_posts_text_trgm", literal_column("((title || ' ') || body)").label("searched_text")),
        # A WordPress post is imported into a course once (re-importing the same file changes nothing).
        Index("uq_posts_course_wp_post_id", "course_id", "wp_post_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    word_count: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)
    # "<version>:<editor page id>" when an editor page wrote this version: that page's retry of a save whose
    # answer it never received is its own text, not a conflict (essays/writing.py).
    saved_from: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Publication time; in the future for a scheduled essay (visible once it has passed).
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Last edit of title or body after publication ("Updated ...").
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Last time the text reached the server (any save, autosave included): the editor compares it
    # with the browser's own copy to decide which is newer.
    modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    wp_post_id: Mapped[int | None] = mapped_column()

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    course: Mapped[Course] = relationship()
    assignment: Mapped[Assignment | None] = relationship()
    terms: Mapped[list[Term]] = relationship(secondary="post_terms", order_by="Term.name", viewonly=True)

    @property
    def is_trashed(self) -> bool:
        return self.deleted_at is not None

    def is_live(self, now: datetime) -> bool:
        """Shown to readers: published, due, not in the trash (the rule of essays.listing.visible_posts)."""
        return (
            self.status == "published"
            and self.published_at is not None
            and self.published_at <= now
            and self.deleted_at is None
        )

    def is_scheduled(self, now: datetime) -> bool:
        return self.status == "published" and self.published_at is not None and self.published_at > now

    def __repr__(self) -> str:
        return f"<Post {self.id} {self.slug}>"


def searched_text(title, body) -> ColumnElement[str]:
    """What the blog's search reads of an essay, its title and text as one (a word holds no space, so none is
    found across the two). PostgreSQL finds words in it from ix_posts_text_trgm, the same expression."""
    return title + literal_column("' '") + body


class PostRevision(db.Model):
    """Every saved version of an essay."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(10))
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PostAutosave(db.Model):
    """The newest unsaved text of a published essay: autosaves never change what readers see."""

    __tablename__ = "post_autosaves"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # Categories and tags as typed ("Cold War, Europe"); None when the editor sent none.
    categories: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[str | None] = mapped_column(Text)
    # The post's version the text was written on: a different current version means a conflict.
    base_version: Mapped[int] = mapped_column()
    # The version the editor holds while this text is pending: above the post's, raised by every autosave,
    # so a tab left on an older one is refused like a draft's (essays/writing.py).
    version: Mapped[int] = mapped_column(default=0, server_default="0")
    saved_from: Mapped[str | None] = mapped_column(String(80))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Term(db.Model):
    """A category or tag of a course's blog."""

    __tablename__ = "terms"
    __table_args__ = (UniqueConstraint("course_id", "kind", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # "category" | "tag"
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(120))


class PostTerm(db.Model):
    __tablename__ = "post_terms"

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True, index=True)


class Upload(db.Model):
    """An image uploaded to a course, kept behind the storage interface."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    size: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
