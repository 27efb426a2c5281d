"""Importing WordPress exports: what each real file holds arrives, once, with threads, people and times."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Comment, Enrollment, Post, PostTerm, Term, User
from coursesite.people import accounts
from coursesite.text.markdown import render_essay
from coursesite.text.timefmt import wp_datetime
from coursesite.text.words import html_to_text
from coursesite.wordpress import importer as wxr_import_module
from coursesite.wordpress.parse import WxrError, parse_wxr
from tests import factories as f
from tests.functional.wxr_support import (
    FIXTURES,
    GOOD_FILES,
    course_comments,
    course_posts,
    expected,
    row_counts,
    run_import,
)


@pytest.fixture
def course(app):
    return f.make_course(timezone="America/New_York")


@pytest.mark.parametrize("name", GOOD_FILES)
def test_every_file_imports_what_it_holds(name, course):
    want = expected(FIXTURES / name)
    report = run_import(course, f.instructor_of(course), name)
    posts = course_posts(course)
    comments = course_comments(course)
    assert len(report.posts_created) == len(want.posts)
    assert {p.wp_post_id: p.status for p in posts} == dict.fromkeys(want.posts, "published")
    assert report.comments_created == len(want.comments)
    assert sorted(c.wp_comment_id for c in comments) == sorted(want.comments)
    for post in posts:
        assert sum(c.post_id == post.id for c in comments) == want.comments_by_post[post.wp_post_id]
        assert post.word_count == wxr_import_module.count_html_words(post.body_html)
        # The Markdown kept for the editor renders to the same text as the imported HTML.
        assert "".join(html_to_text(render_essay(post.body)).split()) == "".join(html_to_text(post.body_html).split())


@pytest.mark.parametrize("name", GOOD_FILES)
def test_threads_are_kept(name, course):
    want = expected(FIXTURES / name)
    run_import(course, f.instructor_of(course), name)
    comments = course_comments(course)
    by_id = {c.id: c for c in comments}
    for comment in comments:
        wp_parent = want.comments[comment.wp_comment_id]
        if wp_parent in want.comments:
            assert by_id[comment.parent_id].wp_comment_id == wp_parent
        elif wp_parent == 0:
            assert comment.parent_id is None


def test_theme_unit_test_data_in_figures(course):
    report = run_import(course, f.instructor_of(course), "theme-unit-test-data.xml")
    assert (len(report.posts_created), report.comments_created, report.threaded_comments) == (55, 22, 9)
    reasons = {item.label: item.reason for item in report.skipped}
    assert "password-protected" in reasons["post 1168 “Template: Password Protected (the password is \"enter\")”"]
    assert sum("pingback" in r or "trackback" in r for r in reasons.values()) == 4
    assert any("awaiting approval" in r for r in reasons.values())
    assert sum(item.kind == "attachment" for item in report.skipped) == 37
    assert len(report.images) == 36 and all(url.startswith("https://") for url in report.images)
    assert not any("<img" in p.body_html for p in course_posts(course))


def test_malformed_file_is_refused_with_one_line(app):
    with pytest.raises(WxrError) as caught:
        parse_wxr((FIXTURES / "malformed.xml").read_bytes())
    assert str(caught.value) == "not well-formed XML: mismatched tag: line 90, column 2"


def test_importing_the_same_file_twice_changes_nothing(course):
    instructor = f.instructor_of(course)
    first = run_import(course, instructor, "theme-unit-test-data.xml", include_pending=True)
    before = row_counts()
    again = run_import(course, instructor, "theme-unit-test-data.xml", include_pending=True)
    assert row_counts() == before
    assert again.changes_nothing
    assert len(again.posts_matched) == len(first.posts_created) and again.comments_matched == first.comments_created


def test_dry_run_writes_nothing(course):
    before = row_counts()
    report = run_import(course, f.instructor_of(course), "small-export.xml", dry_run=True)
    assert row_counts() == before
    assert len(report.posts_created) == 5 and report.comments_created == 1 and len(report.people_created) == 4


def test_an_error_part_way_writes_nothing(course, monkeypatch):
    calls = []

    def failing(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(*args)

    original = wxr_import_module.essay_html
    monkeypatch.setattr(wxr_import_module, "essay_html", failing)
    before = row_counts()
    with pytest.raises(RuntimeError):
        run_import(course, f.instructor_of(course), "small-export.xml")
    assert row_counts() == before


def test_missing_gmt_date_is_read_in_the_course_zone(course):
    # small-export.xml's "Draft Page": post_date 2011-01-18 07:46:29, post_date_gmt 0000-00-00 00:00:00.
    data = (FIXTURES / "small-export.xml").read_bytes().replace(
        b"<wp:post_id>9</wp:post_id>", b"<wp:post_id>9</wp:post_id><wp:post_type>post</wp:post_type>"
    )
    run_import(course, f.instructor_of(course), data, include_drafts=True)
    draft = db.session.scalar(select(Post).where(Post.course_id == course.id, Post.wp_post_id == 9))
    assert draft.status == "draft" and draft.published_at is None
    assert draft.created_at == datetime(2011, 1, 18, 12, 46, 29, tzinfo=UTC)


def test_wxr_1_0_draft_with_zero_gmt_date_and_its_comment(course):
    report = run_import(course, f.instructor_of(course), "test-serialized-comment-meta.xml", include_drafts=True)
    [post] = course_posts(course)
    assert post.status == "draft" and post.created_at == datetime(2009, 10, 20, 20, 13, 20, tzinfo=UTC)
    assert report.comments_created == 1
    assert course_comments(course)[0].created_at == datetime(2020, 1, 5, 12, 50, 15, tzinfo=UTC)


def test_drafts_and_pending_comments_only_when_asked(course):
    instructor = f.instructor_of(course)
    report = run_import(course, instructor, "theme-unit-test-data.xml")
    assert not any(p.status == "draft" for p in course_posts(course))
    assert not any(c.status == "held" for c in course_comments(course))
    report = run_import(course, instructor, "theme-unit-test-data.xml", include_drafts=True, include_pending=True)
    assert report.posts_created == ["Draft"]
    assert [c.wp_comment_id for c in course_comments(course) if c.status == "held"] == [1015]


def test_people_are_matched_by_email_and_never_by_name(course, outbox):
    editor = f.make_user("Edith Editor", email="Editor@Example.org")
    accounts.enroll(editor, course)  # a member of the course: matched by email
    namesake = f.make_user("Mr WordPress")
    run_import(course, f.instructor_of(course), "small-export.xml")
    posts = {p.title: p for p in course_posts(course)}
    assert posts["Foo-child"].author_id == editor.id
    [comment] = course_comments(course)
    assert comment.author_id != namesake.id
    guests = db.session.scalars(select(User).where(User.is_guest.is_(True))).all()
    assert sorted(g.display_name for g in guests) == ["Mr WordPress", "admin", "author"]
    for guest in guests:
        assert guest.password_hash is None and not guest.is_active
        enrolled = db.session.scalar(select(Enrollment).where(Enrollment.user_id == guest.id))
        assert enrolled is None
    assert outbox == []


def test_guests_without_email_are_found_again_by_a_later_import(course):
    instructor = f.instructor_of(course)
    run_import(course, instructor, "slashes.xml")
    guests = db.session.scalars(select(User.id).where(User.is_guest.is_(True))).all()
    data = (FIXTURES / "slashes.xml").read_bytes()
    data = data.replace(b"<wp:post_id>1</wp:post_id>", b"<wp:post_id>77</wp:post_id>")
    data = data.replace(b"<wp:comment_id>1</wp:comment_id>", b"<wp:comment_id>78</wp:comment_id>")
    report = run_import(course, instructor, data)
    assert len(report.posts_created) == 1 and report.people_created == []
    assert db.session.scalars(select(User.id).where(User.is_guest.is_(True))).all() == guests


def test_categories_tags_and_unique_slugs(course):
    run_import(course, f.instructor_of(course), "small-export.xml")
    many = db.session.scalar(select(Post).where(Post.course_id == course.id, Post.title == "Many Categories"))
    names = db.session.scalars(select(Term.name).join(PostTerm).where(PostTerm.post_id == many.id)).all()
    assert len(names) == 27 and "远征手记" in names
    other = f.make_course()
    f.make_post(other, f.instructor_of(other))
    hello = f.make_post(course, f.instructor_of(course), title="Hello")
    hello.slug = "hello-world-2"
    data = (FIXTURES / "small-export.xml").read_bytes().replace(b"<wp:post_id>1</wp:post_id>",
                                                                b"<wp:post_id>1001</wp:post_id>")
    run_import(course, f.instructor_of(course), data)
    slugs = db.session.scalars(select(Post.slug).where(Post.course_id == course.id, Post.wp_post_id == 1001)).all()
    assert slugs == ["hello-world-3"]


def test_comment_times_show_as_wordpress_showed_them(app):
    course = f.make_course(timezone="America/New_York")
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="https://wordpress.org/export/1.2/"><channel>
<title>History</title><wp:wxr_version>1.2</wp:wxr_version>
<item><title>The Marshall Plan</title><dc:creator>ana</dc:creator><content:encoded>Aid.</content:encoded>
<wp:post_id>5</wp:post_id><wp:post_date>2017-04-01 09:00:00</wp:post_date>
<wp:post_date_gmt>2017-04-01 13:00:00</wp:post_date_gmt><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
<wp:comment><wp:comment_id>9</wp:comment_id><wp:comment_author>Ben</wp:comment_author>
<wp:comment_date>2017-04-03 12:23:00</wp:comment_date><wp:comment_date_gmt>2017-04-03 16:23:00</wp:comment_date_gmt>
<wp:comment_content>Good point.</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_parent>0</wp:comment_parent></wp:comment></item></channel></rss>"""
    run_import(course, f.instructor_of(course), data)
    [comment] = course_comments(course)
    assert wp_datetime(comment.created_at, course.timezone) == "April 3, 2017 at 12:23 pm"


def test_reply_to_a_skipped_comment_joins_the_nearest_imported_ancestor(course):
    comment = """<wp:comment><wp:comment_id>{id}</wp:comment_id><wp:comment_author>P{id}</wp:comment_author>
<wp:comment_date_gmt>2020-01-0{id} 10:00:00</wp:comment_date_gmt><wp:comment_content>Reply {id}</wp:comment_content>
<wp:comment_approved>{approved}</wp:comment_approved><wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"""
    comments = "".join([
        comment.format(id=3, approved="1", parent=2),  # listed before its parents
        comment.format(id=2, approved="spam", parent=1),
        comment.format(id=1, approved="1", parent=0),
    ])
    data = f"""<rss xmlns:wp="http://wordpress.org/export/1.1/"><channel><wp:wxr_version>1.1</wp:wxr_version>
<item><title>T</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
{comments}</item></channel></rss>""".encode()
    report = run_import(course, f.instructor_of(course), data)
    by_wp = {c.wp_comment_id: c for c in course_comments(course)}
    assert set(by_wp) == {1, 3} and by_wp[3].parent_id == by_wp[1].id
    assert [item.reason for item in report.skipped] == ["spam: never imported"]


HOSTILE = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<title><![CDATA[<script>alert('course')</script>Blog]]></title><wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login>x</wp:author_login>
<wp:author_display_name><![CDATA[<img src=x onerror=alert('name')>Mallory]]></wp:author_display_name></wp:author>
<item><title><![CDATA["><script>alert('title')</script>]]></title><dc:creator>x</dc:creator>
<content:encoded><![CDATA[{payloads}]]></content:encoded><wp:post_id>1</wp:post_id>
<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author><![CDATA[<svg onload=alert(2)>]]></wp:comment_author>
<wp:comment_content><![CDATA[{payloads}]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved>
</wp:comment></item></channel></rss>"""
PAYLOADS = "".join([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>", "<iframe src=javascript:alert(1)></iframe>", '<p style="x" onclick="alert(1)">p</p>',
    '<a href="&#106;avascript:alert(1)">y</a>', "<details open ontoggle=alert(1)>", '"><script>alert(1)</script>',
])


def test_hostile_html_in_an_import_is_inert(client, course):
    run_import(course, f.instructor_of(course), HOSTILE.format(payloads=PAYLOADS).encode())
    [post] = course_posts(course)
    [comment] = course_comments(course)
    for html in (post.body_html, comment.body_html):
        for bad in ("<script", "onerror", "onload", "onclick", "ontoggle", "javascript:", "<iframe", "<svg", "style="):
            assert bad not in html.lower()
    assert post.title == "\">alert('title')"
    page = client.get(f"/c/{course.slug}/").get_data(as_text=True)
    assert "<script>alert" not in page and "onerror=alert" not in page
    assert "Mallory" in page


def test_nothing_in_comments_table_points_outside_its_post(course):
    run_import(course, f.instructor_of(course), "theme-unit-test-data.xml")
    for comment in course_comments(course):
        if comment.parent_id:
            assert db.session.get(Comment, comment.parent_id).post_id == comment.post_id
