"""Addresses that several blueprints, the emails and the feeds build alike."""

from __future__ import annotations

from flask import url_for


def comment_url(course_slug: str, post_slug: str, comment_id: int, **options) -> str:
    """A comment's address: its essay, at the page of a long thread that holds it (found when the link is
    followed, discussion/thread.py), scrolled to the comment."""
    return url_for("posts.essay", slug=course_slug, post_slug=post_slug, comment=comment_id,
                   _anchor=f"comment-{comment_id}", **options)
