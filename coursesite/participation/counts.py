"""The participation engine: qualifying comments per (assignment, student), on time and late, in one statement.

It decides exactly what participation/rules.py decides (tests/unit/test_participation_engine.py holds
the two equal): a comment counts for assignment A when it is on a published essay of A by another
student, is visible and not deleted, has at least M words (in assigned mode: on an essay given to its
author), and is on time when it reached M words by the author's own comment deadline (section, extension,
accommodation; in assigned mode an essay's own later date). At most N comments per essay count, on-time
ones first. Scoped to a course, optionally one assignment and some students.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import BindParameter, ColumnElement, Select, and_, bindparam, case, func, literal, null, or_, select
from sqlalchemy.orm import aliased

from coursesite.extensions import db
from coursesite.models import Assignment, Comment, CommentRevision, Enrollment, PeerAssignment, Post, utcnow
from coursesite.models.types import UTCDateTime
from coursesite.participation.deadlines import DeadlineJoins, Pair
from coursesite.participation.sqlplan import joined
from coursesite.participation.sqltime import without_jit

Ids = Collection[int] | BindParameter  # a list of ids, or a parameter standing for one in a statement built once


class Counts(NamedTuple):
    """A student's counted comments for an assignment (the per-essay cap applied). A tuple: a class's
    gradebook makes tens of thousands of them."""

    on_time: int = 0
    late: int = 0


NONE = Counts()


def _ids(ids: Ids) -> list[int] | BindParameter:
    return ids if isinstance(ids, BindParameter) else list(ids)


def _in_scope(course_id: int, assignment_id: int | None, student_ids: Ids | None,
              among: Ids | None = None) -> list:
    where = [Assignment.course_id == course_id, Post.assignment_id == Assignment.id]
    if assignment_id is not None:
        where.append(Assignment.id == assignment_id)
    if among is not None:
        # On the essays' assignment: their (assignment, author) index then finds the essays of these alone.
        where.append(Post.assignment_id.in_(_ids(among)))
    if student_ids is not None:
        # From these students' comments, then their essays, each through an index holding every column read
        # (ix_comments_author_participation, ix_posts_essay_facts): SQLite never reads the long comment and essay
        # rows (their bodies are in them), and the cost is the students', whatever the class size.
        where.append(Comment.author_id.in_(_ids(student_ids)))
    return where


def _from_comments(students_first: bool, with_revisions: bool = False):
    """comments (→ their revisions) → their essays → the essays' assignments. With `students_first` (some
    students' comments) in that order on SQLite too (participation/sqlplan.py): from those students' comments
    through their index, not from every essay of the class."""
    start = Comment
    if with_revisions:
        start = joined(Comment, CommentRevision, CommentRevision.comment_id == Comment.id, students_first)
    from_essays = joined(start, Post, Post.id == Comment.post_id, students_first)
    return joined(from_essays, Assignment, Assignment.id == Post.assignment_id, students_first)


def _reached(scope: list, students_first: bool):
    """Per edited comment: when it first had M words for good, and its last revision's time.

    A revision counts when it has M words and no shorter revision comes at or after it (counted backwards
    with a window), so cutting a comment and padding it again later does not keep the old time.
    """
    short = case((CommentRevision.word_count < Assignment.min_comment_words, 1), else_=0)
    shorter_after = func.sum(short).over(
        partition_by=CommentRevision.comment_id,
        order_by=(CommentRevision.created_at.desc(), CommentRevision.id.desc()),
        rows=(None, 0),
    )
    revisions = (
        select(CommentRevision.comment_id, CommentRevision.created_at, CommentRevision.word_count,
               Assignment.min_comment_words.label("m"), shorter_after.label("shorter_after"))
        .select_from(_from_comments(students_first, with_revisions=True))
        .where(*scope, Comment.edited_at.is_not(None))
        .subquery()
    )
    good = and_(revisions.c.word_count >= revisions.c.m, revisions.c.shorter_after == 0)
    return (
        select(revisions.c.comment_id,
               func.min(case((good, revisions.c.created_at), else_=null())).label("reached"),
               func.max(revisions.c.created_at).label("last_at"))
        .group_by(revisions.c.comment_id)
        .subquery()
    )


def _own_deadlines(course_id: int, assignment_id: int | None, student_ids: Ids | None,
                   among: Ids | None = None):
    """(assignment_id, student_id, due): the comment deadline of each enrolled person whose own dates may differ
    from the assignment's (a section date, an extension or extra time), worked out once per pair; everyone else
    has the assignment's date."""
    joins = DeadlineJoins.fresh()
    query = select(Assignment.id.label("assignment_id"), Enrollment.user_id.label("student_id"),
                   joins.comments_due(Assignment).label("due")).join(
        Enrollment, Enrollment.course_id == Assignment.course_id)
    query = joins.joined(query, Assignment, Enrollment.user_id, Assignment.course_id).where(
        Assignment.course_id == course_id,
        or_(joins.section.id.is_not(None), joins.extension.id.is_not(None), joins.enrollment.extra_minutes > 0))
    if assignment_id is not None:
        query = query.where(Assignment.id == assignment_id)
    if among is not None:
        query = query.where(Assignment.id.in_(_ids(among)))
    if student_ids is not None:
        query = query.where(Enrollment.user_id.in_(_ids(student_ids)))
    return query.subquery()


def judged_comments(course_id: int, assignment_id: int | None = None,
                    student_ids: Ids | None = None, now: datetime | BindParameter | None = None,
                    among: Ids | None = None) -> Select:
    """One row per qualifying comment: student, assignment, essay, and whether it was on time. `among` are the
    ids of the assignments to count (all of the course's without it)."""
    scope = _in_scope(course_id, assignment_id, student_ids, among)
    students_first = student_ids is not None
    reached_rows = _reached(scope, students_first)
    own_rows = _own_deadlines(course_id, assignment_id, student_ids, among)
    essay_author = aliased(Enrollment)
    given = aliased(PeerAssignment)
    reached = case(
        (Comment.edited_at.is_(None), Comment.created_at),
        else_=func.coalesce(reached_rows.c.reached, reached_rows.c.last_at, Comment.created_at),
    )
    # Someone without dates of their own, or no longer (or never) enrolled, has the assignment's own date.
    own = case((own_rows.c.student_id.is_(None), Assignment.comments_due_at), else_=own_rows.c.due)
    assigned = Assignment.peer_mode == "assigned"
    deadline = case(
        (and_(assigned, given.due_at.is_not(None), or_(own.is_(None), given.due_at > own)), given.due_at),
        else_=own,
    )
    on_time = or_(deadline.is_(None), reached <= deadline)
    return (
        select(Comment.author_id.label("student_id"), Assignment.id.label("assignment_id"),
               Post.id.label("post_id"), Assignment.comments_counted_per_essay.label("cap"),
               case((on_time, 1), else_=0).label("on_time"))
        .select_from(_from_comments(students_first))
        # By the assignment's course, which is the essay's: the essays' (assignment, author, ...) index then
        # answers for them without reading their rows.
        .join(essay_author, and_(essay_author.user_id == Post.author_id,
                                 essay_author.course_id == Assignment.course_id))
        .outerjoin(given, and_(given.assignment_id == Assignment.id, given.reviewer_id == Comment.author_id,
                               given.post_id == Post.id))
        .outerjoin(reached_rows, reached_rows.c.comment_id == Comment.id)
        .outerjoin(own_rows, and_(own_rows.c.assignment_id == Assignment.id,
                                  own_rows.c.student_id == Comment.author_id))
        .where(
            *scope,
            Post.author_id != Comment.author_id,
            essay_author.role == "student",
            Post.status == "published",
            Post.published_at <= (now if isinstance(now, BindParameter) else literal(now or utcnow(), UTCDateTime())),
            Comment.status == "visible",
            Comment.deleted_at.is_(None),
            # As a difference: PostgreSQL would otherwise probe every comment once per assignment by word count.
            Comment.word_count - Assignment.min_comment_words >= 0,
            or_(~assigned, given.id.is_not(None)),
        )
    )


def _judged_rows(judged: Select):
    """The judged comments as a table to group: on SQLite worked out on its own first, since merged into the
    grouping its planner reads essays through an index that lacks their status and date, and so reads every
    essay's long row."""
    if db.session.get_bind().dialect.name == "sqlite":
        return judged.cte("judged").prefix_with("MATERIALIZED")
    return judged.subquery()


def _least(a: ColumnElement, b: ColumnElement) -> ColumnElement:
    return case((a < b, a), else_=b)


def _capped_per_essay(judged) -> Select:
    """(student_id, assignment_id, post_id, on_time, late) per essay with the per-essay cap: on-time comments
    take an essay's share first, late ones what is left of it."""
    cap = case((judged.c.cap > 0, judged.c.cap), else_=0)
    per_essay = (
        select(judged.c.student_id, judged.c.assignment_id, judged.c.post_id, func.max(cap).label("cap"),
               func.sum(judged.c.on_time).label("on_time"), func.sum(1 - judged.c.on_time).label("late"))
        .group_by(judged.c.student_id, judged.c.assignment_id, judged.c.post_id)
        .subquery()
    )
    on_time = _least(per_essay.c.on_time, per_essay.c.cap)
    late = _least(per_essay.c.late, per_essay.c.cap - on_time)
    return select(per_essay.c.student_id, per_essay.c.assignment_id, per_essay.c.post_id,
                  on_time.label("on_time"), late.label("late"))


def counts_statement(course_id: int, assignment_id: int | None = None,
                     student_ids: Ids | None = None, now: datetime | BindParameter | None = None,
                     among: Ids | None = None) -> Select:
    """(student_id, assignment_id, on_time, late), each essay's cap applied."""
    judged = _judged_rows(judged_comments(course_id, assignment_id, student_ids, now, among))
    capped = _capped_per_essay(judged).subquery()
    return (
        select(capped.c.student_id, capped.c.assignment_id,
               func.sum(capped.c.on_time).label("on_time"), func.sum(capped.c.late).label("late"))
        .group_by(capped.c.student_id, capped.c.assignment_id)
    )


@lru_cache(maxsize=8)
def _counts_with_parameters(dialect: str, one_assignment: bool, some_students: bool) -> Select:
    """Built once per shape, with parameters: This week and the gradebook count on every view, and building the
    statement (its subqueries, aliases and window) cost as much as running it. The dialect is part of the key:
    the shape differs by database (`_judged_rows`)."""
    return counts_statement(bindparam("course_id"), bindparam("assignment_id") if one_assignment else None,
                            bindparam("student_ids", expanding=True) if some_students else None,
                            bindparam("now", type_=UTCDateTime()))


@lru_cache(maxsize=4)
def _essay_counts_with_parameters(dialect: str, one_assignment: bool) -> Select:
    """Built once per shape, as `_counts_with_parameters`: This week and the comment box count on every view."""
    judged = judged_comments(bindparam("course_id"), bindparam("assignment_id") if one_assignment else None,
                             bindparam("student_ids", expanding=True), bindparam("now", type_=UTCDateTime()))
    return _capped_per_essay(_judged_rows(judged))


def participation_counts(course_id: int, assignment_id: int | None = None,
                         student_ids: Collection[int] | None = None,
                         now: datetime | None = None) -> dict[Pair, Counts]:
    """{(assignment id, student id): Counts} for the course, one assignment, or some students; pairs with
    nothing counted are left out (use `.get(pair, NONE)`)."""
    if student_ids is not None and not student_ids:
        return {}
    without_jit(db.session)
    statement = _counts_with_parameters(db.session.get_bind().dialect.name, assignment_id is not None,
                                        student_ids is not None)
    params = {"course_id": course_id, "assignment_id": assignment_id, "now": now or utcnow(),
              "student_ids": None if student_ids is None else list(student_ids)}
    rows = db.session.execute(statement, params)
    return {(a_id, s_id): Counts(int(on or 0), int(late or 0)) for s_id, a_id, on, late in rows if on or late}


def essay_counts(course_id: int, student_ids: Collection[int], now: datetime | None = None,
                 assignment_id: int | None = None) -> dict[Pair, dict[int, Counts]]:
    """{(assignment id, student id): {essay id: Counts}}: participation_counts essay by essay (`total` sums them
    back), for the essays these students' comments count on, in every assignment or in one. This week leaves
    those essays out of the ones it suggests; the comment box says whether the essay read has its share."""
    if not student_ids:
        return {}
    without_jit(db.session)
    statement = _essay_counts_with_parameters(db.session.get_bind().dialect.name, assignment_id is not None)
    rows = db.session.execute(statement, {"course_id": course_id, "assignment_id": assignment_id,
                                          "student_ids": list(student_ids), "now": now or utcnow()})
    counted: dict[Pair, dict[int, Counts]] = {}
    for s_id, a_id, post_id, on, late in rows:
        if on or late:
            counted.setdefault((a_id, s_id), {})[post_id] = Counts(int(on or 0), int(late or 0))
    return counted


def total(per_essay: dict[int, Counts]) -> Counts:
    """One student's Counts for an assignment, from essay_counts."""
    return Counts(sum(c.on_time for c in per_essay.values()), sum(c.late for c in per_essay.values()))
