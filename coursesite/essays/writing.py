"""Writing essays: drafts, autosaves, publishing, revisions and the trash.

Every change goes through an optimistic lock: the editor sends the version it started from, and a save
based on an older version is refused with both texts, never applied over the newer one. A published essay's
pending autosave carries its own version (above the essay's), so tabs are guarded the same way there.

Each editor page names itself with a random id sent with every save. A version that page wrote itself is no
conflict for it: the page saved, the answer was lost on the way, and its retry still holds the older version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from coursesite.essays.terms import set_terms, slugify, term_slug
from coursesite.extensions import db
from coursesite.models import Assignment, Course, Post, PostAutosave, PostRevision, User
from coursesite.participation.deadlines import work_item
from coursesite.text.markdown import render_essay
from coursesite.text.words import count_html_words

MAX_TITLE_CHARS = 300
MAX_BODY_CHARS = 100_000
EDITOR_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
AUTHOR_RESTORE_DAYS = 30
# Autosave makes a new draft only from a title or this many words: a few stray words typed on a phone stay
# in the browser's copy and leave no "Untitled draft" behind.
UNTITLED_DRAFT_MIN_WORDS = 20


class PostError(ValueError):
    """A save that cannot be made; `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class EditConflict(Exception):
    """The essay changed since the editor loaded it (another tab or device)."""

    def __init__(self, post: Post, title: str, body: str, version: int):
        super().__init__("the essay changed since this editor loaded it")
        self.post = post
        self.current_title = title
        self.current_body = body
        self.version = version  # the version to save over it with


@dataclass
class EssayText:
    title: str
    body: str
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # When to publish, aware UTC; None for "now".
    publish_at: datetime | None = None


def rendered(body: str) -> tuple[str, int]:
    """(sanitized HTML, word count): the one pipeline the editor's preview, saves and autosaves share."""
    html = render_essay(body)
    return html, count_html_words(html)


def worth_a_draft(title: str, body: str) -> bool:
    return bool(title.strip()) or rendered(body)[1] >= UNTITLED_DRAFT_MIN_WORDS


def check_length(text: EssayText) -> None:
    if len(text.title) > MAX_TITLE_CHARS:
        raise PostError(f"Keep the title under {MAX_TITLE_CHARS} characters.", "title")
    if len(text.body) > MAX_BODY_CHARS:
        raise PostError(
            f"The essay is {len(text.body):,} characters long; the limit is {MAX_BODY_CHARS:,}. "
            "Shorten it (your text is still below).",
            "body",
        )


def unique_slug(course_id: int, title: str, post_id: int | None = None) -> str:
    base = slugify(title, fallback="essay", max_length=80)
    taken = set(
        db.session.scalars(
            select(Post.slug).where(
                Post.course_id == course_id, Post.slug.like(f"{base}%"), Post.id != (post_id or 0)
            )
        )
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _check_can_publish(post: Post, now: datetime) -> None:
    """Publishing asks the deadline rules: a closed assignment refuses once the author's own deadline
    (extension, section date, accommodation) and its grace period have passed."""
    assignment: Assignment | None = post.assignment
    if assignment is None or assignment.late_policy != "closed":
        return
    if work_item(assignment, post.author_id, now).closed:
        raise PostError(
            f"{assignment.title} closed at its due date, so essays for it can no longer be published. "
            "Your text is kept as a draft; ask your instructor about an extension."
        )


def new_post(course: Course, author: User, assignment: Assignment | None, now: datetime) -> Post:
    post = Post(
        course_id=course.id,
        author_id=author.id,
        assignment=assignment,
        title="",
        slug=unique_slug(course.id, "draft"),
        body="",
        status="draft",
        version=0,
        created_at=now,
        modified_at=now,
    )
    db.session.add(post)
    return post


def _locked(post: Post) -> Post:
    """Re-read the post under a row lock (PostgreSQL) so two saves cannot both pass the version check."""
    if post.id is None:
        return post
    db.session.flush()
    return db.session.scalar(select(Post).where(Post.id == post.id).with_for_update().execution_options(
        populate_existing=True
    ))


@dataclass
class Editing:
    """The text an editor works on: the essay's own, or a published essay's pending autosave."""

    version: int
    title: str
    body: str
    saved_from: str | None
    pending: PostAutosave | None = None

    @property
    def next_version(self) -> int:
        """Above every version handed out, an outdated pending autosave's included: none is ever used twice."""
        return max(self.version, self.pending.version if self.pending is not None else 0) + 1


def editing(post: Post) -> Editing:
    pending = pending_autosave(post) if post.status != "draft" else None
    if pending is not None and pending.base_version == post.version:
        return Editing(pending.version, pending.title, pending.body, pending.saved_from, pending)
    return Editing(post.version, post.title, post.body, post.saved_from, pending)


def saved_from(version: int, editor: str | None) -> str | None:
    """The stamp of a version written by an editor page (None: not named, or not a valid name)."""
    return f"{version}:{editor}" if editor and EDITOR_ID.fullmatch(editor) else None


def _check_version(post: Post, expected: int, title: str, body: str, editor: str | None) -> Editing:
    """The current text, unless the save was based on an older one: then EditConflict. The same text, or a
    version this very editor page wrote (its answer lost), is no conflict."""
    current = editing(post)
    if post.id is None or expected == current.version or (title, body) == (current.title, current.body):
        return current
    if current.saved_from is not None and current.saved_from == saved_from(current.version, editor):
        return current
    raise EditConflict(post, current.title, current.body, current.version)


def _apply_text(post: Post, title: str, body: str, now: datetime, keep_slug: bool = False) -> bool:
    """Set title and body; True when they changed. The address follows the title until readers have seen it."""
    changed = (title, body) != (post.title, post.body)
    if changed or not post.body_html:
        post.title, post.body = title, body
        post.body_html, post.word_count = rendered(body)
    if not keep_slug and (changed or post.id is None):
        post.slug = unique_slug(post.course_id, title or "draft", post.id)
    post.modified_at = now
    return changed


def _add_revision(post: Post, editor: User, now: datetime) -> None:
    last = db.session.scalar(
        select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.id.desc()).limit(1)
    )
    if last is not None and (last.title, last.body, last.status) == (post.title, post.body, post.status):
        return
    db.session.add(
        PostRevision(
            post_id=post.id, version=post.version, title=post.title, body=post.body, word_count=post.word_count,
            status=post.status, saved_by_id=editor.id, created_at=now,
        )
    )


def _publish_time(post: Post, text: EssayText, now: datetime) -> datetime:
    if text.publish_at is None:
        return post.published_at if post.is_live(now) else now
    if post.is_live(now):
        return post.published_at  # already out: the publication date stays what readers saw
    if text.publish_at <= now:
        raise PostError("Choose a time in the future, or leave it empty to publish now.", "publish_at")
    return text.publish_at


def save(post: Post, editor: User, text: EssayText, *, publish: bool, expected_version: int, now: datetime,
         editor_page: str | None = None) -> Post:
    """Save a draft, publish, schedule or update an essay; flushes, never commits."""
    check_length(text)
    if not text.title.strip():
        raise PostError("Give your essay a title.", "title")
    if publish and not text.body.strip():
        raise PostError("Write your essay before publishing it.", "body")
    post = _locked(post)
    current = _check_version(post, expected_version, text.title, text.body, editor_page)
    was_live = post.is_live(now)
    publish = publish or was_live  # a published essay never goes back to draft through a save
    when = _publish_time(post, text, now) if publish else None
    if publish and not was_live:
        _check_can_publish(post, when)
    changed = _apply_text(post, text.title, text.body, now, keep_slug=was_live)
    post.status, post.published_at = ("published", when) if publish else ("draft", None)
    if changed and was_live:
        post.updated_at = now
    post.version = current.next_version
    post.saved_from = saved_from(post.version, editor_page)
    db.session.flush()
    set_terms(post, "category", text.categories)
    set_terms(post, "tag", text.tags)
    _add_revision(post, editor, now)
    db.session.execute(PostAutosave.__table__.delete().where(PostAutosave.post_id == post.id))
    db.session.flush()
    return post


@dataclass
class AutosaveResult:
    post: Post
    version: int
    saved_at: datetime


def autosave(
    post: Post, editor: User, title: str, body: str, *, expected_version: int, now: datetime,
    editor_page: str | None = None, terms: dict[str, list[str]] | None = None,
) -> AutosaveResult:
    """Keep what is being typed. A draft is saved in place; a published essay keeps its text for readers
    and the typed text waits beside it until the author presses Update. `terms` ({"category": [...],
    "tag": [...]}) are kept the same way; None leaves them as they are."""
    check_length(EssayText(title, body))
    post = _locked(post)
    current = _check_version(post, expected_version, title, body, editor_page)
    if post.status == "draft":
        if (title, body) != (post.title, post.body) or post.id is None:
            _apply_text(post, title, body, now, keep_slug=post.published_at is not None)
            post.version += 1
            post.saved_from = saved_from(post.version, editor_page)
        db.session.flush()
        changed = {kind: names for kind, names in (terms or {}).items() if not _same_terms(post, kind, names)}
        for kind, names in changed.items():
            set_terms(post, kind, names)
        if changed:
            post.modified_at = now
        return AutosaveResult(post, post.version, now)
    if _unchanged(post, current, title, body, terms or {}):
        return AutosaveResult(post, current.version, now)
    # Kept even when the text is back to the published one: the versions it handed out must not come back.
    pending = current.pending or PostAutosave(post_id=post.id)
    pending.title, pending.body, pending.base_version = title, body, post.version
    typed = {kind: ", ".join(names) for kind, names in (terms or {}).items()}
    pending.categories, pending.tags = typed.get("category"), typed.get("tag")
    pending.version = current.next_version
    pending.saved_from = saved_from(pending.version, editor_page)
    pending.user_id, pending.saved_at = editor.id, now
    db.session.add(pending)
    db.session.flush()
    return AutosaveResult(post, pending.version, now)


def _same_terms(post: Post, kind: str, names: list[str]) -> bool:
    return {term_slug(name) for name in names} == {term.slug for term in post.terms if term.kind == kind}


def pending_terms(pending: PostAutosave) -> dict[str, list[str]]:
    """The categories and tags a pending autosave holds ({} for a kind it was not sent)."""
    typed = {"category": pending.categories, "tag": pending.tags}
    return {kind: [name.strip() for name in text.split(",") if name.strip()]
            for kind, text in typed.items() if text is not None}


def pending_differs(post: Post, pending: PostAutosave) -> bool:
    """Whether a published essay's pending autosave holds anything the essay does not."""
    return (pending.title, pending.body) != (post.title, post.body) or not all(
        _same_terms(post, kind, names) for kind, names in pending_terms(pending).items())


def _unchanged(post: Post, current: Editing, title: str, body: str, terms: dict[str, list[str]]) -> bool:
    """An autosave of exactly what the editor already holds (the essay's own, or its live pending text)."""
    if (title, body) != (current.title, current.body):
        return False
    if current.version == post.version:
        return all(_same_terms(post, kind, names) for kind, names in terms.items())
    held = pending_terms(current.pending)
    return all({term_slug(n) for n in names} == {term_slug(n) for n in held.get(kind, [])}
               for kind, names in terms.items())


def pending_autosave(post: Post) -> PostAutosave | None:
    if post.id is None:
        return None
    return db.session.scalar(select(PostAutosave).where(PostAutosave.post_id == post.id))


def author_may_restore(post: Post, now: datetime) -> bool:
    """An author takes back what they moved to the trash themselves, for AUTHOR_RESTORE_DAYS; what staff
    removed, and anything older, only staff restore."""
    return (post.deleted_at is not None and post.deleted_by_id == post.author_id
            and post.deleted_at > now - timedelta(days=AUTHOR_RESTORE_DAYS))


def restorable_until(post: Post) -> datetime | None:
    return post.deleted_at + timedelta(days=AUTHOR_RESTORE_DAYS) if post.deleted_at else None


def trash(post: Post, by: User, now: datetime) -> None:
    if post.deleted_at is None:
        post.deleted_at, post.deleted_by_id = now, by.id
    db.session.flush()


def restore(post: Post) -> None:
    post.deleted_at, post.deleted_by_id = None, None
    db.session.flush()


def _posts(*where, order) -> list[Post]:
    return list(db.session.scalars(select(Post).where(*where).order_by(*order)))


def _unpublished(course: Course, now: datetime) -> tuple:
    """Drafts and scheduled essays of the course, not in the trash."""
    return (Post.course_id == course.id, Post.deleted_at.is_(None),
            (Post.status == "draft") | (Post.published_at > now))


_NEWEST_CHANGE = (func.coalesce(Post.modified_at, Post.created_at).desc(), Post.id.desc())


def drafts_of(course: Course, author: User, now: datetime) -> list[Post]:
    """The author's drafts and scheduled essays, newest change first."""
    return _posts(*_unpublished(course, now), Post.author_id == author.id, order=_NEWEST_CHANGE)


def others_drafts(course: Course, author: User, now: datetime) -> list[Post]:
    """Everyone else's drafts and scheduled essays (staff only)."""
    return _posts(*_unpublished(course, now), Post.author_id != author.id, order=_NEWEST_CHANGE)


def own_trash(course: Course, author: User, now: datetime) -> list[Post]:
    """What the author may still restore themselves (author_may_restore), most recently removed first."""
    removed = _posts(Post.course_id == course.id, Post.author_id == author.id, Post.deleted_at.is_not(None),
                     order=(Post.deleted_at.desc(), Post.id.desc()))
    return [post for post in removed if author_may_restore(post, now)]


def trashed(course: Course) -> list[Post]:
    return list(
        db.session.scalars(
            select(Post)
            .where(Post.course_id == course.id, Post.deleted_at.is_not(None))
            .order_by(Post.deleted_at.desc())
        )
    )
