"""What the dashboard asks staff to look at first, for a class of any size.

Counted in SQL (participation/standing.py); only the first items of each list are built, from the rows of the
few students they name.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from coursesite.dashboard.facts import CourseFacts, StudentInfo, WaitingComment
from coursesite.dashboard.matrix import AssignmentHead, build_cells
from coursesite.participation.essay_state import EssayState
from coursesite.participation.facts import EssayInfo
from coursesite.participation.standing import NO_TOTALS, ShortEssay, Standing


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


LISTED = 50  # each list shows its first fifty and says how many more there are


class Listed(Sequence):
    """The first items of a list and its full length: `len()` is how many there are, indexing reaches the
    first ones only (all a page shows)."""

    def __init__(self, first: list, total: int):
        self.first, self.total = first, total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        return self.first[index]

    def __iter__(self) -> Iterator:
        return iter(self.first)

    def __bool__(self) -> bool:
        return self.total > 0


@dataclass(frozen=True)
class Attention:
    overdue: Sequence[Overdue]
    behind: Sequence[Behind]
    unanswered: Sequence[Unanswered]
    waiting: list[WaitingComment]

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.behind or self.unanswered or self.waiting)


def overdue_readers(students: list[StudentInfo], standing: Standing) -> list[int]:
    """The fewest students, in the table's order, whose overdue essays fill the list: only their rows are read."""
    chosen, listed = [], 0
    for student in students:
        if listed >= LISTED:
            break
        n = standing.totals.get(student.user_id, NO_TOTALS).overdue
        if n:
            chosen.append(student.user_id)
            listed += n
    return chosen


def overdue_essays(students: list[StudentInfo], standing: Standing, facts: CourseFacts) -> Listed:
    """Overdue essays in the table's order (by name, then assignment); `facts` holds overdue_readers' rows."""
    chosen = set(overdue_readers(students, standing))
    essays = facts.essays_by_pair()
    first = [Overdue(student, cell.assignment, cell.essay)
             for student in students if student.user_id in chosen
             for cell in build_cells(facts, student, essays, scored=False) if cell.essay.overdue]
    return Listed(first[:LISTED], sum(standing.totals.get(s.user_id, NO_TOTALS).overdue for s in students))


def behind_on_comments(students: list[StudentInfo], standing: Standing, heads: list[AssignmentHead]) -> Listed:
    """Students short of comments before their own comment deadline: the nearest deadline first, then the
    furthest behind, then in the table's order."""
    rank = {s.user_id: i for i, s in enumerate(students)}
    column = {a.id: i for i, a in enumerate(heads)}
    pairs = sorted((p for p in standing.behind if p.student_id in rank),
                   key=lambda p: (p.deadline, p.done - p.required, rank[p.student_id], column[p.assignment_id]))
    by_id = {s.user_id: s for s in students}
    first = [Behind(by_id[p.student_id], heads[column[p.assignment_id]], p.done, p.required, p.deadline)
             for p in pairs[:LISTED]]
    return Listed(first, len(pairs))


def short_of_comments(students: list[StudentInfo], short: list[ShortEssay], heads: list[AssignmentHead],
                      names: dict[int, str]) -> Listed:
    """The shown students' live essays with fewer shown comments than their assignment asks for, by
    assignment, author and essay."""
    shown = {s.user_id for s in students}
    by_head = {a.id: a for a in heads}
    essays = sorted((e for e in short if e.author_id in shown),
                    key=lambda e: (e.assignment_id, names.get(e.author_id, "").casefold(), e.post_id))
    first = [Unanswered(EssayInfo(e.post_id, e.title, e.slug, e.author_id, names.get(e.author_id, ""),
                                  e.assignment_id, True), by_head[e.assignment_id], e.comments, e.wanted)
             for e in essays[:LISTED]]
    return Listed(first, len(essays))
