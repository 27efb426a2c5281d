"""Essays: what is visible, and the facts a list of essays shows (author names, comment counts)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import ScalarSelect, Select, and_, bindparam, func, or_, select, union
from sqlalchemy.orm import selectinload

from coursesite.essays.comment_counts import shown_comments, visible_comment_counts
from coursesite.extensions import db
from coursesite.models import Assignment, Comment, Course, Enrollment, Post, PostTerm, Term, User, utcnow
from coursesite.models.post import searched_text
from coursesite.text.words import html_to_text

SEARCH_MAX_CHARS = 200
# An imported WordPress blog can bring a hundred categories or more; the side column shows this many, the most
# used, and the whole list folded away: about one phone screen of links before the reader reaches the feed link.
SIDEBAR_CATEGORIES = 12


def visible_posts(course: Course, now: datetime | None = None) -> Select:
    """The one rule for what the blog, feeds, search, navigation and exports show:
    published, due (a scheduled essay appears once its time has come), and not in the trash."""
    return select(Post).where(*_visible_in(course.id, now or utcnow()))


def _visible_in(course_id, now) -> tuple:
    """visible_posts' conditions, for values or bound parameters."""
    return (Post.course_id == course_id, Post.status == "published", Post.published_at <= now,
            Post.deleted_at.is_(None))


# The blog's order: newest first, with the id breaking ties so pages never repeat or skip an essay.
NEWEST_FIRST = (Post.published_at.desc(), Post.id.desc())


def newest_first(query: Select) -> Select:
    """`query`'s essays in the blog's order, with what a list of them shows."""
    return query.options(selectinload(Post.author), selectinload(Post.assignment), selectinload(Post.terms)).order_by(
        *NEWEST_FIRST)


def by_author(query: Select, user_id: int) -> Select:
    return query.where(Post.author_id == user_id)


def by_assignment(query: Select, assignment_id: int) -> Select:
    return query.where(Post.assignment_id == assignment_id)


def by_term(query: Select, term: Term) -> Select:
    return query.where(Post.id.in_(select(PostTerm.post_id).where(PostTerm.term_id == term.id)))


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_words(text: str) -> list[str]:
    return text[:SEARCH_MAX_CHARS].split()[:10]


def _holds_words(column, words: list[str]):
    return and_(*(column.ilike(_like_pattern(word), escape="\\") for word in words))


def _matching_comments(words: list[str]):
    return and_(shown_comments(), _holds_words(Comment.body, words))


SEARCH_MOST_LISTED = 200
SEARCH_NEWEST_FIRST = 1000
# PostgreSQL's trigram indexes find a word by its runs of three letters or digits; a word without one is in none.
_INDEXED_RUN = re.compile(r"[^\W_]{3}")


def _indexed(word: str) -> bool:
    """Whether an index can find `word`: it holds three letters or digits in a row."""
    return _INDEXED_RUN.search(word) is not None


@dataclass(frozen=True)
class Found:
    """The essays a search lists: ids, newest first; `more` when more than SEARCH_MOST_LISTED essays match
    (the newest of them are listed); `too_short` the words no index finds, which kept the search to the newest
    SEARCH_NEWEST_FIRST essays of a course that has older ones."""

    ids: list[int]
    more: bool = False
    too_short: tuple[str, ...] = ()


def found_essays(course: Course, text: str, now: datetime | None = None) -> Found:
    """Visible essays where every word of `text` is in the title or body, or where one comment anyone may read
    holds them all (case-insensitive, on SQLite and PostgreSQL): the newest SEARCH_MOST_LISTED.

    What a search costs is reading texts, and no statement here counts every match: with a common word that
    alone read every essay and comment (5-10 s at 3,000 students). A word in many essays is found among the
    newest SEARCH_NEWEST_FIRST, read first; when they hold enough matches, no other text is read. Otherwise
    every essay is searched, from PostgreSQL's trigram indexes (models.types.text_search_index) for the few
    texts holding the words; unless a word is one no index finds ("I", "zq", "U.S."): reading every text for
    it took 2-5 s at 3,000 students, so such a search stays among the newest essays."""
    words = search_words(text)
    if not words:
        return Found([])
    visible = _visible_in(course.id, now or utcnow())
    ids = _newest_holding(visible, words)
    if len(ids) > SEARCH_MOST_LISTED:
        return Found(ids[:SEARCH_MOST_LISTED], more=True)
    if not _has_older(visible):  # the newest were every essay
        return Found(ids)
    too_short = tuple(word for word in words if not _indexed(word))
    if too_short:
        return Found(ids, too_short=too_short)
    ids = _all_holding(visible, words)
    return Found(ids[:SEARCH_MOST_LISTED], more=len(ids) > SEARCH_MOST_LISTED)


def _has_older(visible: tuple) -> bool:
    """Whether the course has visible essays beyond the newest SEARCH_NEWEST_FIRST (an index walk of as many)."""
    older = select(Post.id).where(*visible).order_by(*NEWEST_FIRST).offset(SEARCH_NEWEST_FIRST).limit(1)
    return db.session.scalar(older) is not None


def _newest_first_of(parts: list[Select]) -> list[int]:
    """The ids of (id, published_at) rows from `parts`, once each, newest first, one more than are listed."""
    both = union(*parts).subquery()
    return list(db.session.scalars(select(both.c.id).order_by(both.c.published_at.desc(), both.c.id.desc())
                                   .limit(SEARCH_MOST_LISTED + 1)))


def _newest_holding(visible: tuple, words: list[str]) -> list[int]:
    """Matches among the newest essays, read from them and their comments set apart (MATERIALIZED): an index
    would read every text holding a common word instead."""
    recent = (select(Post.id, Post.published_at, Post.title, Post.body).where(*visible)
              .order_by(*NEWEST_FIRST).limit(SEARCH_NEWEST_FIRST)
              .cte("recent_essays").prefix_with("MATERIALIZED"))
    their_comments = (select(Comment.post_id, Comment.body).where(Comment.post_id.in_(select(recent.c.id)),
                                                                  shown_comments())
                      .cte("recent_comments").prefix_with("MATERIALIZED"))
    commented = select(their_comments.c.post_id).where(_holds_words(their_comments.c.body, words))
    in_essay = _holds_words(searched_text(recent.c.title, recent.c.body), words)
    return _newest_first_of([
        select(recent.c.id, recent.c.published_at).where(in_essay),
        select(recent.c.id, recent.c.published_at).where(recent.c.id.in_(commented)),
    ])


def _all_holding(visible: tuple, words: list[str]) -> list[int]:
    """Matches among all the course's essays: each part to the planner with its limit. On PostgreSQL the essays
    holding the words are found first, from the trigram index, apart (MATERIALIZED): asked for the newest of
    them, its planner walked every essay newest first, guessing one in 25 holds a word (its fixed guess for a
    pattern), and a word in none read all of them (1.8 s at 3,000 students; from the index, under 1 ms)."""
    in_essay = _holds_words(searched_text(Post.title, Post.body), words)
    in_comments = select(Comment.id).where(Comment.post_id == Post.id, _matching_comments(words)).exists()
    if db.session.get_bind().dialect.name == "postgresql":
        holding = select(Post.id, Post.published_at).where(*visible, in_essay).cte("holding").prefix_with(
            "MATERIALIZED")
        essays = (select(holding.c.id, holding.c.published_at)
                  .order_by(holding.c.published_at.desc(), holding.c.id.desc()))
    else:  # no index: the newest first, until enough are found
        essays = select(Post.id, Post.published_at).where(*visible, in_essay).order_by(*NEWEST_FIRST)
    commented = select(Post.id, Post.published_at).where(*visible, in_comments).order_by(*NEWEST_FIRST)
    return _newest_first_of([part.limit(SEARCH_MOST_LISTED + 1).subquery().select() for part in (essays, commented)])


@dataclass(frozen=True)
class SearchHit:
    """Where a search found an essay: its text around the first word, and the comment it was in, if any; its
    title in parts, each a word searched for or not, when the title holds one."""

    before: str = ""
    found: str = ""
    after: str = ""
    comment_id: int | None = None
    commenter: str | None = None
    title: tuple[tuple[str, bool], ...] = ()


SNIPPET_CHARS = 80


def _haystack(text: str) -> tuple[str, Callable[[str], str]]:
    """`text` to look for words in, any case, and how to fold a word for it. casefold can change a text's length
    (ß → ss); then the positions found would be off, so that text is searched as is."""
    folded = text.casefold()
    return (folded, str.casefold) if len(folded) == len(text) else (text, str)


def marked(text: str, words: list[str]) -> tuple[tuple[str, bool], ...]:
    """`text` in parts, each one of `words` (any case) or not; () when it holds none."""
    haystack, fold = _haystack(text)
    spans = []
    for word in filter(None, map(fold, words)):
        at = haystack.find(word)
        while at >= 0:
            spans.append((at, at + len(word)))
            at = haystack.find(word, at + 1)
    parts, done = [], 0
    for start, end in sorted(spans):
        if end <= done:
            continue
        start = max(start, done)
        parts += [(text[done:start], False)] if start > done else []
        parts.append((text[start:end], True))
        done = end
    return (*parts, (text[done:], False)) if parts else ()


def snippet(text: str, words: list[str]) -> tuple[str, str, str] | None:
    text = " ".join(text.split())
    haystack, fold = _haystack(text)
    for word in words:
        at = haystack.find(fold(word))
        if at >= 0:
            start = max(0, at - SNIPPET_CHARS)
            end = min(len(text), at + len(word) + SNIPPET_CHARS)
            # Whole words only at the cut ends.
            start = text.find(" ", start, at) + 1 if start else 0
            end = max(text.rfind(" ", at + len(word), end), at + len(word)) if end < len(text) else end
            return (("\u2026" if start else "") + text[start:at], text[at:at + len(word)],
                    text[at + len(word):end] + ("\u2026" if end < len(text) else ""))
    return None


def search_hits(course: Course, posts: list[Post], text: str) -> dict[int, SearchHit]:
    """For each essay found, where the match is: in its text, else in the first comment holding every word."""
    words = search_words(text)
    hits: dict[int, SearchHit] = {}
    titles = {post.id: marked(post.title, words) for post in posts}
    for post in posts:
        found = snippet(html_to_text(post.body_html or ""), words)
        if found and all(word.casefold() in (post.title + " " + post.body).casefold() for word in words):
            hits[post.id] = SearchHit(*found, title=titles[post.id])
    rest = [post.id for post in posts if post.id not in hits]
    if rest:
        comments = db.session.scalars(
            select(Comment).options(selectinload(Comment.author))
            .where(Comment.post_id.in_(rest), _matching_comments(words)).order_by(Comment.created_at, Comment.id)
        ).all()
        names = author_names(course, (comment.author for comment in comments))
        for comment in comments:
            found = snippet(html_to_text(comment.body_html or comment.body), words)
            if comment.post_id not in hits and found:
                hits[comment.post_id] = SearchHit(*found, comment_id=comment.id, commenter=names[comment.author_id],
                                                  title=titles[comment.post_id])
    # Found by its title alone: the title's words are marked, above the essay's opening.
    return hits | {post: SearchHit(title=title) for post, title in titles.items() if title and post not in hits}


@dataclass
class ListFacts:
    """What a list of essays shows beside each one, fetched in a fixed number of queries."""

    names: dict[int, str] = field(default_factory=dict)
    comment_counts: dict[int, int] = field(default_factory=dict)

    def name(self, user_id: int) -> str:
        return self.names.get(user_id, "A former member")

    def comments(self, post_id: int) -> int:
        return self.comment_counts.get(post_id, 0)


def author_names(course: Course, users: Iterable[User]) -> dict[int, str]:
    """Each author's name in this course: the course display name (pseudonym) when set, else the account's."""
    users = {user.id: user for user in users}
    if not users:
        return {}
    pseudonyms = dict(db.session.execute(_pseudonyms(), {"course_id": course.id, "user_ids": list(users)}).all())
    return {uid: (pseudonyms.get(uid) or "").strip() or user.display_name for uid, user in users.items()}


@lru_cache(maxsize=1)
def _pseudonyms() -> Select:
    """Built once, with parameters: every essay page and every listing names its authors."""
    return select(Enrollment.user_id, Enrollment.course_name).where(
        Enrollment.course_id == bindparam("course_id"), Enrollment.user_id.in_(bindparam("user_ids", expanding=True)),
        Enrollment.course_name.is_not(None))


def list_facts(course: Course, posts: list[Post]) -> ListFacts:
    return ListFacts(
        names=author_names(course, (post.author for post in posts)),
        comment_counts=visible_comment_counts(post.id for post in posts),
    )


def find_post(course: Course, slug: str, *options) -> Post | None:
    """The course's essay by its slug; `options` are loader options: its author with it, its text left unread..."""
    statement = _post_by_slug().options(*options) if options else _post_by_slug()
    return db.session.scalar(statement, {"course_id": course.id, "slug": slug})


@lru_cache(maxsize=1)
def _post_by_slug() -> Select:
    """Built once, with parameters: every essay page runs it, and building it cost more than running it."""
    return select(Post).where(Post.course_id == bindparam("course_id"), Post.slug == bindparam("slug"))


def course_post(course: Course, post_id: int) -> Post | None:
    post = db.session.get(Post, post_id)
    return post if post is not None and post.course_id == course.id else None


@lru_cache(maxsize=1)
def _neighbour_statements() -> tuple[Select, Select]:
    """(the essay just before, the one just after), built once with the parameters of `neighbour_params`: on
    every essay page, building them cost more than running them. Each side is bounded by the essay's own time,
    so the index walk starts at the essay and stops at the first row; with the ties as an OR only, the database
    would read every essay between it and now (the whole course for an early essay)."""
    course_id, at, post_id, now = (bindparam(name) for name in ("course_id", "at", "post_id", "now"))
    # Anything published by `at` is visible now too, the essay itself being live.
    earlier = (select(Post).where(*_visible_in(course_id, at), or_(Post.published_at < at, Post.id < post_id))
               .order_by(*NEWEST_FIRST).limit(1))
    later = (select(Post).where(*_visible_in(course_id, now), Post.published_at >= at,
                                or_(Post.published_at > at, Post.id > post_id))
             .order_by(Post.published_at.asc(), Post.id.asc()).limit(1))
    return earlier, later


def neighbour_params(post: Post, now: datetime) -> dict:
    return {"course_id": post.course_id, "at": post.published_at, "post_id": post.id, "now": now}


def neighbours(post: Post, now: datetime | None = None) -> tuple[Post | None, Post | None]:
    """(the essay published just before, the one just after) among visible essays; none for a hidden one."""
    now = now or utcnow()
    if not post.is_live(now):
        return None, None
    earlier, later = _neighbour_statements()
    params = neighbour_params(post, now)
    return db.session.scalar(earlier, params), db.session.scalar(later, params)


def neighbour_ids() -> tuple[ScalarSelect, ScalarSelect]:
    """The ids of a live essay's neighbours as scalar subqueries, to be read with other facts in one statement
    run with `neighbour_params`."""
    earlier, later = _neighbour_statements()
    return earlier.with_only_columns(Post.id).scalar_subquery(), later.with_only_columns(Post.id).scalar_subquery()


def course_assignment(course: Course, assignment_id: int) -> Assignment | None:
    assignment = db.session.get(Assignment, assignment_id)
    return assignment if assignment is not None and assignment.course_id == course.id else None


def course_author(course: Course, user_id: int) -> User | None:
    """A person who is or was in the course, or who wrote in it (imported authors have no enrollment)."""
    user = db.session.get(User, user_id)
    if user is None:
        return None
    enrolled = db.session.scalar(
        select(Enrollment.id).where(Enrollment.course_id == course.id, Enrollment.user_id == user_id)
    )
    wrote = enrolled or db.session.scalar(
        select(Post.id).where(Post.course_id == course.id, Post.author_id == user_id).limit(1)
    )
    return user if wrote else None


def find_term(course: Course, kind: str, slug: str) -> Term | None:
    return db.session.scalar(select(Term).where(Term.course_id == course.id, Term.kind == kind, Term.slug == slug))


@dataclass(frozen=True)
class CategoryUse:
    """A category in the blog's side column, with how many of the essays shown are in it."""

    name: str
    slug: str
    essays: int


def most_used(categories: list[CategoryUse], limit: int = SIDEBAR_CATEGORIES) -> list[CategoryUse]:
    """The `limit` categories with the most essays, ties by name; [] when all of them fit."""
    if len(categories) <= limit:
        return []
    return sorted(categories, key=lambda c: (-c.essays, c.name, c.slug))[:limit]


def sidebar(course: Course, now: datetime | None = None) -> dict:
    """The blog's side column: assignments, and categories (by name, and the most used) that have visible essays."""
    visible_ids = visible_posts(course, now).with_only_columns(Post.id)
    assignments = db.session.scalars(
        select(Assignment)
        .where(Assignment.course_id == course.id, Assignment.id.in_(visible_ids.with_only_columns(Post.assignment_id)))
        .order_by(Assignment.post_due_at.asc().nulls_last(), Assignment.title)
    ).all()
    rows = db.session.execute(
        select(Term.name, Term.slug, func.count(PostTerm.post_id))
        .join(PostTerm, PostTerm.term_id == Term.id)
        .where(Term.course_id == course.id, Term.kind == "category", PostTerm.post_id.in_(visible_ids))
        .group_by(Term.id, Term.name, Term.slug)
        .order_by(Term.name)
    ).all()
    categories = [CategoryUse(name, slug, essays) for name, slug, essays in rows]
    return {"assignments": assignments, "categories": categories, "top_categories": most_used(categories)}
