"""Where each current student stands, in SQL: what the dashboard sorts, counts and lists for a whole class.

Per (assignment, student) it works out what participation/deadline_rules.py's `essay_status` decides from the student's
own dates (section, extension, accommodation, grace period, join date, excusal) and the first published essay,
and what the matrix cell counts of it (dashboard/matrix.py): an essay on time, an overdue one, the comments
owed by now, and whether the student is behind on comments before their deadline. The class is then summed per
student in the same statement; only the pairs someone is behind on come back one by one.
tests/functional/participation/test_participation_engine.py holds these equal to the Python rules.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, case, func, literal, null, or_, select, union_all
from sqlalchemy.orm import aliased

from coursesite.extensions import db
from coursesite.models import Assignment, Comment, Enrollment, Excusal, Post
from coursesite.models.types import UTCDateTime
from coursesite.participation.counts import Ids, counts_statement
from coursesite.participation.deadlines import DeadlineJoins
from coursesite.participation.sqltime import plus_minutes, without_jit
from coursesite.participation.versions import kept


@dataclass(frozen=True)
class Totals:
    """A student's row total (essays on time, comments done of those owed), overdue essays and comments missing
    past their deadline. The comments are None where they were not counted (`class_standing(...,
    comment_totals=False)`)."""

    essays_on_time: int = 0
    comments_done: int | None = 0
    overdue: int = 0
    comments_missing: int | None = 0


NO_TOTALS = Totals()


@dataclass(frozen=True)
class BehindPair:
    """A student short of comments for an assignment whose comment deadline has not come yet."""

    student_id: int
    assignment_id: int
    done: int
    required: int
    deadline: datetime


@dataclass(frozen=True)
class Standing:
    totals: dict[int, Totals]
    behind: list[BehindPair]
    # The first moment at or after the one counted for at which this may change with nothing written: a
    # current student's essay deadline past its grace period or comment deadline, an assignment's essay
    # deadline, a scheduled essay coming out. None: no such moment.
    next_turn: datetime | None = None


def _flag(condition: ColumnElement) -> ColumnElement:
    """1 or 0, never NULL: flags are summed and negated safely."""
    return case((condition, 1), else_=0)


def _first_essays(course_id: int):
    """(assignment, author) → the first publication time and whether a draft exists, trashed essays left out."""
    published = and_(Post.status == "published", Post.published_at.is_not(None))
    return (
        select(Post.assignment_id, Post.author_id,
               func.min(case((published, Post.published_at), else_=null())).label("published_at"),
               func.max(_flag(Post.status == "draft")).label("has_draft"))
        # By the course's assignment ids: the posts' (assignment, author, ...) index answers it alone, in order.
        .where(Post.assignment_id.in_(select(Assignment.id).where(Assignment.course_id == course_id)),
               Post.deleted_at.is_(None))
        .group_by(Post.assignment_id, Post.author_id)
        .subquery()
    )


def _current_students(query, joins: DeadlineJoins):
    """`query` over assignments joined to their course's current students and those students' own dates."""
    e, s, x = joins.enrollment, joins.section, joins.extension
    return (
        query.join(e, and_(e.course_id == Assignment.course_id, e.role == "student", e.ended_at.is_(None)))
        .outerjoin(s, and_(s.assignment_id == Assignment.id, s.section_id == e.section_id))
        .outerjoin(x, and_(x.assignment_id == Assignment.id, x.user_id == e.user_id))
    )


def _writing_closed(at: ColumnElement) -> ColumnElement:
    """Essays are no longer being written: peers' essays are there to comment on."""
    return or_(Assignment.post_due_at.is_(None), Assignment.post_due_at <= at)


def open_for_comments(course_id: int, now: datetime) -> list[int]:
    """The assignments someone may be behind on now: writing closed and a current student's own comment
    deadline still ahead. Usually one or two, so their comments are all that is counted for the lists; read
    first, as ids, so the count starts from their essays."""
    return list(db.session.scalars(_open_for_comments_statement(), {"course_id": course_id, "now": now}))


@lru_cache(maxsize=1)
def _open_for_comments_statement():
    at = bindparam("now", type_=UTCDateTime())
    joins = DeadlineJoins.fresh()
    return _current_students(select(Assignment.id).distinct(), joins).where(
        Assignment.course_id == bindparam("course_id"), _writing_closed(at), joins.comments_due(Assignment) > at)


def cells_statement(course_id: int, now: datetime | BindParameter, student_ids: Collection[int] | None = None,
                    among: Ids | None = None):
    """One row per (assignment, current student): the flags the dashboard's cell derives from its essay state.

    With `among` (`open_for_comments`), comments are counted only for those assignments: `behind` stays exact
    and `owed_done` is 0.
    """
    comment_totals = among is None
    at = now if isinstance(now, BindParameter) else literal(now, UTCDateTime())
    joins = DeadlineJoins.fresh()
    e = joins.enrollment
    essays = _first_essays(course_id)
    counted = counts_statement(course_id, now=now, among=among).subquery()
    due = joins.post_due(Assignment)
    comments_due = joins.comments_due(Assignment)
    past_grace = and_(due.is_not(None), plus_minutes(due, func.coalesce(Assignment.grace_minutes, 0)) < at)
    joined_after = and_(due.is_not(None), e.joined_at.is_not(None), e.joined_at > due)
    excused = Excusal.id.is_not(None)
    published = essays.c.published_at
    unpublished_past_due = and_(~excused, published.is_(None), past_grace)
    on_time = and_(~excused, published.is_not(None), published <= at,
                   or_(joined_after, due.is_(None),
                       published <= plus_minutes(due, func.coalesce(Assignment.grace_minutes, 0))))
    not_required = and_(unpublished_past_due, joined_after)
    owes = and_(comments_due.is_not(None), comments_due <= at, ~excused, _flag(not_required) == 0)
    required = Assignment.required_comments
    done = case((func.coalesce(counted.c.on_time, 0) < required, func.coalesce(counted.c.on_time, 0)),
                else_=required)
    behind = and_(required > 0, done < required, comments_due > at, ~excused, _writing_closed(at))
    owed_done = case((owes, done), else_=0) if comment_totals else literal(0)
    owed_missing = case((owes, required - done), else_=0) if comment_totals else literal(0)
    query = (
        _current_students(select(
            Assignment.id.label("assignment_id"), e.user_id.label("student_id"),
            _flag(on_time).label("on_time"),
            _flag(and_(unpublished_past_due, _flag(joined_after) == 0)).label("overdue"),
            owed_done.label("owed_done"), owed_missing.label("owed_missing"),
            done.label("done"), required.label("required"), comments_due.label("comments_due"),
            _flag(behind).label("behind"),
            # The moments compared with now above, for when the row may change with nothing written.
            plus_minutes(due, func.coalesce(Assignment.grace_minutes, 0)).label("grace_ends"),
            Assignment.post_due_at.label("writing_closes")), joins)
        .outerjoin(Excusal, and_(Excusal.assignment_id == Assignment.id, Excusal.user_id == e.user_id))
        .outerjoin(essays, and_(essays.c.assignment_id == Assignment.id, essays.c.author_id == e.user_id))
        .outerjoin(counted, and_(counted.c.assignment_id == Assignment.id, counted.c.student_id == e.user_id))
        .where(Assignment.course_id == course_id)
    )
    if student_ids is not None:
        query = query.where(e.user_id.in_(list(student_ids)))
    return query


def next_turn(course_id: int, now: datetime) -> datetime | None:
    """When the class's standing and its essays short of comments may next change with nothing written."""
    return class_standing(course_id, now, comment_totals=False).next_turn


def class_standing(course_id: int, now: datetime, comment_totals: bool = True) -> Standing:
    """Every current student's totals, and the pairs they are behind on: one statement for any class size.

    Only sorting by the row totals needs every comment of the class counted; without `comment_totals` the
    totals' comments are None and only the assignments still open for comments are counted.
    """
    without_jit(db.session)
    among = None if comment_totals else open_for_comments(course_id, now)
    params = {"course_id": course_id, "now": now, "among": among}
    rows = db.session.execute(_standing_statement(comment_totals), params).all()
    return _read(rows, comment_totals)


@lru_cache(maxsize=2)
def _standing_statement(comment_totals: bool):
    """Built once, with parameters: building it (the cells' date arithmetic, the counting inside) cost a
    dashboard view as much as a medium class's counting."""
    among = None if comment_totals else bindparam("among", expanding=True)
    cells = cells_statement(bindparam("course_id"), bindparam("now", type_=UTCDateTime()), among=among).cte("cells")
    behind = select(cells.c.student_id, cells.c.assignment_id, cells.c.done, cells.c.required,
                    cells.c.comments_due, literal(1), literal(0)).where(cells.c.behind == 1)
    totals = select(cells.c.student_id, null(), func.sum(cells.c.on_time), func.sum(cells.c.owed_done),
                    literal(None, UTCDateTime()), func.sum(cells.c.overdue), func.sum(cells.c.owed_missing)
                    ).group_by(cells.c.student_id)
    at = bindparam("now", type_=UTCDateTime())
    # Essays short of comments count the live ones: a scheduled essay coming out changes them. The course's
    # (course, status, published_at) index finds it.
    scheduled = select(func.min(Post.published_at)).where(
        Post.course_id == bindparam("course_id"), Post.status == "published", Post.published_at >= at)
    moments = [select(func.min(case((moment >= at, moment), else_=null()))) for moment in
               (cells.c.grace_ends, cells.c.comments_due, cells.c.writing_closes)]
    turns = [select(null(), null(), null(), null(), moment.scalar_subquery(), null(), null())
             for moment in (*moments, scheduled)]
    # The behind pairs come first so the deadline column keeps its date type; totals have no assignment, and
    # the moments neither a student nor an assignment.
    return union_all(behind, totals, *turns)


def _read(rows, comment_totals: bool) -> Standing:
    totals, pairs, moments = {}, [], []
    for student_id, assignment_id, a, b, deadline, overdue, missing in rows:
        if student_id is None:
            moments.append(deadline)
        elif assignment_id is None:
            totals[student_id] = Totals(int(a or 0), int(b or 0) if comment_totals else None, int(overdue or 0),
                                        int(missing or 0) if comment_totals else None)
        else:
            pairs.append(BehindPair(student_id, assignment_id, int(a), int(b), deadline))
    return Standing(totals, pairs, min((moment for moment in moments if moment is not None), default=None))


@dataclass(frozen=True)
class ClassPicture:
    """What the dashboard counts over the whole class: where each student stands, and the essays short of
    comments."""

    standing: Standing
    short_essays: list[ShortEssay]


def class_picture(course_id: int, now: datetime, comment_totals: bool = True) -> ClassPicture:
    """Counted once, then kept in Flask-Caching until something it is counted from changes (versions.py)."""
    def count() -> tuple[ClassPicture, datetime | None]:
        standing = class_standing(course_id, now, comment_totals)
        return ClassPicture(standing, essays_short_of_comments(course_id, now)), standing.next_turn

    return kept(course_id, f"class-picture:{comment_totals}", now, count)


@dataclass(frozen=True)
class ShortEssay:
    """A student's live essay with fewer shown comments than its assignment asks for."""

    post_id: int
    assignment_id: int
    author_id: int
    title: str
    slug: str
    comments: int
    wanted: int


def _shown_comments(course_id: BindParameter, dialect: str):
    """Each essay's shown comments (of anyone): the column, and the grouped counts to outer-join, if any."""
    shown_on_post = (Comment.status == "visible", Comment.deleted_at.is_(None))
    if dialect == "sqlite":
        # Essay by essay through the comments' post index: SQLite groups the whole course's comments slower.
        return select(func.count(Comment.id)).where(Comment.post_id == Post.id, *shown_on_post).scalar_subquery(), None
    # PostgreSQL the other way round: one grouped pass over the course's comments.
    grouped = (select(Comment.post_id, func.count().label("n")).join(Post, Post.id == Comment.post_id)
               .where(Post.course_id == course_id, *shown_on_post).group_by(Comment.post_id).subquery())
    return func.coalesce(grouped.c.n, 0), grouped


def essays_short_of_comments(course_id: int, now: datetime) -> list[ShortEssay]:
    """Current students' live essays short of comments (shown comments of anyone counted), in one statement."""
    statement = _short_statement(db.session.get_bind().dialect.name)
    return [ShortEssay(*row) for row in db.session.execute(statement, {"course_id": course_id, "now": now})]


@lru_cache(maxsize=2)
def _short_statement(dialect: str):
    """Built once per database, with parameters."""
    course_id = bindparam("course_id")
    shown, grouped = _shown_comments(course_id, dialect)
    # Essays by their assignment's course and read from the (assignment, author, ...) index alone; titles and
    # addresses only of the essays short of comments (on SQLite an essay's row is long: its body is in it).
    live = select(Post.id.label("post_id"), Post.assignment_id, Post.author_id, shown.label("comments"),
                  Assignment.required_comments.label("wanted")).join(
        Assignment, Assignment.id == Post.assignment_id).join(
        Enrollment, and_(Enrollment.user_id == Post.author_id, Enrollment.course_id == Assignment.course_id,
                         Enrollment.role == "student", Enrollment.ended_at.is_(None)))
    if grouped is not None:
        live = live.outerjoin(grouped, grouped.c.post_id == Post.id)
    live = live.where(
        Assignment.course_id == course_id, Assignment.required_comments > 0, Post.status == "published",
        Post.published_at <= bindparam("now", type_=UTCDateTime()), Post.deleted_at.is_(None),
    ).subquery()
    essay = aliased(Post)
    return (select(live.c.post_id, live.c.assignment_id, live.c.author_id, essay.title, essay.slug, live.c.comments,
                   live.c.wanted)
            .join(essay, essay.id == live.c.post_id).where(live.c.comments < live.c.wanted))
