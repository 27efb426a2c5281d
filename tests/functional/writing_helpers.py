"""Shared set-up for the writing tests: a course, a signed-in student, and form posts."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import Post, PostRevision


def text(response) -> str:
    return response.get_data(as_text=True)


def essay_form(**fields) -> dict:
    data = {"title": "A title", "body": "Some words of an essay.", "version": 0, "assignment_id": 0,
            "action": "draft", "categories": "", "tags": "", "publish_at": ""}
    data.update(fields)
    return data


def posts_of(course) -> list[Post]:
    return list(db.session.scalars(select(Post).where(Post.course_id == course.id).order_by(Post.id)))


def revision_count(post) -> int:
    return db.session.scalar(select(func.count(PostRevision.id)).where(PostRevision.post_id == post.id))


def form_version(response) -> int:
    return int(re.search(r'name="version" value="(\d+)"', text(response)).group(1))
