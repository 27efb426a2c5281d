"""What the dashboard asks staff to look at first, from the matrix already built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coursesite.dashboard.facts import CourseFacts, StudentInfo, WaitingComment
from coursesite.dashboard.matrix import AssignmentHead, Matrix, Row
from coursesite.participation.essay_state import EssayState
from coursesite.participation.facts import EssayInfo


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


def row_attention(row: Row, facts: CourseFacts) -> tuple[list[Overdue], list[Behind]]:
    """One student's overdue essays and the assignments they are behind on: their row alone decides it."""
    overdue, behind = [], []
    for cell in row.cells:
        a = cell.assignment
        if cell.essay.overdue:
            overdue.append(Overdue(row.student, a, cell.essay))
        deadline = facts.comment_deadline(a.id, row.student.user_id)
        writing_open = a.post_due_at is None or a.post_due_at <= facts.now
        if (cell.required > 0 and not cell.comments_complete and deadline is not None and deadline > facts.now
                and writing_open and cell.essay.kind != "excused"):
            behind.append(Behind(row.student, a, cell.done, cell.required, deadline))
    return overdue, behind


def short_of_comments(matrix: Matrix, facts: CourseFacts) -> list[Unanswered]:
    """The shown students' live essays with fewer shown comments than their assignment asks for."""
    shown = {row.student.user_id for row in matrix.rows}
    heads = {a.id: a for a in matrix.assignments}
    required = {a.id: a.required_comments for a in facts.assignments}
    unanswered = []
    for info in sorted(facts.live_essays(), key=_essay_order):
        wanted = required.get(info.assignment_id, 0)
        if wanted <= 0 or info.author_id not in shown:
            continue
        count = facts.comment_counts.get(info.post_id, 0)
        if count < wanted:
            unanswered.append(Unanswered(info, heads[info.assignment_id], count, wanted))
    return unanswered


def _essay_order(info: EssayInfo) -> tuple:
    return info.assignment_id, info.author_name.casefold(), info.post_id


def needs_attention(matrix: Matrix, facts: CourseFacts) -> Attention:
    """Each row's overdue essays and comments behind (in the table's order; behind by deadline), the essays
    short of comments, and the comments awaiting a look."""
    by_row = [row_attention(row, facts) for row in matrix.rows]
    behind = sorted((b for _overdue, row_behind in by_row for b in row_behind),
                    key=lambda b: (b.deadline, b.done - b.required))
    return Attention([o for row_overdue, _behind in by_row for o in row_overdue], behind,
                     short_of_comments(matrix, facts), list(facts.waiting))
