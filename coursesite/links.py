"""Addresses that several blueprints, the emails and the feeds build alike."""

from __future__ import annotations

from flask import url_for


def comment_url(course_slug: str, post_slug: str, comment_id: int, **options) -> str:
    """A comment's address: its essay, at the page of a long thread that holds it (found when the link is
    followed, discussion/thread.py), scrolled to the comment."""
    return url_for("posts.essay", slug=course_slug, post_slug=post_slug, comment=comment_id,
                   _anchor=f"comment-{comment_id}", **options)


def comment_page_url(course_slug: str, post_slug: str, number: int, endpoint: str = "posts.essay", **options) -> str:
    """Page `number` of an essay's long comment thread (or `endpoint`, the comment form's, on that page). Page 1
    has no number, as WordPress writes it: the visitors' copy of a page is kept only for this spelling
    (posts/essay_cache.py)."""
    return url_for(endpoint, slug=course_slug, post_slug=post_slug, cpage=number if number > 1 else None,
                   **options)
