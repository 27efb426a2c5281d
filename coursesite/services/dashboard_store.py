"""The dashboard's summary of a course, built once and stored for every worker to share.

Building it judges every comment of the course against the participation rules: seconds for a class of
300. So the summary (every student's matrix row, the attention lists, the pictures) is stored in the shared
file store (services/file_store.py), one per course, and records what it shows:

- the course's dashboard_version, raised in the same transaction as any change but a new comment (see
  services/content_version.py). A raise caused only by essays, grades, drafts or reports is journalled in
  dashboard_changes with the people whose rows it may have changed; any other raise (a deadline, the
  roster, a setting, a comment edited) means the whole class is judged again;
- the number and newest id of the course's comments it has judged. New comments change only their authors'
  rows, the comment counts behind the attention lists, and the pictures' counts;
- the first moment after it was built when time alone changes it: a due date passes, a grace period ends, a
  scheduled essay comes out. From then on it is built again.

A summary behind by a few essays, grades or comments is brought up to date (`updated`): the people
concerned are judged again, from their own facts, and the summary stored again. The whole class is judged
only when that cannot tell, or when so many changed that judging them would cost about as much.

Each student's row of the table is stored rendered: a view sorts, filters and pages the rows, and renders
only what can change with the viewer or the day (the attention lists, the column headings).
"""

from __future__ import annotations

import hashlib
import hmac
import pickle
from array import array
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import accumulate

from flask import current_app, get_template_attribute, request, url_for
from markupsafe import Markup
from sqlalchemy import func, select

from ..extensions import db
from ..models import Comment, Course, DashboardChange, Post
from . import charts, file_store
from .attention import (
    Attention,
    needs_attention,
    row_attention,
    short_of_comments,
    with_essays_judged_again,
    with_new_comments,
    with_rows_judged_again,
)
from .dashboard import AssignmentHead, MatrixPage, build_matrix, row_order
from .dashboard_data import CourseFacts, StudentInfo, load_course_facts, load_waiting

# Rules that read the clock and are missed by next_change() would cost at most this, not a term.
LONGEST_LIFE = timedelta(hours=1)
SIGNATURE_BYTES = 32  # HMAC-SHA256 over the pickled summary: a file this application did not write is not read
# When more people than this (or than a quarter of the class, in a large one) wrote, published or were
# graded since, the whole class is judged again: judging a share of the class costs about that share of
# judging all of it, on top of reading and writing the stored summary.
MOST_STUDENTS_UPDATED = 20
STUDENTS_UPDATED_SHARE = 4


@dataclass(frozen=True)
class MatrixView:
    """The page of the participation table shown: rows as rendered when the summary was built."""

    sections: list[tuple[int, str]]  # the course's, for the filter
    assignments: list[AssignmentHead]
    rows: list[Markup]
    sort: str
    section_id: int | None


class RenderedRows:
    """Every student's rendered row as one UTF-8 string of bytes and where each row ends in it.

    A class of 3,000 has some 17 MB of rows and a view shows fifty: one bytes object is stored and read back
    as a copy, where 3,000 strings are each built again on every view.
    """

    def __init__(self, encoded: list[bytes]):
        self.blob = b"".join(encoded)
        self.ends = array("Q", accumulate(len(row) for row in encoded))

    @classmethod
    def of(cls, rows: list[str]) -> RenderedRows:
        return cls([row.encode() for row in rows])

    def __len__(self) -> int:
        return len(self.ends)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RenderedRows) and (self.blob, self.ends) == (other.blob, other.ends)

    def _encoded(self, i: int) -> bytes:
        return self.blob[self.ends[i - 1] if i else 0:self.ends[i]]

    def __getitem__(self, i: int) -> Markup:
        # What the row's template rendered (escaped there), read back from a file signed by this application.
        return Markup(self._encoded(i).decode())  # noqa: S704  # nosec B704

    def with_rows(self, changed: dict[int, str]) -> RenderedRows:
        """These rows, some (by position) rendered anew."""
        return RenderedRows([changed[i].encode() if i in changed else self._encoded(i) for i in range(len(self))])


@dataclass(frozen=True)
class DashboardSummary:
    sections: list[tuple[int, str]]
    assignments: list[AssignmentHead]
    students: list[StudentInfo]  # every current student, by name
    totals: list[tuple[int, int]]  # per student: Row.total, for the sort by total
    rows: RenderedRows  # per student: their row of the table (templates/dashboard/_matrix_row.html)
    attention: Attention  # for the whole class
    pictures: Markup  # the activity chart and the comment web with their tables
    valid_until: datetime
    # What changes since are added to (see `updated`):
    version: int  # the course's dashboard_version
    comments: tuple[int, int | None] | None  # the number and newest id of the course's comments judged here
    chart_counts: charts.ChartCounts
    names: dict[int, str]  # every member's shown name, for the comments awaiting a look

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


def _comment_count(course: Course) -> tuple[int, int | None]:
    """The number and newest id of the course's comments."""
    return tuple(db.session.execute(
        select(func.count(Comment.id), func.max(Comment.id))
        .join(Post, Post.id == Comment.post_id).where(Post.course_id == course.id)
    ).one())


def summary(course: Course, now: datetime) -> DashboardSummary:
    """The stored summary if it is current, else one brought up to date or built now (and stored)."""
    # The version and the comments are read before the facts: a change landing in between is then judged
    # again by the next view, never left out of a summary that claims it.
    version = course.dashboard_version
    count, newest = _comment_count(course)
    # The rows' links hold the address the application is served under.
    path = file_store.path_for(file_store.code_version(), request.script_root, suffix=".pickle",
                               folder=("dashboard", str(course.id)))
    found = _loaded(file_store.read(path))
    if found is not None and now < found.valid_until:
        if (found.version, found.comments) == (version, (count, newest)):
            return found
        brought = updated(found, course, now, version, count, newest)
        if brought is not None:
            file_store.write(path, _signed(pickle.dumps(brought, protocol=pickle.HIGHEST_PROTOCOL)), only_one=True)
            return brought
    facts = load_course_facts(course, now)
    # A comment written after the count was read but judged here could be added again later: such a
    # summary is not brought up to date, only built anew.
    judged = (count, newest) if newest_judged(facts) <= (newest or 0) else None
    built = build_summary(facts, version, judged)
    file_store.write(path, _signed(pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL)), only_one=True)
    return built


def _changed_people(course: Course, since: int, version: int) -> set[int] | None:
    """The people named by the raises of dashboard_version after `since` up to `version`; None when one of
    them was not journalled (a change to the whole course) or the journal no longer reaches back."""
    if since > version:
        return None  # written by a request that saw a newer version than this one
    changes = db.session.execute(
        select(DashboardChange.version, DashboardChange.student_id)
        .where(DashboardChange.course_id == course.id, DashboardChange.version > since,
               DashboardChange.version <= version)
    ).all()
    if len({v for v, _ in changes}) != version - since:
        return None
    return {person for _, person in changes if person is not None}


def updated(found: DashboardSummary, course: Course, now: datetime, version: int, count: int,
            newest: int | None) -> DashboardSummary | None:
    """`found` with the essays, grades, drafts, reports and comments since it was built; None when only a
    new build can tell.

    The journal names whose rows the essays, grades and drafts touched. The count makes sure the comments
    after the newest judged are all the new ones: else (say, one written before the newest judged but
    committed after it was read) the course is judged again.
    """
    if found.comments is None:
        return None
    judged, judged_newest = found.comments
    if judged_newest is None or newest is None or newest < judged_newest:
        return None
    people = set() if found.version == version else _changed_people(course, found.version, version)
    if people is None:
        return None
    new = db.session.execute(
        select(Comment.author_id, Comment.status, Comment.deleted_at, Comment.created_at, Post.id.label("post_id"),
               Post.author_id.label("essay_author_id"), Post.assignment_id)
        .join(Post, Post.id == Comment.post_id)
        .where(Post.course_id == course.id, Comment.id > judged_newest, Comment.id <= newest)
    ).all()
    if judged + len(new) != count:
        return None
    on_essays = [c for c in new if c.assignment_id is not None and c.deleted_at is None]
    people |= {c.author_id for c in on_essays}
    position = {student.user_id: i for i, student in enumerate(found.students)}
    if len(people) > max(MOST_STUDENTS_UPDATED, len(position) // STUDENTS_UPDATED_SHARE):
        return None
    # `found` was read from the store for this request alone: its counts are added to in place.
    chart_counts, attention, valid_until, comments = found.chart_counts, found.attention, found.valid_until, None
    totals, changed = list(found.totals), {}
    for comment in on_essays:
        chart_counts.add_comment(comment.author_id, comment.essay_author_id, comment.created_at)
    # Drawing the pictures was a quarter of such a view: after a grade, a draft or a report they stay as they were.
    redraw = bool(on_essays)
    unanswered = with_new_comments(
        attention.unanswered, Counter(c.post_id for c in on_essays if c.status == "visible"))
    if people:
        facts = load_course_facts(course, now, student_ids=people)
        # Their essays' comment counts were read just now: counted again later if a comment landed meanwhile.
        comments = (count, newest) if _comment_count(course) == (count, newest) else None
        matrix = build_matrix(facts)
        links = grade_links(course.slug, found.assignments)
        row_html = get_template_attribute("dashboard/_matrix_row.html", "matrix_row")
        by_row = {}
        for row in matrix.rows:
            i = position[row.student.user_id]
            changed[i], totals[i] = row_html(row, course, links), row.total
            by_row[row.student.user_id] = row_attention(row, facts.participation, facts.now)
        attention = with_rows_judged_again(attention, by_row, position)
        unanswered = with_essays_judged_again(unanswered, people, short_of_comments(matrix, facts.participation))
        redraw = chart_counts.count_essays_of(people, facts.posts, now) or redraw
        valid_until = min(valid_until, next_change(facts))
    else:
        comments = (count, newest)
    attention = replace(attention, unanswered=unanswered, waiting=load_waiting(course, found.names))
    return replace(found, totals=totals, rows=found.rows.with_rows(changed), attention=attention,
                   pictures=pictures(chart_counts) if redraw else found.pictures, valid_until=valid_until,
                   version=version, comments=comments,
                   chart_counts=chart_counts)


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


def build_summary(facts: CourseFacts, version: int, comments: tuple[int, int | None] | None) -> DashboardSummary:
    """The summary of the whole class at the course's dashboard `version`; `comments` are the number and
    newest id of the course's comments (None: not known exactly, so the summary is never brought up to date)."""
    matrix = build_matrix(facts)
    row_html = get_template_attribute("dashboard/_matrix_row.html", "matrix_row")
    links = grade_links(facts.course.slug, matrix.assignments)
    chart_counts = charts.chart_counts(facts)
    return DashboardSummary(
        facts.sections, matrix.assignments, [row.student for row in matrix.rows], [row.total for row in matrix.rows],
        RenderedRows.of([row_html(row, facts.course, links) for row in matrix.rows]), needs_attention(matrix, facts),
        pictures(chart_counts), next_change(facts), version, comments, chart_counts, facts.names,
    )


def newest_judged(facts: CourseFacts) -> int:
    return max((c.comment_id for comments in facts.participation.comments_by_author.values() for c in comments),
               default=0)


def pictures(chart_counts: charts.ChartCounts) -> Markup:
    return get_template_attribute("dashboard/_charts.html", "pictures")(
        charts.activity_chart(chart_counts), charts.comment_web(chart_counts))


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
