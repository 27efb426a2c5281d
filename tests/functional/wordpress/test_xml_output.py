"""Feeds and the WordPress export are XML 1.0 whatever a student typed; the export's plain text stays text."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - our own export, read back to check it

import pytest
from defusedxml.ElementTree import fromstring

from coursesite.essays.terms import set_terms
from coursesite.extensions import db
from coursesite.text.markdown import render_comment, render_essay
from coursesite.wordpress.exporter import export_wxr
from coursesite.wordpress.importer import import_wxr
from coursesite.wordpress.parse import parse_wxr
from tests import factories as f
from tests.functional.wxr_support import course_posts

ATOM = "{http://www.w3.org/2005/Atom}"
WP = "{http://wordpress.org/export/1.2/}"
# Every character XML 1.0 forbids that a form or a JSON request can carry into the database: NUL is dropped
# from every request (forms.FieldsWithoutNul), and PostgreSQL would refuse it anyway.
FORBIDDEN = "".join(chr(c) for c in [*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])


@pytest.fixture
def blog(app):
    course = f.make_course(title="Hist\x0bory")
    writer = f.make_author(course, course_name="Pen\x01 Name")
    reader = f.make_author(course)
    body = f"Vertical\x0btab and {FORBIDDEN} every other control character."
    post = f.make_post(course, writer, title="A\x0b title", body=body)
    post.body_html = render_essay(body)
    comment = f.make_comment(post, reader, "Start\x01of heading")
    comment.body_html = render_comment(comment.body)
    db.session.flush()
    return course, post, writer


def feeds(course, post, writer) -> list[str]:
    base = f"/c/{course.slug}"
    return [f"{base}/feed.atom", f"{base}/author/{writer.id}/feed.atom", f"{base}/comments.atom",
            f"{base}/essays/{post.slug}/comments.atom"]


def test_control_characters_leave_every_feed_readable(client, blog):
    course, post, writer = blog
    for url in feeds(*blog):
        response = client.get(url)
        assert response.status_code == 200, url
        text = "".join(fromstring(response.data).itertext())
        assert not set(FORBIDDEN) & set(text), url
    essays = fromstring(client.get(feeds(*blog)[0]).data)
    entry = essays.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "A title"
    assert "Verticaltab and" in entry.find(f"{ATOM}content").text
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Pen Name"
    comments = fromstring(client.get(feeds(*blog)[2]).data)
    assert "Startof heading" in comments.find(f"{ATOM}entry/{ATOM}content").text


def test_control_characters_leave_the_export_readable(blog):
    course, _post, _writer = blog
    root = ET.fromstring(export_wxr(course, site_url="http://coursesite.test/"))  # noqa: S314
    item = root.find("channel/item")
    assert item.find("title").text == "A title"
    assert "Verticaltab and" in item.find("{http://purl.org/rss/1.0/modules/content/}encoded").text
    assert root.find(f"channel/{WP}author/{WP}author_display_name").text == "Pen Name"
    assert item.find(f"{WP}comment/{WP}comment_content").text.strip() == "<p>Startof heading</p>"


@pytest.fixture
def typed_markup(app):
    course = f.make_course(title="<i>Course</i> & co")
    writer = f.make_member(course, name="<b>Ana</b>")
    post = f.make_post(course, writer, title="Why <b> is bold & </p> ends", body="Body.")
    set_terms(post, "category", ["<script>x</script>"])
    set_terms(post, "tag", ["a&b"])
    db.session.flush()
    return course, writer


def test_export_keeps_typed_markup_as_text_for_wordpress(typed_markup):
    course, _writer = typed_markup
    root = ET.fromstring(export_wxr(course, site_url="http://coursesite.test/"))  # noqa: S314
    item = root.find("channel/item")
    # WordPress shows a post title as HTML: what arrives must be the escaped text.
    assert item.find("title").text == "Why &lt;b&gt; is bold &amp; &lt;/p&gt; ends"
    assert {c.text for c in item.findall("category")} == {"&lt;script&gt;x&lt;/script&gt;", "a&amp;b"}
    assert root.find(f"channel/{WP}category/{WP}cat_name").text == "&lt;script&gt;x&lt;/script&gt;"
    assert root.find(f"channel/{WP}tag/{WP}tag_name").text == "a&amp;b"
    assert root.find("channel/title").text == "&lt;i&gt;Course&lt;/i&gt; &amp; co"
    assert root.find(f"channel/{WP}author/{WP}author_display_name").text == "&lt;b&gt;Ana&lt;/b&gt;"


def test_typed_markup_comes_back_as_typed(typed_markup):
    course, _writer = typed_markup
    data = export_wxr(course, site_url="http://coursesite.test/").encode()
    other = f.make_course()
    import_wxr(parse_wxr(data), importer=f.instructor_of(other), course=other)
    assert [p.title for p in course_posts(other)] == ["Why <b> is bold & </p> ends"]
