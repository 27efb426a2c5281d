"""Essays: what is visible, and to whom."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select

from ..models import Course, Post, utcnow


def visible_posts(course: Course, now: datetime | None = None) -> Select:
    """The one rule for what the blog, feeds, search, navigation and exports show:
    published, due (a scheduled essay appears once its time has come), and not in the trash."""
    now = now or utcnow()
    return select(Post).where(
        Post.course_id == course.id,
        Post.status == "published",
        Post.published_at <= now,
        Post.deleted_at.is_(None),
    )
