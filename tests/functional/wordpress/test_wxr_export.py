"""Exporting a course blog as WXR 1.2: only what the public blog shows, in the shape WordPress reads."""

import re
import xml.etree.ElementTree as ET  # noqa: S405 - our own export, read back to check its shape
from datetime import timedelta

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Grade, Post, User, utcnow
from coursesite.people import accounts
from coursesite.wordpress import exporter
from coursesite.wordpress.exporter import export_wxr, wxr_parts
from coursesite.wordpress.importer import ImportOptions, import_wxr
from coursesite.wordpress.parse import parse_wxr
from tests import factories as f
from tests.functional.wxr_support import course_comments, course_posts

WP = "{http://wordpress.org/export/1.2/}"
SITE = "http://coursesite.test/"


@pytest.fixture
def blog(app):
    """A course with visible work and everything that must stay out of an export."""
    course = f.make_course(timezone="America/New_York", title="Writing About History")
    teacher = f.instructor_of(course)
    ana = f.make_member(course, name="Ana Real-Name")
    accounts.enroll(ana, course, course_name="Clio")
    ben = f.make_member(course, name="Ben Reader")
    assignment = f.make_assignment(course)
    base = utcnow().replace(microsecond=0) - timedelta(days=10)
    essay = f.make_post(course, ana, title="The Marshall Plan", body="Aid and recovery.", published_at=base,
                        assignment_id=assignment.id)
    other = f.make_post(course, ben, title="Decolonisation", body="Empires ending.",
                        published_at=base + timedelta(days=1))
    f.make_post(course, ben, title="DRAFT-TITLE", status="draft")
    f.make_post(course, ben, title="TRASHED-TITLE", deleted_at=utcnow())
    f.make_post(course, ben, title="FUTURE-TITLE", published_at=utcnow() + timedelta(days=3))
    first = f.make_comment(essay, ben, "First thought.", created_at=base + timedelta(hours=1))
    reply = f.make_comment(essay, ana, "A reply.", parent_id=first.id, created_at=base + timedelta(hours=2))
    f.make_comment(essay, teacher, "Deeper reply.", parent_id=reply.id, created_at=base + timedelta(hours=3))
    hidden = f.make_comment(essay, ben, "HIDDEN-TEXT", status="hidden", hidden_reason="rude",
                            created_at=base + timedelta(hours=4))
    f.make_comment(essay, ana, "Reply to a hidden one.", parent_id=hidden.id, created_at=base + timedelta(hours=5))
    f.make_comment(essay, ben, "HELD-TEXT", status="held", created_at=base + timedelta(hours=6))
    f.make_comment(other, ana, "DELETED-TEXT", deleted_at=utcnow(), created_at=base + timedelta(days=2))
    f.make_comment(other, teacher, "On decolonisation.", created_at=base + timedelta(days=2, hours=1))
    db.session.add(Grade(assignment_id=assignment.id, student_id=ana.id, post_score=7.25,
                         feedback="PRIVATE-FEEDBACK weak thesis", feedback_html="<p>PRIVATE-FEEDBACK</p>"))
    db.session.flush()
    return course


def test_export_holds_only_what_the_blog_shows(blog):
    xml = export_wxr(blog, site_url=SITE)
    for secret in ("DRAFT-TITLE", "TRASHED-TITLE", "FUTURE-TITLE", "HIDDEN-TEXT", "HELD-TEXT", "DELETED-TEXT",
                   "PRIVATE-FEEDBACK", "7.25", "Ana Real-Name", "rude"):
        assert secret not in xml
    assert "@" not in xml  # no emails without --include-emails
    assert "Clio" in xml and "The Marshall Plan" in xml


def test_emails_only_when_asked(blog):
    xml = export_wxr(blog, site_url=SITE, include_emails=True)
    emails = db.session.scalars(select(User.email).join(Post, Post.author_id == User.id)
                                .where(Post.course_id == blog.id)).all()
    assert all(email in xml for email in emails)


def test_export_has_the_shape_wordpress_importer_reads(blog):
    root = ET.fromstring(export_wxr(blog, site_url=SITE))  # noqa: S314
    channel = root.find("channel")
    assert re.fullmatch(r"\d+\.\d+", channel.findtext(f"{WP}wxr_version"))
    assert channel.find(f"{WP}base_site_url") is not None
    authors = {a.findtext(f"{WP}author_login"): int(a.findtext(f"{WP}author_id"))
               for a in channel.findall(f"{WP}author")}
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["The Marshall Plan", "Decolonisation"]
    for item in items:
        assert item.findtext(f"{WP}post_type") == "post" and item.findtext(f"{WP}status") == "publish"
        assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") in authors
        for category in item.findall("category"):
            assert category.get("domain") in {"category", "post_tag"} and category.get("nicename")
        seen = set()
        for comment in item.findall(f"{WP}comment"):
            comment_id, parent = int(comment.findtext(f"{WP}comment_id")), int(comment.findtext(f"{WP}comment_parent"))
            assert parent == 0 or parent in seen  # WordPress threads a reply only under an earlier comment
            assert int(comment.findtext(f"{WP}comment_user_id")) in authors.values()
            seen.add(comment_id)
    first = items[0].findall(f"{WP}comment")
    assert [c.findtext(f"{WP}comment_content") for c in first] == [
        "<p>First thought.</p>", "<p>A reply.</p>", "<p>Deeper reply.</p>", "<p>Reply to a hidden one.</p>"]
    # The reply to a hidden comment moves up to the top level; it does not point at what is not exported.
    assert first[3].findtext(f"{WP}comment_parent") == "0"
    # Local (course zone) and GMT dates.
    local, gmt = first[0].findtext(f"{WP}comment_date"), first[0].findtext(f"{WP}comment_date_gmt")
    assert local != gmt and local[:10] <= gmt[:10]


@pytest.mark.parametrize("include_emails", [True, False])
def test_round_trip_keeps_essays_comments_threads_authors_and_times(blog, include_emails):
    copy = f.make_course(timezone="America/New_York")
    if include_emails:  # the same people are members of the new course: the import finds them by email
        for author_id in {p.author_id for p in course_posts(blog)} | {c.author_id for c in course_comments(blog)}:
            accounts.enroll(db.session.get(User, author_id), copy)
    doc = parse_wxr(export_wxr(blog, site_url=SITE, include_emails=include_emails).encode())
    report = import_wxr(doc, importer=f.instructor_of(copy), options=ImportOptions(), course=copy)
    assert report.skipped == []
    originals = [p for p in course_posts(blog) if p.title in {"The Marshall Plan", "Decolonisation"}]
    copies = {p.title: p for p in course_posts(copy)}
    assert set(copies) == {p.title for p in originals}
    names = {}
    for post in originals:
        twin = copies[post.title]
        assert (twin.slug, twin.body_html, twin.published_at, twin.status) == (
            post.slug, post.body_html, post.published_at, "published")
        names[twin.author_id] = post.author_id
    old = [c for c in course_comments(blog) if c.status == "visible" and c.deleted_at is None]
    new = course_comments(copy)
    assert [(c.body_html, c.created_at) for c in new] == [(c.body_html, c.created_at) for c in old]
    old_by_id, new_by_id = {c.id: c for c in old}, {c.id: c for c in new}
    expected_parents = []
    for c in old:
        parent = old_by_id.get(c.parent_id) if c.parent_id else None
        expected_parents.append(parent.body if parent else None)
    assert [new_by_id[c.parent_id].body if c.parent_id else None for c in new] == expected_parents
    authors_old = [c.author_id for c in old]
    authors_new = [c.author_id for c in new]
    if include_emails:
        assert authors_new == authors_old and all(k == v for k, v in names.items())
    else:
        shown = {u.id: u.display_name for u in db.session.scalars(select(User))}
        assert [shown[a] for a in authors_new] == [
            "Clio" if shown[a] == "Ana Real-Name" else shown[a] for a in authors_old]
        assert all(db.session.get(User, a).is_guest for a in authors_new)


def test_essays_read_a_chunk_at_a_time_make_the_same_file(blog, monkeypatch):
    """A large course's export is written a chunk of essays at a time; where the chunks end changes nothing,
    not even the comments of an essay that ends a chunk or the reply to a comment in an earlier one."""
    author = db.session.scalar(select(User).where(User.display_name == "Ben Reader"))
    base = utcnow().replace(microsecond=0) - timedelta(days=5)
    for n in range(5):
        essay = f.make_post(blog, author, title=f"Essay {n}", published_at=base + timedelta(hours=n))
        first = f.make_comment(essay, author, f"On essay {n}.", created_at=base + timedelta(hours=n, minutes=5))
        f.make_comment(essay, author, "A reply.", parent_id=first.id, created_at=base + timedelta(hours=n, minutes=9))
    db.session.flush()
    now = utcnow()
    whole = export_wxr(blog, site_url=SITE, now=now)
    monkeypatch.setattr(exporter, "ESSAYS_PER_CHUNK", 2)
    parts = list(wxr_parts(blog, site_url=SITE, now=now))
    assert "".join(parts) == whole
    # The head, four chunks (two essays each, then the last one) and the end.
    assert len(parts) == 2 + 4 and parts[0].rstrip().endswith("<generator>Coursesite</generator>")
    assert [part.count("<item>") for part in parts[1:-1]] == [2, 2, 2, 1]
    assert parts[-1] == "</channel>\n</rss>\n"
    assert len(ET.fromstring(whole).findall("channel/item")) == 7  # noqa: S314


def test_the_course_s_own_export_imported_into_it_adds_nothing(blog):
    essays, comments = len(course_posts(blog)), len(course_comments(blog))
    shown = [c for c in course_comments(blog) if c.status == "visible" and c.deleted_at is None]
    doc = parse_wxr(export_wxr(blog, site_url=SITE).encode())
    report = import_wxr(doc, importer=f.instructor_of(blog), options=ImportOptions(), course=blog)
    assert report.posts_created == [] and report.comments_created == 0
    assert sorted(report.posts_matched) == ["Decolonisation", "The Marshall Plan"]
    assert report.comments_matched == len(shown)
    assert (len(course_posts(blog)), len(course_comments(blog))) == (essays, comments)
    # Another site's post whose id is one of these essays' is still new here: its address is not theirs.
    marshall = next(p for p in course_posts(blog) if p.title == "The Marshall Plan")
    doc.items = [item for item in doc.items if item.post_id == marshall.id]
    doc.items[0].post_name = "another-blogs-post"
    report = import_wxr(doc, importer=f.instructor_of(blog), options=ImportOptions(), course=blog)
    assert len(report.posts_created) == 1 and len(course_posts(blog)) == essays + 1
