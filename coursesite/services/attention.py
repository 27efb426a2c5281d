"""What the dashboard asks staff to look at first, from the matrix already built."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime

from .dashboard import AssignmentHead, Matrix, Row
from .dashboard_data import CourseFacts, StudentInfo, WaitingComment
from .essay_state import EssayState
from .participation_data import EssayInfo, ParticipationData


@dataclass(frozen=True)
class Overdue:
    student: StudentInfo
    assignment: AssignmentHead
    essay: EssayState


@dataclass(frozen=True)
class Behind:
    student: StudentInfo
    assignment: AssignmentHead
    done: int
    required: int
    deadline: datetime


@dataclass(frozen=True)
class Unanswered:
    essay: EssayInfo
    assignment: AssignmentHead
    comments: int
    wanted: int


@dataclass(frozen=True)
class Attention:
    overdue: list[Overdue]
    behind: list[Behind]
    unanswered: list[Unanswered]
    waiting: list[WaitingComment]

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.behind or self.unanswered or self.waiting)

    def of_students(self, user_ids: set[int]) -> Attention:
        """The lists cut to these students (a section); comments awaiting a look stay whole."""
        return Attention([o for o in self.overdue if o.student.user_id in user_ids],
                         [b for b in self.behind if b.student.user_id in user_ids],
                         [u for u in self.unanswered if u.essay.author_id in user_ids], self.waiting)


def row_attention(row: Row, data: ParticipationData, now: datetime) -> tuple[list[Overdue], list[Behind]]:
    """One student's overdue essays and the assignments they are behind on: their row alone decides it."""
    overdue, behind = [], []
    for cell in row.cells:
        a = cell.assignment
        if cell.essay.overdue:
            overdue.append(Overdue(row.student, a, cell.essay))
        deadline = data.deadline(a.id, row.student.user_id)
        writing_open = a.post_due_at is None or a.post_due_at <= now
        if (cell.required > 0 and not cell.comments_complete and deadline is not None and deadline > now
                and writing_open and cell.essay.kind != "excused"):
            behind.append(Behind(row.student, a, cell.done, cell.required, deadline))
    return overdue, behind


def with_rows_judged_again(attention: Attention, by_row: dict[int, tuple[list[Overdue], list[Behind]]],
                           position: dict[int, int]) -> Attention:
    """`attention` with the overdue and behind entries of some students (`by_row`, by user id) replaced by
    new ones; `position` is each student's place in the table, the order needs_attention gives."""
    def kept(items):
        return [item for item in items if item.student.user_id not in by_row]

    overdue = kept(attention.overdue) + [o for row_overdue, _behind in by_row.values() for o in row_overdue]
    behind = kept(attention.behind) + [b for _overdue, row_behind in by_row.values() for b in row_behind]
    overdue.sort(key=lambda o: position[o.student.user_id])  # stable: each student's in their row's order
    behind.sort(key=lambda b: (b.deadline, b.done - b.required, position[b.student.user_id]))
    return replace(attention, overdue=overdue, behind=behind)


def short_of_comments(matrix: Matrix, data: ParticipationData) -> list[Unanswered]:
    """The shown students' live essays with fewer shown comments than their assignment asks for."""
    shown = {row.student.user_id for row in matrix.rows}
    heads = {a.id: a for a in matrix.assignments}
    unanswered = []
    for info in sorted(data.essay_info.values(), key=_essay_order):
        a = data.assignments.get(info.assignment_id)
        if a is None or a.required_comments <= 0 or not info.live or info.author_id not in shown:
            continue
        count = data.comment_counts.get(info.post_id, 0)
        if count < a.required_comments:
            unanswered.append(Unanswered(info, heads[a.id], count, a.required_comments))
    return unanswered


def _essay_order(info: EssayInfo) -> tuple:
    return info.assignment_id, info.author_name.casefold(), info.post_id


def with_essays_judged_again(unanswered: list[Unanswered], authors: set[int],
                             judged: list[Unanswered]) -> list[Unanswered]:
    """The list with the entries of these authors' essays replaced by `judged` (short_of_comments of them)."""
    kept = [item for item in unanswered if item.essay.author_id not in authors]
    return sorted(kept + judged, key=lambda item: _essay_order(item.essay))


def with_new_comments(unanswered: list[Unanswered], shown_on: Counter[int]) -> list[Unanswered]:
    """The list after new shown comments (`shown_on`: how many per essay). A comment only adds, so an essay
    that had enough comments still has; one that now has enough leaves the list."""
    now_short = []
    for item in unanswered:
        comments = item.comments + shown_on[item.essay.post_id]
        if comments < item.wanted:
            now_short.append(replace(item, comments=comments))
    return now_short


def needs_attention(matrix: Matrix, facts: CourseFacts) -> Attention:
    """Each row's overdue essays and comments behind (in the table's order; behind by deadline), the essays
    short of comments, and the comments awaiting a look."""
    by_row = [row_attention(row, facts.participation, facts.now) for row in matrix.rows]
    behind = sorted((b for _overdue, row_behind in by_row for b in row_behind),
                    key=lambda b: (b.deadline, b.done - b.required))
    return Attention([o for row_overdue, _behind in by_row for o in row_overdue], behind,
                     short_of_comments(matrix, facts.participation), list(facts.waiting))
