"""A course's content version: raised in the same transaction as any change its essay pages could show.

The essay page's validator (posts/essay_cache.py) counts the essay's own comments itself, so a new comment,
the hot path under load, touches no course row. Everything else a reader sees there (course settings,
names and roles, assignments and deadlines, terms, other essays in the navigation, edits and moderation
of comments) raises courses.content_version of the course concerned. Rows no essay page shows are
listed in NOT_SHOWN; tests/unit/test_content_version.py fails on a model that is in neither list.

courses.dashboard_version goes up with it, and also with what only staff pages show: grades, reports of
comments, and drafts. A raise caused only by essays (written, published, edited, trashed), grades, drafts or
reports is journalled in dashboard_changes with the people whose dashboard rows it may have changed (the
essays' authors and commenters, the graded students), so the stored dashboard summary
(services/dashboard_store.py) re-judges those rows only. New comments touch no course row there either: the
summary counts them itself.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, event, insert, inspect, select, update
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
    DashboardChange,
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
             RubricCriterion, Upload, PendingImport, WordPressPerson, DashboardChange,
             CourseInvitation,  # invitations show only on the roster and the invited person's course list
             SentReminder, SentStaffDigest, AccountAudit, *LTI_ROWS)
NOT_SHOWN_TABLES = frozenset(model.__table__.name for model in NOT_SHOWN)
# Raised at logout, and mail choices: no page shows them.
USER_COLUMNS_NOT_SHOWN = frozenset({"session_generation", "wants_reminders", "wants_staff_digest"})
DASHBOARD_TABLES = frozenset(model.__table__.name for model in (Grade, GradeChange, CommentReport))
RAISED = "coursesite.raised_content_versions"
DASHBOARD = "dashboard"  # the kind of ids whose courses raise only dashboard_version
KEPT_DASHBOARD_VERSIONS = 500
STUDENTS = "students"  # whose dashboard rows the changes may have changed
ESSAYS = "essays"  # changed essays, whose commenters' rows may have changed too
WHOLE = "whole"  # set when a change may touch every row: the raise is not journalled


def _was_or_is_published(post: Post) -> bool:
    return post.status == "published" or "published" in inspect(post).attrs.status.history.deleted


def _touched(session: Session) -> dict[str, set[int]]:
    """Ids naming the changed rows' courses, by kind; what only the dashboard shows under DASHBOARD."""
    ids: dict[str, set[int]] = defaultdict(set)
    changed = [o for o in session.dirty if session.is_modified(o)] + list(session.deleted)
    for obj in [*session.new, *changed]:
        if isinstance(obj, Course):
            ids["course"].add(obj.id)
            ids[WHOLE].add(obj.id)
        elif isinstance(obj, Post) and not _was_or_is_published(obj):
            ids[DASHBOARD + ":course"].add(obj.course_id)  # a draft: on its own page, whose tag follows it
            ids[STUDENTS].add(obj.author_id)
        elif isinstance(obj, Post):
            ids["course"].add(obj.course_id)
            ids[STUDENTS].add(obj.author_id)
            ids[ESSAYS].add(obj.id)
            if obj not in session.new and inspect(obj).attrs.assignment_id.history.has_changes():
                ids[WHOLE].add(obj.id)  # its comments move to another assignment's pictures
        elif isinstance(obj, BY_COURSE):
            ids["course"].add(obj.course_id)
            ids[WHOLE].add(obj.course_id)
        elif isinstance(obj, BY_ASSIGNMENT):
            ids["assignment"].add(obj.assignment_id)
            ids[WHOLE].add(obj.assignment_id)
        elif isinstance(obj, BY_POST):
            ids["post"].add(obj.post_id)  # an essay's tags: not on the dashboard
        elif isinstance(obj, Comment) and obj not in session.new:
            ids["post"].add(obj.post_id)
            ids[WHOLE].add(obj.id)  # edited or moderated: its counts and pictures change
        elif isinstance(obj, User) and obj not in session.new and _shown_change(obj):
            ids["user"].add(obj.id)
            ids[WHOLE].add(obj.id)
        elif isinstance(obj, Grade):
            ids[DASHBOARD + ":assignment"].add(obj.assignment_id)
            ids[STUDENTS].add(obj.student_id)
        elif isinstance(obj, CommentReport):
            ids[DASHBOARD + ":comment"].add(obj.comment_id)
    return ids


def _shown_change(user: User) -> bool:
    state = inspect(user)
    return any(state.attrs[column.key].history.has_changes() for column in state.mapper.column_attrs
               if column.key not in USER_COLUMNS_NOT_SHOWN)


def _course_ids(connection, ids: dict[str, set[int]], prefix: str = "") -> set[int]:
    courses = set(ids[prefix + "course"])
    lookups = (
        ("assignment", select(Assignment.course_id).where(Assignment.id.in_(ids[prefix + "assignment"]))),
        ("post", select(Post.course_id).where(Post.id.in_(ids[prefix + "post"]))),
        ("user", select(Enrollment.course_id).where(Enrollment.user_id.in_(ids[prefix + "user"]))),
        ("comment", select(Post.course_id).join(Comment, Comment.post_id == Post.id)
         .where(Comment.id.in_(ids[prefix + "comment"]))),
    )
    for kind, query in lookups:
        if ids[prefix + kind]:
            courses.update(connection.execute(query).scalars())
    courses.discard(None)
    return courses


def raise_versions(connection, course_ids: set[int] | None, dashboard_only: bool = False,
                   students: set[int] | None = None) -> None:
    """Raise the given courses' versions (only dashboard_version if `dashboard_only`); None: every course's.

    With `students`, the raise is journalled with the people whose dashboard rows it may have changed;
    without, the whole course may have changed.
    """
    table = Course.__table__
    values = {"dashboard_version": table.c.dashboard_version + 1}
    if not dashboard_only:
        values["content_version"] = table.c.content_version + 1
    statement = update(table).values(values)
    if course_ids is not None:
        statement = statement.where(table.c.id.in_(course_ids))
    if students is None:
        connection.execute(statement)
        return
    raised = connection.execute(statement.returning(table.c.id, table.c.dashboard_version)).all()
    if not raised:
        return
    changes = DashboardChange.__table__
    connection.execute(insert(changes), [
        {"course_id": course_id, "version": version, "student_id": student_id}
        for course_id, version in raised for student_id in (students or [None])
    ])
    # A summary older than this has long been rebuilt: versions it would need are gone, so it is built anew.
    connection.execute(delete(changes).where(
        changes.c.course_id.in_([course_id for course_id, _ in raised]),
        changes.c.version <= min(version for _, version in raised) - KEPT_DASHBOARD_VERSIONS))


def _journalled(connection, ids: dict[str, set[int]]) -> set[int] | None:
    """Whose dashboard rows the changes may have changed, or None when they may have changed every row."""
    if ids[WHOLE]:
        return None
    commenters = set()
    if ids[ESSAYS]:
        commenters = set(connection.execute(
            select(Comment.author_id).where(Comment.post_id.in_(ids[ESSAYS])).distinct()).scalars())
    return ids[STUDENTS] | commenters


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush_context) -> None:
    ids = _touched(session)
    if ids:
        connection = session.connection()
        course_ids = _course_ids(connection, ids)
        staff_only = _course_ids(connection, ids, DASHBOARD + ":") - course_ids
        if not (course_ids or staff_only):
            return
        students = _journalled(connection, ids)
        if course_ids:
            raise_versions(connection, course_ids, students=students)
        if staff_only:
            raise_versions(connection, staff_only, dashboard_only=True, students=students)
        session.info.setdefault(RAISED, set()).update(course_ids | staff_only)


@event.listens_for(Session, "after_flush_postexec")
def _forget_old_versions(session: Session, _flush_context) -> None:
    """Loaded courses re-read their version: a later validator in this session must see the new one."""
    for course_id in session.info.pop(RAISED, ()):
        course = session.identity_map.get(identity_key(Course, course_id))
        if course is not None:
            session.expire(course, ["content_version", "dashboard_version"])


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
    elif table.name in DASHBOARD_TABLES:
        raise_versions(state.session.connection(), None, dashboard_only=True)
