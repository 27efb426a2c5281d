"""The comment thread under an essay, as the reader may see it, in a fixed number of queries.

The essay page (posts.essay) passes in the state of the comment form: after a refused comment, the typed
text and message that comments.create leaves on the request (FORM_STATE_KEY); otherwise the reply that
`?replytocom=<id>` opens without JavaScript.

A long thread is shown a page of COMMENT_THREADS_PER_PAGE top-level comments at a time, each with all its
replies, oldest first (WordPress's "break comments into pages"): a post every student of a large class answers
is not one page of megabytes. A link to a comment names it (`?comment=<id>`, coursesite/links.py), and the page
holding it is found here, when the link is followed, so a link never points at the wrong page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Select, and_, bindparam, select

from coursesite.discussion.comments import can_still_edit, closed_reason, comment_visible_to
from coursesite.extensions import db
from coursesite.models import Comment, CommentRevision, Enrollment, Post, User, utcnow
from coursesite.participation.rules import Hint
from coursesite.permissions import can_moderate, membership
from coursesite.text.words import count_text_words

FORM_STATE_KEY = "coursesite.comment_form_state"
MAX_DEPTH = 5  # WordPress's default: deeper replies are shown at the fifth level
AVATAR_HUES = 8
COMMENT_THREADS_PER_PAGE = 50  # WordPress's default


@dataclass
class CommentView:
    id: int
    parent_id: int | None
    author_id: int
    author_name: str
    initials: str
    avatar_hue: int
    role: str | None  # "instructor" | "ta" | None
    enrollment_id: int | None
    author_suspended: bool
    created_at: datetime
    edited_at: datetime | None
    body_html: str
    state: str  # visible | held | hidden | removed
    hidden_reason: str | None = None
    is_own: bool = False
    can_edit: bool = False
    revisions: list[CommentRevision] = field(default_factory=list)
    children: list[CommentView] = field(default_factory=list)
    depth: int = 1
    # Set on a reply shown at the last level below the comment it answers, not nested in it.
    in_reply_to_id: int | None = None
    in_reply_to_name: str | None = None  # None when that comment shows as removed


@dataclass
class FormState:
    """A refused comment, re-shown with what was typed."""

    body: str = ""
    parent_id: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class CommentPages:
    """Which page of the thread's top-level comments is shown (1-based), of how many."""

    number: int
    count: int


def _page_holding(thread: list[CommentView], comment_id: int | None) -> int | None:
    """The page of the top-level comment under which `comment_id` is shown; None if it is not shown."""
    if comment_id is None:
        return None
    for position, top in enumerate(thread):
        stack = [top]
        while stack:
            view = stack.pop()
            if view.id == comment_id:
                return position // COMMENT_THREADS_PER_PAGE + 1
            stack.extend(view.children)
    return None


def initials_of(name: str) -> str:
    parts = [p for p in name.split() if p[:1].isalnum()]
    letters = "".join(p[0] for p in parts[:2]) or name[:1]
    return letters.upper() or "?"


def _load(post: Post, staff: bool):
    rows = db.session.execute(_thread_statement(), {"course_id": post.course_id, "post_id": post.id}).all()
    revisions: dict[int, list[CommentRevision]] = {}
    if staff and rows:
        for revision in db.session.scalars(
            select(CommentRevision)
            .join(Comment, Comment.id == CommentRevision.comment_id)
            .where(Comment.post_id == post.id)
            .order_by(CommentRevision.created_at, CommentRevision.id)
        ):
            revisions.setdefault(revision.comment_id, []).append(revision)
    return rows, revisions


@lru_cache(maxsize=1)
def _thread_statement() -> Select:
    """The essay's comments with their authors' names and roles; built once, with parameters: every essay page
    reads it, and building it cost more than running it."""
    return (
        select(Comment, User.display_name, Enrollment.course_name, Enrollment.role, Enrollment.id,
               Enrollment.comment_suspended)
        .join(User, User.id == Comment.author_id)
        .outerjoin(Enrollment, and_(Enrollment.user_id == Comment.author_id,
                                    Enrollment.course_id == bindparam("course_id")))
        .where(Comment.post_id == bindparam("post_id"))
        .order_by(Comment.created_at, Comment.id)
    )


def _view(row, viewer_id, staff, course, now, revisions) -> CommentView:
    comment, display_name, course_name, role, enrollment_id, suspended = row
    name = course_name or display_name
    state = "removed" if comment.deleted_at is not None else comment.status
    return CommentView(
        id=comment.id,
        parent_id=comment.parent_id,
        author_id=comment.author_id,
        author_name=name,
        initials=initials_of(name),
        avatar_hue=comment.author_id % AVATAR_HUES,
        role=role if role in ("instructor", "ta") else None,
        enrollment_id=enrollment_id,
        author_suspended=bool(suspended),
        created_at=comment.created_at,
        edited_at=comment.edited_at,
        body_html=comment.body_html if state != "removed" else "",
        state=state,
        hidden_reason=comment.hidden_reason if staff else None,
        is_own=viewer_id is not None and comment.author_id == viewer_id,
        can_edit=can_still_edit(comment, course, viewer_id, now),
        revisions=revisions.get(comment.id, []) if staff else [],
    )


def _tree(views: list[CommentView], shown: set[int], staff: bool = False) -> list[CommentView]:
    """Nest replies under their parents, oldest first; replies below level 5 are shown at level 5, in order,
    each saying whom it answers.

    A comment the reader may not see stays as "This comment was removed." only when a reply they can
    see hangs below it; otherwise it disappears. Staff also see removed comments, with their versions.
    Built with loops, not recursion: a chain of replies of any length is a page, never a crash.
    """
    by_id = {v.id: v for v in views}
    kids: dict[int | None, list[CommentView]] = {}
    for v in views:
        parent = v.parent_id if v.parent_id in by_id else None
        kids.setdefault(parent, []).append(v)
    _prune(kids, shown, staff)
    return _nest(kids)


def _top_down(kids: dict[int | None, list[CommentView]]) -> list[CommentView]:
    """Every comment reachable from the top level, each after its parent (a parent loop is reachable from none)."""
    order: list[CommentView] = []
    stack = list(reversed(kids.get(None, [])))
    while stack:
        v = stack.pop()
        order.append(v)
        stack.extend(reversed(kids.get(v.id, [])))
    return order


def _prune(kids: dict[int | None, list[CommentView]], shown: set[int], staff: bool) -> None:
    """Drop from `kids` the comments the reader may not see and that no seen reply hangs below, deepest first;
    the ones kept for their replies become "removed" placeholders."""
    kept: set[int] = set()
    for v in reversed(_top_down(kids)):
        replies = [k for k in kids.get(v.id, []) if k.id in kept]
        kids[v.id] = replies
        if v.id in shown:
            kept.add(v.id)
        elif replies or (staff and v.state == "removed"):
            v.state, v.body_html = "removed", ""
            kept.add(v.id)
    kids[None] = [v for v in kids.get(None, []) if v.id in kept]


def _nest(kids: dict[int | None, list[CommentView]]) -> list[CommentView]:
    """The top-level comments with their replies as children, MAX_DEPTH levels at most: a reply to a comment at
    the last level follows it in the same list, marked with whom it answers."""
    top: list[CommentView] = []
    stack: list[tuple[CommentView, CommentView | None, list[CommentView]]] = [
        (v, None, top) for v in reversed(kids.get(None, []))]
    while stack:
        v, parent, siblings = stack.pop()
        v.depth = 1 if parent is None else min(parent.depth + 1, MAX_DEPTH)
        if parent is not None and parent.depth == MAX_DEPTH:
            v.in_reply_to_id = parent.id
            v.in_reply_to_name = parent.author_name if parent.state != "removed" else None
        siblings.append(v)
        replies_go_to = v.children if v.depth < MAX_DEPTH else siblings
        stack.extend((k, v, replies_go_to) for k in reversed(kids.get(v.id, [])))
    return top


def _heading(count: int, title: str) -> str | None:
    if count == 0:
        return None
    if count == 1:
        return f"One thought on “{title}”"
    return f"{count} thoughts on “{title}”"


def build_thread_context(post: Post, viewer, form: FormState, now: datetime | None = None, page: int = 1,
                         comment_id: int | None = None) -> dict:
    """What the essay page needs to show the comment thread and the reply form: the page of the thread holding
    `comment_id`, else the comment being answered, else page `page` (the last for a number past it)."""
    now = now or utcnow()
    course = post.course
    staff = can_moderate(viewer, course)
    viewer_id = viewer.id if viewer.is_authenticated else None
    enrollment = membership(viewer, course)
    rows, revisions = _load(post, staff)
    views = [_view(row, viewer_id, staff, course, now, revisions) for row in rows]
    shown = {row[0].id for row in rows if comment_visible_to(row[0], viewer_id, staff)}
    thread = _tree(views, shown, staff)
    reply_to = next((v for v in views if v.id == form.parent_id and v.id in shown and v.state == "visible"), None)
    if reply_to is None:
        form.parent_id = None
    count = max(1, -(-len(thread) // COMMENT_THREADS_PER_PAGE))
    number = min(_page_holding(thread, comment_id) or _page_holding(thread, form.parent_id) or page, count)
    start = (number - 1) * COMMENT_THREADS_PER_PAGE
    return {
        "comment_thread": thread[start:start + COMMENT_THREADS_PER_PAGE],
        "comment_pages": CommentPages(number, count),
        "comment_count": len(shown),
        "comments_heading": _heading(len(shown), post.title),
        "comment_form_state": form,
        "comment_typed_words": count_text_words(form.body),
        "reply_to": reply_to,
        "comment_block": _block_reason(post, viewer, enrollment, now),
        "comment_enrollment": enrollment,
        "comment_staff": staff,
        "comment_hint": _hint(post, viewer, enrollment, now),
        "comment_min_words": post.assignment.min_comment_words if post.assignment_id and post.assignment else 0,
    }


def _block_reason(post: Post, viewer, enrollment: Enrollment | None, now: datetime) -> str | None:
    """None when the reader may comment; else "login", "not_member", "suspended" or a closed-reason text."""
    if not viewer.is_authenticated:
        return "login"
    if enrollment is None:
        return "not_member"
    if enrollment.comment_suspended:
        return "suspended"
    return closed_reason(post, now)


def _hint(post: Post, viewer, enrollment: Enrollment | None, now: datetime) -> Hint | None:
    if enrollment is None or enrollment.role != "student" or post.assignment_id is None:
        return None
    from coursesite.participation.hint import hint_for

    return hint_for(post, viewer.id, now)
