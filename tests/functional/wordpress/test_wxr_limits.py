"""A WordPress file built to break the import gets one clear reason back, and nothing is written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import Comment, PendingImport, Post
from coursesite.wordpress.parse import MAX_COMMENT_BYTES, MAX_CONTENT_CHARS, MAX_WP_ID, WxrError, parse_wxr
from tests import factories as f
from tests.functional.wordpress.test_wxr_views import _upload
from tests.functional.wxr_support import FIXTURES, row_counts

SMALL = (FIXTURES / "small-export.xml").read_bytes()
WELCOME = b"<content:encoded><![CDATA[Welcome to WordPress."
COMMENT = b"<wp:comment_content><![CDATA[Hi, this is a comment."
POST_ID = b"<wp:post_id>1</wp:post_id>"


def with_content(html: bytes) -> bytes:
    return SMALL.replace(WELCOME, WELCOME.removesuffix(b"Welcome to WordPress.") + html)


def with_comment(text: str) -> bytes:
    """The one comment of the file (comment 1 on Hello world!) saying `text`."""
    start = SMALL.index(COMMENT) + len(b"<wp:comment_content><![CDATA[")
    return SMALL[:start] + text.encode() + SMALL[SMALL.index(b"]]>", start):]


def with_post_id(digits: bytes) -> bytes:
    return SMALL.replace(POST_ID, b"<wp:post_id>" + digits + b"</wp:post_id>")


POST_DATES = (b"<wp:post_date>2011-01-18 07:40:14</wp:post_date>\n\t\t"
              b"<wp:post_date_gmt>2011-01-18 07:40:14</wp:post_date_gmt>")
COMMENT_DATES = (b"<wp:comment_date>2011-01-18 07:40:14</wp:comment_date>\n\t\t\t"
                 b"<wp:comment_date_gmt>2011-01-18 07:40:14</wp:comment_date_gmt>")


def with_post_dates(local: str, gmt: str, data: bytes = SMALL) -> bytes:
    """Hello world! (post 1) written at `local` on the blog's clock, `gmt` in UTC."""
    return data.replace(POST_DATES, f"<wp:post_date>{local}</wp:post_date><wp:post_date_gmt>{gmt}</wp:post_date_gmt>"
                         .encode())


def with_comment_dates(local: str, gmt: str, data: bytes = SMALL) -> bytes:
    return data.replace(COMMENT_DATES, f"<wp:comment_date>{local}</wp:comment_date>"
                         f"<wp:comment_date_gmt>{gmt}</wp:comment_date_gmt>".encode())


def nested(tag: str, depth: int) -> bytes:
    return (f"<{tag}>" * depth + "deep" + f"</{tag}>" * depth).encode()


def in_channel(xml: bytes) -> bytes:
    """The export with `xml` added at the end of its channel."""
    end = SMALL.rindex(b"</channel>")
    return SMALL[:end] + xml + SMALL[end:]


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
    # The course's zone is New York: the last second of year 9999 there is already past the calendar in UTC.
    "a post dated in year 9999 on the blog's clock": (
        with_post_dates("9999-12-31 23:59:59", "0000-00-00 00:00:00"),
        "post 1 “Hello world!”: its date 9999-12-31 23:59:59 is outside the years 1900–2200"),
    "a comment dated in year 9999 on the blog's clock": (
        with_comment_dates("9999-12-31 23:59:59", ""),
        "comment 1 by Mr WordPress on “Hello world!”: its date 9999-12-31 23:59:59 is outside the years"),
    "a comment dated in year 9999 in UTC": (
        with_comment_dates("2011-01-18 07:40:14", "9999-12-31 23:59:59"), "its date 9999-12-31 23:59:59 is outside"),
    # Counted in bytes, as WordPress stores it: 32,768 characters of two bytes each.
    "a comment one byte longer than WordPress can store": (
        with_comment("é" * (MAX_COMMENT_BYTES // 2 + 1)),
        "comment 1 is 65,536 bytes long; WordPress keeps at most 65,535 bytes per comment"),
    # A few bytes each, millions of them would cost a worker hundreds of megabytes: counted as they are read.
    "20,001 more items, empty ones": (
        in_channel(b"<item/>" * 20_001), "the file holds more than 20,000 items (posts, pages and media)"),
    "XML nested 101 deep (markup outside any CDATA)": (
        in_channel(nested("x", 101)), "the file nests XML elements more than 100 levels deep"),
    "a post dated in 1899 in UTC": (
        with_post_dates("2011-01-18 07:40:14", "1899-12-31 23:59:59"), "its date 1899-12-31 23:59:59 is outside"),
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
    assert row_counts() == before and db.session.scalar(select(func.count(PendingImport.id))) == 0


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_first_and_last_showable_dates_import_and_show(client, auth, zone):
    course = f.make_course(timezone=zone)
    auth.login(f.instructor_of(course))
    data = with_comment_dates("2200-12-31 23:59:59", "")
    data = with_post_dates("1900-01-01 00:00:00", "", data)
    assert "<strong>5</strong> new essays" in _upload(client, course, data=data).get_data(as_text=True)
    client.post(f"/c/{course.slug}/import/confirm", data={"token": db.session.scalar(select(PendingImport.token))})
    post = db.session.scalar(select(Post).where(Post.course_id == course.id, Post.wp_post_id == 1))
    essay = client.get(f"/c/{course.slug}/essays/{post.slug}/")
    assert essay.status_code == 200
    page = essay.get_data(as_text=True)
    assert "January 1, 1900" in page and "December 31, 2200" in page


def test_the_longest_comment_wordpress_stores_is_imported_whole_and_said_to_be_long(client, auth, course):
    auth.login(f.instructor_of(course))
    longest = "word " * (MAX_COMMENT_BYTES // 5)
    assert len(longest.encode()) == MAX_COMMENT_BYTES
    page = _upload(client, course, data=with_comment(longest)).get_data(as_text=True)
    assert "Comments longer than the 10,000 characters a comment written here may have: 1, imported whole" in page
    client.post(f"/c/{course.slug}/import/confirm", data={"token": db.session.scalar(select(PendingImport.token))})
    assert db.session.scalar(select(Comment.body).where(Comment.wp_comment_id == 1)) == longest.strip()


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


def test_a_date_at_the_end_of_the_calendar_already_stored_still_shows(client, auth):
    """Stored before imports checked dates: east of UTC its local time is past year 9999."""
    course = f.make_course(timezone="Pacific/Kiritimati")
    instructor = f.instructor_of(course)
    last = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    post = f.make_post(course, instructor, title="From the end of time")
    f.make_comment(post, instructor, created_at=last)
    f.make_post(course, f.make_author(course), title="A draft from the end of time", status="draft",
                created_at=last, modified_at=last)
    essay = client.get(f"/c/{course.slug}/essays/{post.slug}/")
    assert essay.status_code == 200 and "December 31, 9999" in essay.get_data(as_text=True)
    auth.login(instructor)
    drafts = client.get(f"/c/{course.slug}/drafts")
    assert drafts.status_code == 200 and "A draft from the end of time" in drafts.get_data(as_text=True)
