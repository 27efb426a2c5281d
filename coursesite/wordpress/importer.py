"""Bringing a WordPress blog into a course: essays, people, threaded comments, categories and tags.

Everything happens inside one savepoint: any error leaves nothing behind, and a dry run rolls the
savepoint back after building the report. WordPress ids are remembered (Post.wp_post_id,
Comment.wp_comment_id), so importing the same file again changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

from sqlalchemy import select

from coursesite.coursework import courses as course_service
from coursesite.discussion.comments import MAX_COMMENT_CHARS
from coursesite.extensions import db
from coursesite.models import Comment, CommentRevision, Course, Post, PostRevision, PostTerm, Term, User, utcnow
from coursesite.text.html_markdown import NestingTooDeep, check_nesting, html_to_markdown
from coursesite.text.words import count_html_words
from coursesite.wordpress.content import comment_html, essay_html, html_to_text, plain_line
from coursesite.wordpress.parse import WxrComment, WxrDocument, WxrError, WxrItem, wxr_time
from coursesite.wordpress.people import People
from coursesite.wordpress.report import ImportReport

TERM_KINDS = {"category": "category", "post_tag": "tag", "tag": "tag"}
DRAFT_STATUSES = frozenset({"draft", "pending"})
COMMENT_TYPES = frozenset({"", "comment"})
NOT_ESSAYS = {"page": "a page", "attachment": "a media file (upload it to the course)", "nav_menu_item": "a menu item"}


@dataclass(frozen=True)
class ImportOptions:
    include_drafts: bool = False
    include_pending: bool = False
    dry_run: bool = False


@dataclass(frozen=True)
class NewCourse:
    slug: str
    timezone: str
    visibility: str = "members"


def import_wxr(doc: WxrDocument, *, importer: User, options: ImportOptions = ImportOptions(),
               course: Course | None = None, new_course: NewCourse | None = None,
               chosen: dict[str, User] | None = None) -> ImportReport:
    """Import into `course`, or into a course made from `new_course`; flushes, never commits.

    `chosen` links people of the file (by PersonInFile.ref) to accounts: a site admin's explicit choice.
    """
    report = ImportReport(dry_run=options.dry_run, wxr_version=doc.version)
    savepoint = db.session.begin_nested()
    try:
        if course is None:
            course = _create_course(doc, new_course, importer, report)
        report.course_slug, report.course_title = course.slug, course.title
        _Import(doc, course, importer, options, report, chosen).run()
        db.session.flush()
    except BaseException:
        savepoint.rollback()
        raise
    if options.dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
    return report


def _create_course(doc: WxrDocument, spec: NewCourse | None, owner: User, report: ImportReport) -> Course:
    if spec is None:
        raise ValueError("import_wxr needs a course or a new course")
    title = plain_line(doc.title, 200) or spec.slug
    try:
        course = course_service.create_course(
            owner, slug=spec.slug, title=title, timezone=spec.timezone, visibility=spec.visibility
        )
    except course_service.CourseError as error:
        raise WxrError(str(error)) from error
    report.course_created = True
    return course


def slugify(text: str, max_length: int = 190) -> str:
    """WordPress slugs may be percent-encoded UTF-8; keep letters of any script, digits and hyphens."""
    text = unicodedata.normalize("NFKC", unquote(text)).lower()
    return re.sub(r"[^\w]+|_+", "-", text).strip("-")[:max_length].strip("-")


class UniqueSlugs:
    """Essay addresses not yet taken in a course: `base`, else base-2, base-3, ...

    Each base remembers the next number to try, so a thousand items sharing a WordPress post_name cost
    a thousand look-ups, not half a million.
    """

    def __init__(self, taken: set[str]):
        self.taken = taken
        self.next_number: dict[str, int] = {}

    def claim(self, base: str) -> str:
        slug, n = base, self.next_number.get(base, 2)
        while slug in self.taken:
            slug, n = f"{base}-{n}", n + 1
        self.next_number[base] = n
        self.taken.add(slug)
        return slug


class _Import:
    def __init__(self, doc: WxrDocument, course: Course, importer: User, options: ImportOptions,
                 report: ImportReport, chosen: dict[str, User] | None = None):
        self.doc, self.course, self.options, self.report = doc, course, options, report
        self.people = People(course, doc, importer, report, chosen)
        self.now = utcnow()
        self.posts = {
            p.wp_post_id: p
            for p in db.session.scalars(select(Post).where(Post.course_id == course.id, Post.wp_post_id.isnot(None)))
        }
        # The course's own essays in the file, and their comments by id (its export gives our ids as WordPress's).
        self.own_comments: dict[int, dict[int, Comment]] = {}
        self.own_essays = self._own_essays()
        self.slugs = UniqueSlugs(set(db.session.scalars(select(Post.slug).where(Post.course_id == course.id))))
        self.terms = {(t.kind, t.slug): t for t in db.session.scalars(select(Term).where(Term.course_id == course.id))}
        self.undated = 0
        self.long_comments = 0
        # (a new comment, the one it answers): written once all are read, their first revisions once all have ids
        self.new_comments: list[tuple[Comment, Comment | None]] = []

    def run(self) -> None:
        seen: set[int] = set()
        # (item, its essay, made by this import, one of this course's own essays)
        essays: list[tuple[WxrItem, Post, bool, bool]] = []
        for item in self.doc.items:
            reason = self._skip_reason(item, seen)
            seen.add(item.post_id)
            if reason:
                self.report.skip(item.post_type or "item", item.label, reason)
                for c in item.comments:
                    self.report.skip("comment", _comment_label(c, item), f"on a skipped {item.post_type or 'item'}")
                continue
            # The course's own essay first: its address is the course's alone, while its id may also be another
            # essay's WordPress id.
            post = self.own_essays.get(item.post_id)
            own = post is not None
            post = post or self.posts.get(item.post_id)
            if post is None:
                essays.append((item, self._new_post(item), True, False))
            else:
                self.report.posts_matched.append(post.title)
                essays.append((item, post, False, own))
        # The new essays are written together, in a few statements rather than one each: the import (and the
        # preview, its dry run) holds the database's write lock while it writes.
        db.session.flush()
        for item, post, made, own in essays:
            if made:
                self._first_revision_and_terms(item, post)
            existing = {} if made else self.own_comments.get(post.id, {}) if own else self._imported_comments(post)
            self._import_comments(item, post, existing)
        self._write_comments()
        self._first_comment_revisions()
        self.report.notes += self.people.notes()
        if self.undated:
            self.report.notes.append(f"Items with no date: {self.undated}, dated at the time of import")
        if self.long_comments:
            self.report.notes.append(
                f"Comments longer than the {MAX_COMMENT_CHARS:,} characters a comment written here may have: "
                f"{self.long_comments}, imported whole; their authors can edit one only by shortening it"
            )

    def _skip_reason(self, item: WxrItem, seen: set[int]) -> str | None:
        if item.post_type != "post":
            kind = NOT_ESSAYS.get(item.post_type, f"of type “{item.post_type or 'none'}”")
            return f"{kind}: only posts become essays"
        if item.post_id <= 0:
            return "no WordPress post id"
        if item.post_id in seen:
            return "the same WordPress post id appears twice in the file"
        if item.password:
            return "password-protected on WordPress, so not published here"
        if item.status == "publish":
            return None
        if item.status in DRAFT_STATUSES:
            return None if self.options.include_drafts else "a draft (include drafts to import it)"
        return f"status “{item.status or 'none'}” is not imported (only published posts and drafts)"

    def _time(self, gmt: str, local: str, label: str) -> datetime:
        try:
            moment = wxr_time(gmt, local, self.course.timezone)
        except WxrError as error:
            # The whole file is refused, as for any other value the site cannot hold: named, to be corrected.
            raise WxrError(f"refused: {label}: {error}") from error
        if moment is None:
            self.undated += 1
            return self.now
        return moment

    def _unique_slug(self, item: WxrItem, title: str) -> str:
        return self.slugs.claim(slugify(item.post_name) or slugify(title) or f"post-{item.post_id}")

    def _new_post(self, item: WxrItem) -> Post:
        """The essay of an item, added to the session: it gets its id with the others, in one flush."""
        author = self.people.author(item.creator)
        when = self._time(item.date_gmt, item.date, item.label)
        body_html, images = essay_html(item.content, self.doc.base_url)
        self.report.add_images(images)
        title = plain_line(item.title, 300) or "Untitled"
        published = item.status == "publish"
        body = _refused_if_too_deep(html_to_markdown, body_html, item.label)
        post = Post(
            course_id=self.course.id, author_id=author.id, title=title, slug=self._unique_slug(item, title),
            body=body, body_html=body_html, status="published" if published else "draft",
            word_count=count_html_words(body_html), created_at=when, published_at=when if published else None,
            wp_post_id=item.post_id,
        )
        db.session.add(post)
        self.posts[item.post_id] = post
        self.report.posts_created.append(title)
        return post

    def _first_revision_and_terms(self, item: WxrItem, post: Post) -> None:
        db.session.add(PostRevision(post_id=post.id, version=1, title=post.title, body=post.body,
                                    word_count=post.word_count, status=post.status, saved_by_id=post.author_id,
                                    created_at=post.created_at))
        self._attach_terms(item, post)

    def _attach_terms(self, item: WxrItem, post: Post) -> None:
        attached: set[int] = set()
        for wp_term in item.terms:
            kind = TERM_KINDS.get(wp_term.domain)
            name = plain_line(wp_term.name, 120)
            slug = slugify(wp_term.slug, 120) or slugify(name, 120)
            if kind is None or not slug:
                continue
            term = self.terms.get((kind, slug))
            if term is None:
                term = Term(course_id=self.course.id, kind=kind, name=name or slug, slug=slug)
                db.session.add(term)
                db.session.flush()
                self.terms[(kind, slug)] = term
                self.report.terms_created.append(f"{kind} {term.name}")
            if term.id not in attached:
                attached.add(term.id)
                db.session.add(PostTerm(post_id=post.id, term_id=term.id))

    def _write_comments(self) -> None:
        """A reply needs its parent's id, so the new comments are written a generation at a time, each in one
        flush for the whole file (a flush per reply took a third of an import's time). The comment a new one
        answers was read before it, so each round writes at least one."""
        waiting = self.new_comments
        while waiting:
            later = []
            for comment, parent in waiting:
                if parent is not None and parent.id is None:
                    later.append((comment, parent))
                    continue
                comment.parent_id = parent.id if parent is not None else None
                db.session.add(comment)
            db.session.flush()
            waiting = later

    def _first_comment_revisions(self) -> None:
        db.session.add_all(CommentRevision(comment_id=c.id, body=c.body, word_count=c.word_count,
                                           created_at=c.created_at) for c, _ in self.new_comments)

    def _own_essays(self) -> dict[int, Post]:
        """The course's essays in a file exported from it (its WordPress ids are the essays' and comments' own,
        its post names their addresses), by id: imported again, such an essay is already here, not a copy to add.
        An essay of another site with the same id has another address."""
        in_file = {(item.post_id, item.post_name) for item in self.doc.items}
        ids = [post_id for post_id, slug in db.session.execute(select(Post.id, Post.slug).where(
            Post.course_id == self.course.id)) if (post_id, slug) in in_file]
        own: dict[int, Post] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            own.update((post.id, post) for post in db.session.scalars(select(Post).where(Post.id.in_(chunk))))
            for comment in db.session.scalars(select(Comment).where(Comment.post_id.in_(chunk))):
                self.own_comments.setdefault(comment.post_id, {})[comment.id] = comment
        return own

    @staticmethod
    def _imported_comments(post: Post) -> dict[int, Comment]:
        """The comments of an essay imported before, by WordPress id (a new essay has none: no query)."""
        return {
            c.wp_comment_id: c
            for c in db.session.scalars(
                select(Comment).where(Comment.post_id == post.id, Comment.wp_comment_id.isnot(None))
            )
        }

    def _import_comments(self, item: WxrItem, post: Post, existing: dict[int, Comment]) -> None:
        in_file = {c.comment_id: c for c in item.comments if c.comment_id > 0}
        done: dict[int, Comment | None] = {}
        for wp_comment in _parents_first(item.comments, in_file):
            imported = self._import_comment(wp_comment, item, post, in_file, existing, done)
            done.setdefault(wp_comment.comment_id, imported)

    def _comment_skip_reason(self, c: WxrComment, done: dict) -> str | None:
        if c.comment_id <= 0:
            return "no WordPress comment id"
        if c.comment_id in done:
            return "the same WordPress comment id appears twice on this post"
        kind = c.comment_type.lower()
        if kind in {"pingback", "trackback"}:
            return f"a {kind}: never imported"
        if kind not in COMMENT_TYPES:
            return f"comment type “{c.comment_type}” is not imported"
        if c.approved == "1":
            return None
        if c.approved == "0":
            return None if self.options.include_pending else "awaiting approval (include pending comments to import it)"
        return {"spam": "spam: never imported", "trash": "in the trash", "post-trashed": "in the trash"}.get(
            c.approved, f"status “{c.approved}” is not imported"
        )

    def _import_comment(self, c: WxrComment, item: WxrItem, post: Post, in_file: dict, existing: dict,
                        done: dict) -> Comment | None:
        reason = self._comment_skip_reason(c, done)
        if reason:
            self.report.skip("comment", _comment_label(c, item), reason)
            return None
        if c.comment_id in existing:
            self.report.comments_matched += 1
            return existing[c.comment_id]
        body_html = comment_html(c.content, self.doc.base_url)
        if not body_html:
            self.report.skip("comment", _comment_label(c, item), "empty")
            return None
        _refused_if_too_deep(check_nesting, body_html, _comment_label(c, item))
        parent = _nearest_imported_parent(c, in_file, existing, done)
        when = self._time(c.date_gmt, c.date, _comment_label(c, item))
        comment = Comment(
            post_id=post.id, author_id=self.people.commenter(c).id,
            body=html_to_text(body_html), body_html=body_html, word_count=count_html_words(body_html),
            status="visible" if c.approved == "1" else "held", created_at=when, wp_comment_id=c.comment_id,
        )
        self.new_comments.append((comment, parent))
        self.report.comments_created += 1
        self.long_comments += len(comment.body) > MAX_COMMENT_CHARS
        self.report.threaded_comments += parent is not None
        return comment


def _refused_if_too_deep(convert, body_html: str, label: str):
    """The whole file is refused: an item left out silently would look imported."""
    try:
        return convert(body_html)
    except NestingTooDeep as error:
        raise WxrError(f"refused: {label}: {error}") from error


def _comment_label(c: WxrComment, item: WxrItem) -> str:
    who = plain_line(c.author, 60) or "anonymous"
    return f"comment {c.comment_id} by {who} on “{plain_line(item.title, 80) or 'untitled'}”"


def _parents_first(comments: list[WxrComment], in_file: dict[int, WxrComment]) -> list[WxrComment]:
    """Comments ordered so that each comes after the one it replies to (cycles are broken)."""
    ordered: list[WxrComment] = []
    placed: set[int] = set()
    for comment in comments:
        chain, seen = [], set()
        node = comment
        while node is not None and id(node) not in placed and node.comment_id not in seen:
            seen.add(node.comment_id)
            chain.append(node)
            node = in_file.get(node.parent_id) if node.parent_id else None
        for node in reversed(chain):
            placed.add(id(node))
            ordered.append(node)
    return ordered


def _nearest_imported_parent(c: WxrComment, in_file: dict, existing: dict, done: dict) -> Comment | None:
    """The comment this one replies to, or its nearest ancestor that was imported (skipped ones are passed)."""
    parent_id, seen = c.parent_id, {c.comment_id}
    while parent_id and parent_id not in seen:
        seen.add(parent_id)
        found = done.get(parent_id) or existing.get(parent_id)
        if found is not None:
            return found
        parent = in_file.get(parent_id)
        parent_id = parent.parent_id if parent else 0
    return None
