"""The dashboard's summary of a course, built once and stored for every worker to share.

Building it judges every comment of the course against the participation rules: seconds for a class of
300. So the summary (every student's matrix row, the attention lists, the pictures) is stored in the shared
file store (services/file_store.py) under a key that changes with anything it shows: the course's
dashboard_version (raised in the same transaction as any change but a new comment, see
services/content_version.py) and the number and newest id of the course's comments, plus the code
version. Time alone changes it too: a due date passes, a grace period ends, a scheduled essay comes out.
The summary records the first such moment after it was built and is built again from then on.

Each student's row of the table is stored rendered: a view sorts, filters and pages the rows, and renders
only what can change with the viewer or the day (the attention lists, the column headings).
"""

from __future__ import annotations

import hashlib
import hmac
import pickle
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, get_template_attribute, request, url_for
from markupsafe import Markup
from sqlalchemy import func, select

from ..extensions import db
from ..models import Comment, Course, Post
from . import charts, file_store
from .attention import Attention, needs_attention
from .dashboard import AssignmentHead, MatrixPage, build_matrix, row_order
from .dashboard_data import CourseFacts, StudentInfo, load_course_facts

# Rules that read the clock and are missed by next_change() would cost at most this, not a term.
LONGEST_LIFE = timedelta(hours=1)
SIGNATURE_BYTES = 32  # HMAC-SHA256 over the pickled summary: a file this application did not write is not read


@dataclass(frozen=True)
class MatrixView:
    """The page of the participation table shown: rows as rendered when the summary was built."""

    sections: list[tuple[int, str]]  # the course's, for the filter
    assignments: list[AssignmentHead]
    rows: list[Markup]
    sort: str
    section_id: int | None


@dataclass(frozen=True)
class DashboardSummary:
    sections: list[tuple[int, str]]
    assignments: list[AssignmentHead]
    students: list[StudentInfo]  # every current student, by name
    totals: list[tuple[int, int]]  # per student: Row.total, for the sort by total
    rows: list[Markup]  # per student: their row of the table (templates/dashboard/_matrix_row.html)
    attention: Attention  # for the whole class
    pictures: Markup  # the activity chart and the comment web with their tables
    valid_until: datetime

    def view(self, sort: str, section_id: int | None, page_number: int) -> tuple[MatrixView, MatrixPage, Attention]:
        """One page of the matrix, of one section (all with None), sorted; attention for the same students."""
        order = [i for i, s in enumerate(self.students) if section_id is None or s.section_id == section_id]
        key = row_order(sort)
        if key is None:
            sort = "name"
        else:
            order.sort(key=lambda i: key(self.students[i], self.totals[i]))
        page = MatrixPage.of(len(order), page_number)
        rows = [self.rows[i] for i in order[page.first - 1:page.last]]
        attention = self.attention
        if section_id is not None:
            attention = attention.of_students({self.students[i].user_id for i in order})
        return MatrixView(self.sections, self.assignments, rows, sort, section_id), page, attention


def summary(course: Course, now: datetime) -> DashboardSummary:
    """The stored summary if it is current, else one built now (and stored)."""
    # The key is read before the facts: a change landing in between is then in a summary filed under the
    # older key, which only means one more build, never a summary older than its key.
    count, newest = db.session.execute(
        select(func.count(Comment.id), func.max(Comment.id))
        .join(Post, Post.id == Comment.post_id).where(Post.course_id == course.id)
    ).one()
    # The rows' links hold the address the application is served under.
    path = file_store.path_for(str(course.dashboard_version), str(count), str(newest), file_store.code_version(),
                               request.script_root, suffix=".pickle", folder=("dashboard", str(course.id)))
    found = _loaded(file_store.read(path))
    if found is not None and now < found.valid_until:
        return found
    built = build_summary(load_course_facts(course, now))
    file_store.write(path, _signed(pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL)), only_one=True)
    return built


def _signature(data: bytes) -> bytes:
    key = current_app.secret_key
    return hmac.new(key.encode() if isinstance(key, str) else key, data, hashlib.sha256).digest()


def _signed(data: bytes) -> bytes:
    return _signature(data) + data


def _loaded(packed: bytes | None) -> DashboardSummary | None:
    """The summary in a stored file, if this application wrote it (its signature checks out) and it reads."""
    if packed is None or len(packed) < SIGNATURE_BYTES:
        return None
    signature, data = packed[:SIGNATURE_BYTES], packed[SIGNATURE_BYTES:]
    if not hmac.compare_digest(signature, _signature(data)):
        return None  # not written with this secret key: never unpickled
    try:
        # Signed above with the application's secret key: only what this application wrote is unpickled.
        return pickle.loads(data)  # noqa: S301  # nosec B301
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None  # from an older layout: built again


def build_summary(facts: CourseFacts) -> DashboardSummary:
    matrix = build_matrix(facts)
    row_html = get_template_attribute("dashboard/_matrix_row.html", "matrix_row")
    links = grade_links(facts.course.slug, matrix.assignments)
    pictures = get_template_attribute("dashboard/_charts.html", "pictures")(
        charts.activity_chart(facts), charts.comment_web(facts))
    return DashboardSummary(
        facts.sections, matrix.assignments, [row.student for row in matrix.rows], [row.total for row in matrix.rows],
        [row_html(row, facts.course, links) for row in matrix.rows], needs_attention(matrix, facts), pictures,
        next_change(facts),
    )


def grade_links(slug: str, assignments: list[AssignmentHead]) -> dict[int, str]:
    """Each column's grading address but the student id at its end: built once per column, not for each of
    the class's cells."""
    return {a.id: url_for("dashboard.grade", slug=slug, assignment_id=a.id, student_id=0).removesuffix("0")
            for a in assignments}


def next_change(facts: CourseFacts) -> datetime:
    """The first moment after `facts.now` at which the clock alone changes what the dashboard shows."""
    book, now = facts.deadlines, facts.now
    moments = [p.published_at for p in facts.posts]  # a scheduled essay comes out
    for a in facts.assignments:
        grace = book.assignments[a.id].policy.grace
        moments += [a.post_due_at, a.comments_due_at]
        for student in facts.students:
            due = book.deadlines(a.id, student.user_id)
            moments += [due.comments, due.post, due.post + grace if due.post is not None else None]
    for given in facts.participation.assigned.values():
        moments += given.values()  # an essay's own comment deadline, in assigned mode
    return min([m for m in moments if m is not None and m > now] + [now + LONGEST_LIFE])
