"""A course blog as WXR 1.2, the file WordPress's importer reads (Tools → Import → WordPress).

Only what the public blog shows goes in: essays that essays.listing.visible_posts lists, and their visible
comments (never hidden, held or deleted ones), under the names the course shows (a student's course
display name, not their account name). Grades, feedback and lateness are never read here. Emails only
with include_emails.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy import select, union

from coursesite.essays.comment_counts import shown_comments
from coursesite.essays.listing import visible_posts
from coursesite.extensions import db
from coursesite.models import Comment, Course, Enrollment, Post, PostTerm, Term, User, utcnow
from coursesite.text.timefmt import to_local
from coursesite.text.xml_text import xml_text
from coursesite.wordpress.importer import slugify

WXR_NS = "http://wordpress.org/export/1.2/"
TERM_DOMAINS = {"category": "category", "tag": "post_tag"}


def _text(value: str) -> str:
    return escape(xml_text(value))


def _cdata(value: str) -> str:
    """HTML (an essay's or a comment's body) as WordPress stores it."""
    return "<![CDATA[" + xml_text(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _plain(value: str) -> str:
    """Plain text (a title, a name, a category): WordPress reads these fields as HTML, so "<b>" typed in a
    title must arrive as "&lt;b&gt;" to show as typed."""
    return _cdata(escape(value or ""))


def _wp_date(moment: datetime, tz_name: str) -> str:
    return to_local(moment, tz_name).strftime("%Y-%m-%d %H:%M:%S")


def _gmt_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


# Essays read and written this many at a time: an export of a 3,000-student course is some 450 MB of XML, which
# must not sit in a worker's memory whole (nor its essays and comments as objects) before the first byte leaves.
ESSAYS_PER_CHUNK = 200


class _Blog:
    """What every part of an export needs, in a fixed number of queries: who wrote what (names, logins), the
    categories and tags, and how comments answer one another. The essays and comments themselves are read a
    chunk at a time (`chunks`)."""

    def __init__(self, course: Course, now: datetime):
        posts = visible_posts(course, now).subquery()
        self.post_ids = list(db.session.scalars(select(posts.c.id).order_by(posts.c.published_at, posts.c.id)))
        of_posts = Comment.post_id.in_(select(posts.c.id))
        # Every comment's parent, shown or not: a reply to a hidden comment is exported under the nearest shown one.
        rows = db.session.execute(select(Comment.id, Comment.parent_id, shown_comments()).where(of_posts)).all()
        self.parent_of = {comment_id: parent_id for comment_id, parent_id, _ in rows}
        self.visible_ids = {comment_id for comment_id, _, shown in rows if shown}
        rows = db.session.execute(
            select(PostTerm.post_id, Term).join(Term, Term.id == PostTerm.term_id)
            .where(PostTerm.post_id.in_(select(posts.c.id)))
        ).all()
        self.terms_of: dict[int, list[Term]] = {}
        for post_id, term in rows:
            self.terms_of.setdefault(post_id, []).append(term)
        self.terms = sorted({t.id: t for _, t in rows}.values(), key=lambda t: (t.kind, t.slug))
        people_ids = union(select(posts.c.author_id), select(Comment.author_id).where(of_posts, shown_comments()))
        self.people = list(db.session.scalars(select(User).where(User.id.in_(people_ids)).order_by(User.id)))
        pseudonyms = dict(db.session.execute(
            select(Enrollment.user_id, Enrollment.course_name)
            .where(Enrollment.course_id == course.id, Enrollment.user_id.in_(people_ids))
        ).all())
        self.people_by_id = {u.id: u for u in self.people}
        self.names = {u.id: pseudonyms.get(u.id) or u.display_name for u in self.people}
        self.logins = self._logins()

    def chunks(self) -> Iterator[list[tuple[Post, list[Comment]]]]:
        """The essays in order (published, then id), each with its shown comments in order, a chunk at a time."""
        for start in range(0, len(self.post_ids), ESSAYS_PER_CHUNK):
            ids = self.post_ids[start:start + ESSAYS_PER_CHUNK]
            posts = {p.id: p for p in db.session.scalars(select(Post).where(Post.id.in_(ids)))}
            comments_of: dict[int, list[Comment]] = {}
            for comment in db.session.scalars(select(Comment).where(Comment.post_id.in_(ids), shown_comments())
                                              .order_by(Comment.created_at, Comment.id)):
                comments_of.setdefault(comment.post_id, []).append(comment)
            yield [(posts[post_id], comments_of.get(post_id, [])) for post_id in ids]

    def _logins(self) -> dict[int, str]:
        logins: dict[int, str] = {}
        taken: set[str] = set()
        for user in self.people:
            base = slugify(self.names[user.id], 50) or "writer"
            login, n = base, 2
            while login in taken:
                login, n = f"{base}-{n}", n + 1
            taken.add(login)
            logins[user.id] = login
        return logins

    def exported_parent(self, comment: Comment) -> int:
        """The nearest visible comment this one answers (a reply to a hidden comment moves up a level)."""
        parent_id, seen = comment.parent_id, set()
        while parent_id and parent_id not in seen:
            if parent_id in self.visible_ids:
                return parent_id
            seen.add(parent_id)
            parent_id = self.parent_of.get(parent_id)
        return 0


def export_wxr(course: Course, *, site_url: str, include_emails: bool = False, now: datetime | None = None) -> str:
    """The whole file as one text (tests, small courses); `wxr_parts` gives it a piece at a time."""
    return "".join(wxr_parts(course, site_url=site_url, include_emails=include_emails, now=now))


def wxr_parts(course: Course, *, site_url: str, include_emails: bool = False,
              now: datetime | None = None) -> Iterator[str]:
    """The export as pieces to send or write as they come: the head, then a chunk of essays at a time."""
    now = now or utcnow()
    blog = _Blog(course, now)
    site = site_url.rstrip("/") + "/"
    blog_url = f"{site}c/{quote(course.slug)}/"
    head = [
        '<?xml version="1.0" encoding="UTF-8" ?>',
        "<!-- This is a WordPress eXtended RSS file: a course blog exported from Coursesite. -->",
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"',
        '  xmlns:content="http://purl.org/rss/1.0/modules/content/"',
        '  xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/"',
        f'  xmlns:wp="{WXR_NS}">',
        "<channel>",
        f"  <title>{_text(escape(course.title or ''))}</title>",
        f"  <link>{_text(blog_url)}</link>",
        f"  <description>{_text(escape(course.description or ''))}</description>",
        f"  <pubDate>{format_datetime(now.astimezone(UTC))}</pubDate>",
        "  <language>en</language>",
        "  <wp:wxr_version>1.2</wp:wxr_version>",
        f"  <wp:base_site_url>{_text(site)}</wp:base_site_url>",
        f"  <wp:base_blog_url>{_text(blog_url)}</wp:base_blog_url>",
    ]
    head += [_author(blog, user, include_emails) for user in blog.people]
    head += [_term(term) for term in blog.terms]
    head.append("  <generator>Coursesite</generator>")
    yield "\n".join(head) + "\n"
    for chunk in blog.chunks():
        yield "".join(_item(blog, course, post, blog_url, comments, include_emails) + "\n"
                      for post, comments in chunk)
    yield "</channel>\n</rss>\n"


def _author(blog: _Blog, user: User, include_emails: bool) -> str:
    email = user.email if include_emails and user.email else ""
    return (
        f"  <wp:author><wp:author_id>{user.id}</wp:author_id>"
        f"<wp:author_login>{_plain(blog.logins[user.id])}</wp:author_login>"
        f"<wp:author_email>{_plain(email)}</wp:author_email>"
        f"<wp:author_display_name>{_plain(blog.names[user.id])}</wp:author_display_name>"
        "<wp:author_first_name><![CDATA[]]></wp:author_first_name>"
        "<wp:author_last_name><![CDATA[]]></wp:author_last_name></wp:author>"
    )


def _term(term: Term) -> str:
    if term.kind == "tag":
        return (f"  <wp:tag><wp:term_id>{term.id}</wp:term_id><wp:tag_slug>{_plain(term.slug)}</wp:tag_slug>"
                f"<wp:tag_name>{_plain(term.name)}</wp:tag_name></wp:tag>")
    return (f"  <wp:category><wp:term_id>{term.id}</wp:term_id>"
            f"<wp:category_nicename>{_plain(term.slug)}</wp:category_nicename>"
            f"<wp:category_parent><![CDATA[]]></wp:category_parent>"
            f"<wp:cat_name>{_plain(term.name)}</wp:cat_name></wp:category>")


def _item(blog: _Blog, course: Course, post: Post, blog_url: str, comments: list[Comment],
          include_emails: bool) -> str:
    link = f"{blog_url}essays/{quote(post.slug)}/"
    published = post.published_at
    modified = post.updated_at or published
    lines = [
        "  <item>",
        f"    <title>{_plain(post.title)}</title>",
        f"    <link>{_text(link)}</link>",
        f"    <pubDate>{format_datetime(published.astimezone(UTC))}</pubDate>",
        f"    <dc:creator>{_plain(blog.logins[post.author_id])}</dc:creator>",
        f'    <guid isPermaLink="false">{_text(link)}</guid>',
        "    <description></description>",
        f"    <content:encoded>{_cdata(post.body_html)}</content:encoded>",
        "    <excerpt:encoded><![CDATA[]]></excerpt:encoded>",
        f"    <wp:post_id>{post.id}</wp:post_id>",
        f"    <wp:post_date>{_cdata(_wp_date(published, course.timezone))}</wp:post_date>",
        f"    <wp:post_date_gmt>{_cdata(_gmt_date(published))}</wp:post_date_gmt>",
        f"    <wp:post_modified>{_cdata(_wp_date(modified, course.timezone))}</wp:post_modified>",
        f"    <wp:post_modified_gmt>{_cdata(_gmt_date(modified))}</wp:post_modified_gmt>",
        "    <wp:comment_status><![CDATA[open]]></wp:comment_status>",
        "    <wp:ping_status><![CDATA[closed]]></wp:ping_status>",
        f"    <wp:post_name>{_plain(post.slug)}</wp:post_name>",
        "    <wp:status><![CDATA[publish]]></wp:status>",
        "    <wp:post_parent>0</wp:post_parent>",
        "    <wp:menu_order>0</wp:menu_order>",
        "    <wp:post_type><![CDATA[post]]></wp:post_type>",
        "    <wp:post_password><![CDATA[]]></wp:post_password>",
        "    <wp:is_sticky>0</wp:is_sticky>",
    ]
    for term in blog.terms_of.get(post.id, []):
        domain = TERM_DOMAINS.get(term.kind, "category")
        lines.append(f"    <category domain={quoteattr(domain)} nicename={quoteattr(xml_text(term.slug))}>"
                     f"{_plain(term.name)}</category>")
    lines += [_comment(blog, course, c, include_emails) for c in comments]
    lines.append("  </item>")
    return "\n".join(lines)


def _comment(blog: _Blog, course: Course, comment: Comment, include_emails: bool) -> str:
    author = blog.people_by_id[comment.author_id]
    email = author.email if include_emails and author.email else ""
    return "\n".join([
        "    <wp:comment>",
        f"      <wp:comment_id>{comment.id}</wp:comment_id>",
        f"      <wp:comment_author>{_plain(blog.names[author.id])}</wp:comment_author>",
        f"      <wp:comment_author_email>{_plain(email)}</wp:comment_author_email>",
        "      <wp:comment_author_url></wp:comment_author_url>",
        "      <wp:comment_author_IP></wp:comment_author_IP>",
        f"      <wp:comment_date>{_cdata(_wp_date(comment.created_at, course.timezone))}</wp:comment_date>",
        f"      <wp:comment_date_gmt>{_cdata(_gmt_date(comment.created_at))}</wp:comment_date_gmt>",
        f"      <wp:comment_content>{_cdata(comment.body_html)}</wp:comment_content>",
        "      <wp:comment_approved><![CDATA[1]]></wp:comment_approved>",
        "      <wp:comment_type><![CDATA[comment]]></wp:comment_type>",
        f"      <wp:comment_parent>{blog.exported_parent(comment)}</wp:comment_parent>",
        f"      <wp:comment_user_id>{author.id}</wp:comment_user_id>",
        "    </wp:comment>",
    ])
