"""Hostile Markdown typed into the essay form renders inert on every page and feed that shows it."""

from __future__ import annotations

import html
import re

from coursesite.extensions import db
from tests import factories as f
from tests.functional.writing_helpers import essay_form, posts_of
from tests.inert import assert_inert
from tests.payloads_markdown import HOSTILE_MARKDOWN


def essay_body(html: str) -> str:
    return re.search(r'<div class="essay__body prose">(.*?)</div>', html, re.S).group(1)


def test_every_payload_published_through_the_form_is_inert(client, auth):
    course = f.make_course()
    student = f.make_member(course)
    db.session.commit()
    auth.login(student)
    for number, payload in enumerate(HOSTILE_MARKDOWN):
        response = client.post(f"/c/{course.slug}/posts/new", data=essay_form(
            title=f"Payload {number} <script>alert(1)</script>", body=payload, action="publish",
            tags="<img src=x onerror=alert(1)>"))
        assert response.status_code == 302, payload
    posts = posts_of(course)
    assert len(posts) == len(HOSTILE_MARKDOWN)
    for post in posts:
        page = client.get(f"/c/{course.slug}/essays/{post.slug}/").get_data(as_text=True)
        assert_inert(essay_body(page))
        assert "<script>alert(1)</script>" not in page
        assert "<img src=x onerror" not in page
    for page_number in range(1, len(posts) // 10 + 2):
        listing = client.get(f"/c/{course.slug}/?page={page_number}").get_data(as_text=True)
        for summary in re.findall(r'<article class="post-summary">.*?</article>', listing, re.S):
            assert_inert(summary)
    response = client.get(f"/c/{course.slug}/feed.atom")
    assert response.status_code == 200  # characters XML forbids are left out, not a failed feed
    feed = response.get_data(as_text=True)
    assert "<script" not in feed  # entry content is escaped XML; the HTML inside was sanitized first
    for content in re.findall(r'<content type="html">(.*?)</content>', feed, re.S):
        assert_inert(html.unescape(content))


def test_preview_of_each_payload_is_inert(client, auth):
    course = f.make_course()
    student = f.make_member(course)
    db.session.commit()
    auth.login(student)
    for payload in HOSTILE_MARKDOWN:
        assert_inert(client.post(f"/c/{course.slug}/preview", json={"body": payload}).get_json()["html"])
