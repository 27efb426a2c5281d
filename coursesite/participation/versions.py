"""Class-wide counts kept in Flask-Caching, keyed so that none is served stale.

A course's participation version (models.course.ParticipationVersion) is raised in the transaction of any
change to the rows its participation is counted from (`COURSE_OF`), just before that transaction commits. A
kept value is stored under the version read before it was counted: a change committed after that read gives
a new version, so the value is never found again; one committed before it is in the value. Writes go through
the ORM session (services flush, the view commits); a bulk INSERT, UPDATE or DELETE of those tables, whose
courses are not known, raises every course's version. A course without a row (none has been written since
the table came) has its counts counted, never kept.

Counts also change with time alone: a deadline passes, a scheduled essay comes out. Each value is kept with
the first such moment after it was counted (participation/standing.py: `Standing.next_turn`), and is not
used from then on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TypeVar

from sqlalchemy import Delete, Insert, Update, bindparam, event, inspect, literal, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from sqlalchemy.orm.util import identity_key

from coursesite.extensions import cache, code_version, db
from coursesite.models import (
    Assignment,
    Comment,
    CommentRevision,
    Course,
    Enrollment,
    Excusal,
    Extension,
    ParticipationVersion,
    PeerAssignment,
    Post,
    Section,
    SectionDeadline,
    User,
)

T = TypeVar("T")

# Each table the counts read, and the column leading to its course: the course itself, or the row holding it.
COURSE_OF: dict[type, tuple[str, type | None]] = {
    Course: ("id", None),
    Section: ("course_id", None),
    Enrollment: ("course_id", None),
    Assignment: ("course_id", None),
    Post: ("course_id", None),
    SectionDeadline: ("assignment_id", Assignment),
    Extension: ("assignment_id", Assignment),
    Excusal: ("assignment_id", Assignment),
    PeerAssignment: ("assignment_id", Assignment),
    Comment: ("post_id", Post),
    CommentRevision: ("comment_id", Comment),
}
TRACKED_TABLES = frozenset(cls.__tablename__ for cls in COURSE_OF) | {User.__tablename__}
_CHANGED = "coursesite.participation_changed"  # session.info: course ids changed in this transaction
EVERY_COURSE = 0  # in that set: a change whose course is not known


def _changed(session: Session) -> set[int]:
    return session.info.setdefault(_CHANGED, set())


@event.listens_for(Session, "before_flush")
def _collect_deleted(session: Session, _context, _instances) -> None:
    """Rows about to be deleted, while they can still be read by their ids."""
    changed = _changed(session)
    for instance in session.deleted:
        cls = type(instance)
        if cls is User:  # the database deletes their enrollments and comments with them
            changed.add(EVERY_COURSE)
        elif cls in COURSE_OF:
            changed.update(_courses_of(session, cls, {inspect(instance).identity[0]}))


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context) -> None:
    """Rows added or changed, once flushed: a new row's columns are all set then."""
    changed = _changed(session)
    for instance in (*session.new, *session.dirty):
        cls = type(instance)
        if cls not in COURSE_OF:
            continue
        column, parent = COURSE_OF[cls]
        history = inspect(instance).attrs[column].history  # with the value it had, if it moved
        ids = {value for value in (*history.sum(), getattr(instance, column)) if value is not None}
        changed.update(_courses_of(session, parent, ids) if parent is not None else ids)


def _courses_of(session: Session, cls: type, ids: set[int]) -> set[int]:
    """The courses of some rows of `cls`, following COURSE_OF up to the course: from the rows the session holds
    (a comment's essay, usually), else read."""
    column, parent = COURSE_OF[cls]
    found, missing = set(), set()
    for row_id in ids:
        row = session.identity_map.get(identity_key(cls, row_id))
        value = inspect(row).dict.get(column) if row is not None else None
        if value is None:
            missing.add(row_id)
        else:
            found.add(value)
    if missing:
        found |= set(session.execute(select(getattr(cls, column)).where(cls.id.in_(missing))).scalars())
    return _courses_of(session, parent, found) if parent is not None and found else found


@event.listens_for(Session, "do_orm_execute")
def _collect_bulk(state: ORMExecuteState) -> None:
    statement = state.statement
    if isinstance(statement, Insert | Update | Delete) and statement.table.name in TRACKED_TABLES:
        _changed(state.session).add(EVERY_COURSE)


@event.listens_for(Session, "before_commit")
def _raise_versions(session: Session) -> None:
    """Last, just before the commit: on PostgreSQL a version's row stays locked until then, and every writer of
    the course waits on it."""
    session.flush()
    changed = session.info.pop(_CHANGED, set())
    if not changed:
        return
    every = EVERY_COURSE in changed
    session.execute(_raise_statement(session.get_bind().dialect.name, every),
                    {} if every else {"course_ids": sorted(changed)})


@lru_cache(maxsize=4)
def _raise_statement(dialect_name: str, every: bool):
    """Built once per database, with parameters: it runs with every commit that changes counts."""
    # Courses that still exist: one made in a savepoint rolled back since, or deleted now, has no row to raise.
    courses = select(Course.id, literal(1)).where(
        true() if every else Course.id.in_(bindparam("course_ids", expanding=True)))
    dialect = sqlite if dialect_name == "sqlite" else postgresql
    # In the courses' order, so two writers of the same courses never wait on each other in a circle. WHERE: an
    # INSERT ... SELECT needs one before ON CONFLICT on SQLite, which would read a join there otherwise.
    versions = ParticipationVersion.__table__  # a plain INSERT: the ORM would take its parameters for rows
    raised = dialect.insert(versions).from_select(["course_id", "version"], courses.order_by(Course.id))
    return raised.on_conflict_do_update(index_elements=[versions.c.course_id],
                                        set_={"version": versions.c.version + 1})


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # rolled back whole, or committed (versions raised): nothing left to raise
        session.info.pop(_CHANGED, None)


@dataclass(frozen=True)
class Kept:
    value: object
    counted_at: datetime
    good_until: datetime | None  # the first moment after counted_at the value may differ; None: no such moment


def kept(course_id: int, name: str, now: datetime, count: Callable[[], tuple[T, datetime | None]]) -> T:
    """What `count()` gives for a course at `now`, kept in Flask-Caching under the course's version. `count()`
    returns it with the first moment at or after `now` from which it may differ with nothing written."""
    version = db.session.scalar(_version_statement(), {"course_id": course_id})  # flushes what is pending first
    if version is None or db.session.info.get(_CHANGED):
        # No version to key a kept value by; or this transaction changed counts, which only it sees yet.
        return count()[0]
    key = f"participation:{code_version()}:{course_id}:{version}:{name}"
    found = cache.get(key)
    if isinstance(found, Kept) and found.counted_at <= now and (found.good_until is None or now < found.good_until):
        return found.value
    value, good_until = count()
    cache.set(key, Kept(value, now, good_until))
    return value


@lru_cache(maxsize=1)
def _version_statement():
    return select(ParticipationVersion.version).where(ParticipationVersion.course_id == bindparam("course_id"))
