"""A WordPress file built to break the import gets one clear reason back, and nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import PendingImport, Post
from coursesite.wordpress.parse import MAX_CONTENT_CHARS, MAX_WP_ID, WxrError, parse_wxr
from tests import factories as f
from tests.functional.wordpress.test_wxr_views import _upload
from tests.functional.wxr_support import FIXTURES, row_counts

SMALL = (FIXTURES / "small-export.xml").read_bytes()
WELCOME = b"<content:encoded><![CDATA[Welcome to WordPress."
COMMENT = b"<wp:comment_content><![CDATA[Hi, this is a comment."
POST_ID = b"<wp:post_id>1</wp:post_id>"


def with_content(html: bytes) -> bytes:
    return SMALL.replace(WELCOME, WELCOME.removesuffix(b"Welcome to WordPress.") + html)


def with_post_id(digits: bytes) -> bytes:
    return SMALL.replace(POST_ID, b"<wp:post_id>" + digits + b"</wp:post_id>")


def nested(tag: str, depth: int) -> bytes:
    return (f"<{tag}>" * depth + "deep" + f"</{tag}>" * depth).encode()


@pytest.fixture
def course(app):
    return f.make_course()


HOSTILE = {
    "post nested 3000 deep": (with_content(nested("blockquote", 3000)), "nests elements more than 100 levels deep"),
    "list nested 3000 deep": (with_content(nested("ul><li", 3000)), "nests elements more than 100 levels deep"),
    "emphasis nested 3000 deep in a comment": (
        SMALL.replace(COMMENT, COMMENT.removesuffix(b"Hi, this is a comment.") + nested("em", 3000)),
        "nests elements more than 100 levels deep"),
    "a post id of 20 digits": (with_post_id(b"9" * 20), "post_id 99999999999999999999 is larger than any WordPress id"),
    "a post id of 5000 digits": (with_post_id(b"7" * 5000), "is larger than any WordPress id"),
    "a comment id just past the largest": (
        SMALL.replace(b"<wp:comment_id>1</wp:comment_id>", b"<wp:comment_id>2147483648</wp:comment_id>"),
        "comment_id 2147483648 is larger than any WordPress id"),
    "a negative author id past the largest": (
        SMALL.replace(b"<wp:author_id>", b"<wp:author_id>-9999999999", 1), "is larger than any WordPress id"),
    "a parent comment id past the largest": (
        SMALL.replace(b"<wp:comment_parent>0</wp:comment_parent>", b"<wp:comment_parent>" + b"1" * 30
                      + b"</wp:comment_parent>", 1), "comment_parent 11111111111111111111… is larger"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_file_is_refused_with_its_reason_and_nothing_is_written(client, auth, course, name):
    data, reason = HOSTILE[name]
    assert data != SMALL
    auth.login(f.instructor_of(course))
    before = row_counts()
    response = _upload(client, course, data=data, include_drafts="y")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This file cannot be imported: refused:" in page and reason in page
    assert row_counts() == before


def test_the_largest_id_still_imports(client, auth, course):
    auth.login(f.instructor_of(course))
    data = with_post_id(str(MAX_WP_ID).encode())
    page = _upload(client, course, data=data).get_data(as_text=True)
    assert "<strong>5</strong> new essays" in page
    client.post(f"/c/{course.slug}/import/confirm", data={"token": db.session.scalar(select(PendingImport.token))})
    assert db.session.scalar(select(Post.title).where(Post.wp_post_id == MAX_WP_ID)) == "Hello world!"


def test_nesting_markdown_can_say_still_imports(client, auth, course):
    auth.login(f.instructor_of(course))
    data = with_content(nested("blockquote", 40))
    page = _upload(client, course, data=data).get_data(as_text=True)
    assert "Preview of the WordPress import" in page


def test_one_post_of_more_than_a_million_characters_is_refused():
    # The sanitizer's time grows faster than one long run of entities: an item's size is bounded too.
    # (Read directly: an upload this large is spooled to a file the test client leaves open.)
    with pytest.raises(WxrError, match="the content of post 1 is 1,000,070 characters long"):
        parse_wxr(with_content(b"&amp;" * (MAX_CONTENT_CHARS // 5 + 1)))
