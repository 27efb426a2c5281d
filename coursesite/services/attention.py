"""What the dashboard asks staff to look at first, from the matrix already built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .dashboard import AssignmentHead, Matrix
from .dashboard_data import CourseFacts, StudentInfo, WaitingComment
from .essay_state import EssayState
from .participation_data import EssayInfo


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


def needs_attention(matrix: Matrix, facts: CourseFacts) -> Attention:
    data, now = facts.participation, facts.now
    overdue, behind = [], []
    for row in matrix.rows:
        for cell in row.cells:
            a = cell.assignment
            if cell.essay.overdue:
                overdue.append(Overdue(row.student, a, cell.essay))
            deadline = data.deadline(a.id, row.student.user_id)
            writing_open = a.post_due_at is None or a.post_due_at <= now
            if (cell.required > 0 and not cell.comments_complete and deadline is not None and deadline > now
                    and writing_open and cell.essay.kind != "excused"):
                behind.append(Behind(row.student, a, cell.done, cell.required, deadline))
    shown = {row.student.user_id for row in matrix.rows}
    heads = {a.id: a for a in matrix.assignments}
    unanswered = []
    for info in sorted(data.essay_info.values(), key=lambda i: (i.assignment_id, i.author_name.casefold())):
        a = data.assignments.get(info.assignment_id)
        if a is None or a.required_comments <= 0 or not info.live or info.author_id not in shown:
            continue
        count = data.comment_counts.get(info.post_id, 0)
        if count < a.required_comments:
            unanswered.append(Unanswered(info, heads[a.id], count, a.required_comments))
    behind.sort(key=lambda b: (b.deadline, b.done - b.required))
    return Attention(overdue, behind, unanswered, list(facts.waiting))
