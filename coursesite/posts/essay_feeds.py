"""Atom feeds of published essays. Only what the public blog shows: never drafts, grades or feedback."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from coursesite.models import Course, Post
from coursesite.text.xml_text import XmlSafeAtomFeed

FEED_SIZE = 20
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
RELATIVE_URL = re.compile(r'(\s(?:href|src)=")/(?!/)')


class StableAtomFeed(XmlSafeAtomFeed):
    """An empty feed's <updated> is a fixed date rather than "now", so polling readers see no change."""

    def __init__(self, *args, empty_updated: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._empty_updated = empty_updated

    def latest_post_date(self):
        return super().latest_post_date() if self.items else self._empty_updated


def entry_id(authority: str, course: Course, post: Post) -> str:
    """tag: URI (RFC 4151) from the site's host, the course's creation date, its slug and the post's id."""
    return f"tag:{authority},{course.created_at:%Y-%m-%d}:{course.slug}/posts/{post.id}"


def feed_id(authority: str, course: Course, scope: str) -> str:
    return f"tag:{authority},{course.created_at:%Y-%m-%d}:{course.slug}/{scope}"


def absolute_urls(html: str, root: str) -> str:
    """Feed readers show entries away from the site: site-relative links and images need the host."""
    return RELATIVE_URL.sub(lambda m: f"{m.group(1)}{root.rstrip('/')}/", html)


@dataclass
class FeedSpec:
    title: str
    link: str
    feed_url: str
    scope: str
    subtitle: str = ""


def build_feed(
    course: Course,
    spec: FeedSpec,
    posts: list[Post],
    *,
    authority: str,
    root: str,
    link_for: Callable[[Post], str],
    name_for: Callable[[Post], str],
) -> str:
    feed = StableAtomFeed(
        title=spec.title,
        link=spec.link,
        description=spec.subtitle or course.description or course.title,
        feed_url=spec.feed_url,
        feed_guid=feed_id(authority, course, spec.scope),
        language="en",
        empty_updated=course.created_at,
    )
    for post in posts:
        feed.add_item(
            title=post.title,
            link=link_for(post),
            description=None,
            content=absolute_urls(post.body_html, root),
            unique_id=entry_id(authority, course, post),
            pubdate=post.published_at,
            # Only a real edit of title or body moves <updated>: re-rendering or a new comment does not.
            updateddate=post.updated_at or post.published_at,
            author_name=name_for(post),
            categories=[term.name for term in post.terms],
        )
    return feed.writeString("utf-8")
