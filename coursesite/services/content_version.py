"""A course's content version, raised in the same transaction as any change its essay pages could show.

Kept only for the essay page's validator (posts/essay_cache.py), which counts the essay's own comments
itself, so a new comment touches no course row. Everything else a reader sees there (course settings,
names and roles, assignments and deadlines, terms, other essays in the navigation, edits and moderation
of comments) raises courses.content_version of the course concerned. Rows no essay page shows are
listed in NOT_SHOWN; tests/unit/test_content_version.py fails on a model that is in neither list.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.util import identity_key

from ..lti.models import NOT_SHOWN_ON_PAGES as LTI_ROWS
from ..models import (
    AccountAudit,
    Assignment,
    Comment,
    CommentReport,
    CommentRevision,
    Course,
    CourseInvitation,
    Enrollment,
    Excusal,
    Extension,
    Grade,
    GradeChange,
    Notification,
    PeerAssignment,
    PendingImport,
    Post,
    PostAutosave,
    PostRevision,
    PostTerm,
    RubricCriterion,
    Section,
    SectionDeadline,
    SentReminder,
    SentStaffDigest,
    Term,
    Upload,
    User,
    WordPressPerson,
)

# Which id names the course, for each model whose rows essay pages show.
BY_COURSE = (Course, Section, Enrollment, Assignment, Post, Term)
BY_ASSIGNMENT = (SectionDeadline, Extension, Excusal, PeerAssignment)
BY_POST = (PostTerm,)
# Grades, rubrics, reports and revisions show on staff pages only, which are never stored; a notification
# is counted by the validator, as are new comments.
NOT_SHOWN = (PostAutosave, PostRevision, CommentRevision, CommentReport, Notification, Grade, GradeChange,
             RubricCriterion, Upload, PendingImport, WordPressPerson,
             CourseInvitation,  # invitations show only on the roster and the invited person's course list
             SentReminder, SentStaffDigest, AccountAudit, *LTI_ROWS)
NOT_SHOWN_TABLES = frozenset(model.__table__.name for model in NOT_SHOWN)
# Raised at logout, and mail choices: no page shows them.
USER_COLUMNS_NOT_SHOWN = frozenset({"session_generation", "wants_reminders", "wants_staff_digest"})
RAISED = "coursesite.raised_content_versions"


def _was_or_is_published(post: Post) -> bool:
    return post.status == "published" or "published" in inspect(post).attrs.status.history.deleted


def _touched(session: Session) -> dict[str, set[int]]:
    """Ids naming the changed rows' courses, by kind."""
    ids: dict[str, set[int]] = defaultdict(set)
    changed = [o for o in session.dirty if session.is_modified(o)] + list(session.deleted)
    for obj in [*session.new, *changed]:
        if isinstance(obj, Course):
            ids["course"].add(obj.id)
        elif isinstance(obj, Post):
            if _was_or_is_published(obj):  # a draft shows on its own page only, whose tag follows it
                ids["course"].add(obj.course_id)
        elif isinstance(obj, BY_COURSE):
            ids["course"].add(obj.course_id)
        elif isinstance(obj, BY_ASSIGNMENT):
            ids["assignment"].add(obj.assignment_id)
        elif isinstance(obj, BY_POST) or (isinstance(obj, Comment) and obj not in session.new):
            ids["post"].add(obj.post_id)
        elif isinstance(obj, User) and obj not in session.new and _shown_change(obj):
            ids["user"].add(obj.id)
    return ids


def _shown_change(user: User) -> bool:
    state = inspect(user)
    return any(state.attrs[column.key].history.has_changes() for column in state.mapper.column_attrs
               if column.key not in USER_COLUMNS_NOT_SHOWN)


def _course_ids(connection, ids: dict[str, set[int]]) -> set[int]:
    courses = set(ids["course"])
    lookups = (
        ("assignment", select(Assignment.course_id).where(Assignment.id.in_(ids["assignment"]))),
        ("post", select(Post.course_id).where(Post.id.in_(ids["post"]))),
        ("user", select(Enrollment.course_id).where(Enrollment.user_id.in_(ids["user"]))),
    )
    for kind, query in lookups:
        if ids[kind]:
            courses.update(connection.execute(query).scalars())
    courses.discard(None)
    return courses


def raise_versions(connection, course_ids: set[int] | None) -> None:
    """Raise the given courses' content versions; None: every course's."""
    table = Course.__table__
    statement = update(table).values(content_version=table.c.content_version + 1)
    if course_ids is not None:
        statement = statement.where(table.c.id.in_(course_ids))
    connection.execute(statement)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush_context) -> None:
    ids = _touched(session)
    if ids:
        course_ids = _course_ids(session.connection(), ids)
        if course_ids:
            raise_versions(session.connection(), course_ids)
            session.info.setdefault(RAISED, set()).update(course_ids)


@event.listens_for(Session, "after_flush_postexec")
def _forget_old_versions(session: Session, _flush_context) -> None:
    """Loaded courses re-read their version: a later validator in this session must see the new one."""
    for course_id in session.info.pop(RAISED, ()):
        course = session.identity_map.get(identity_key(Course, course_id))
        if course is not None:
            session.expire(course, ["content_version"])


@event.listens_for(Session, "do_orm_execute")
def _bulk_change(state: ORMExecuteState) -> None:
    """An UPDATE or DELETE of many rows names no single course: every course's version goes up."""
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is None or table.name == "courses":
        return
    if table.name not in NOT_SHOWN_TABLES:
        raise_versions(state.session.connection(), None)
