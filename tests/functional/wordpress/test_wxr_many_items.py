"""A file of thousands of essays: the import writes them together, so the write lock is held briefly."""

from __future__ import annotations

from sqlalchemy import event, select

from coursesite.extensions import db
from coursesite.models import Post
from coursesite.wordpress.importer import ImportOptions, import_wxr
from coursesite.wordpress.parse import parse_wxr
from tests import factories as f
from tests.functional.wxr_support import FIXTURES

SMALL = (FIXTURES / "small-export.xml").read_bytes()
FIRST_ITEM = SMALL.index(b"<item>")
HELLO = SMALL[FIRST_ITEM:SMALL.index(b"</item>", FIRST_ITEM) + len(b"</item>")]


def essays_named_alike(count: int) -> bytes:
    """`count` copies of Hello world!, each its own WordPress post, all with the post_name hello-world."""
    items = b"".join(HELLO.replace(b"<wp:post_id>1</wp:post_id>", f"<wp:post_id>{1000 + n}</wp:post_id>".encode())
                     .replace(b"<wp:comment>", b"<wp:comment_not_imported>")
                     .replace(b"</wp:comment>", b"</wp:comment_not_imported>") for n in range(count))
    return SMALL[:FIRST_ITEM] + items + SMALL[SMALL.rindex(b"</channel>"):]


COMMENT_START = HELLO.index(b"<wp:comment>")
COMMENT = HELLO[COMMENT_START:HELLO.index(b"</wp:comment>") + len(b"</wp:comment>")]


def essay_with_comments(count: int) -> bytes:
    """Hello world! with `count` comments (ids 1 to `count`), none a reply."""
    comments = b"".join(COMMENT.replace(b"<wp:comment_id>1</wp:comment_id>", f"<wp:comment_id>{n}</wp:comment_id>"
                                        .encode()) for n in range(1, count + 1))
    hello = HELLO[:COMMENT_START] + comments + HELLO[HELLO.index(b"</wp:comment>") + len(b"</wp:comment>"):]
    return SMALL[:FIRST_ITEM] + hello + SMALL[SMALL.rindex(b"</channel>"):]


def flushes_to_import(course, data: bytes, dry_run: bool = True):
    """How many times the import wrote to the database, and its report."""
    flushes = []
    session = db.session()
    listener = lambda *_: flushes.append(1)  # noqa: E731
    event.listen(session, "after_flush", listener)
    try:
        report = import_wxr(parse_wxr(data), importer=f.instructor_of(course), options=ImportOptions(dry_run=dry_run),
                            course=course)
    finally:
        event.remove(session, "after_flush", listener)
    return len(flushes), report


def test_the_preview_writes_the_essays_together_however_many_there_are(app):
    course = f.make_course()
    (few, report), (many, more) = (flushes_to_import(course, essays_named_alike(n)) for n in (40, 80))
    assert (len(report.posts_created), len(more.posts_created)) == (40, 80)
    assert few == many


def test_the_preview_writes_the_comments_together_however_many_there_are(app):
    course = f.make_course()
    (few, report), (many, more) = (flushes_to_import(course, essay_with_comments(n)) for n in (40, 80))
    assert (report.comments_created, more.comments_created) == (40, 80)
    assert few == many


def test_essays_named_alike_get_numbered_addresses(app):
    course = f.make_course()
    f.make_post(course, f.instructor_of(course), title="Already here").slug = "hello-world-2"
    flushes_to_import(course, essays_named_alike(3), dry_run=False)
    slugs = db.session.scalars(select(Post.slug).where(Post.course_id == course.id, Post.wp_post_id.isnot(None)))
    assert sorted(slugs) == ["hello-world", "hello-world-3", "hello-world-4"]
