"""The participation matrix and the "needs attention" list, built from CourseFacts.

Numbers are computed here, never in templates: each cell carries its essay state, its comments
"done of K" with the late ones, and its grade state; each row its totals.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..models import Assignment
from .dashboard_data import CourseFacts, EssayRow, StudentInfo, load_course_facts
from .essay_state import EssayKind, EssayState, from_status
from .participation import Tally

SORTS = ("name", "section", "total")


def student_essay_state(facts: CourseFacts, assignment: Assignment, student_id: int,
                        posts: list[EssayRow]) -> EssayState:
    """The one place that decides an essay's state for the dashboard: services/deadlines.py's rules, with
    the student's own due date (section, extension, accommodation), grace period and join date."""
    return from_status(facts.deadlines.item(assignment.id, student_id, facts.now).status)


@dataclass(frozen=True)
class Cell:
    assignment: Assignment
    essay: EssayState
    post: EssayRow | None  # the essay behind the cell (the first published, else the newest draft)
    tally: Tally
    required: int
    graded: bool
    released: bool

    @property
    def comments_text(self) -> str:
        return f"{self.tally.done}/{self.required}"

    @property
    def late_comments(self) -> int:
        return len(self.tally.late)

    @property
    def comments_complete(self) -> bool:
        return self.tally.complete

    @property
    def grade_label(self) -> str:
        if self.essay.kind == EssayKind.EXCUSED:
            return "Excused"
        if not self.graded:
            return "Not graded"
        return "Released" if self.released else "Graded"


@dataclass(frozen=True)
class Row:
    student: StudentInfo
    cells: tuple[Cell, ...]

    @property
    def essays_on_time(self) -> int:
        return sum(1 for c in self.cells if c.essay.counts_on_time)

    @property
    def comments_done(self) -> int:
        return sum(c.tally.done for c in self.cells)

    @property
    def comments_required(self) -> int:
        return sum(c.required for c in self.cells)

    @property
    def total(self) -> tuple[int, int]:
        return self.essays_on_time, self.comments_done


@dataclass(frozen=True)
class Matrix:
    facts: CourseFacts
    assignments: list[Assignment]
    rows: list[Row]
    sort: str
    section_id: int | None


def build_cell(facts: CourseFacts, student: StudentInfo, essays: dict, a: Assignment) -> Cell:
    posts = essays.get((a.id, student.user_id), [])
    state = student_essay_state(facts, a, student.user_id, posts)
    post = posts[0] if posts and posts[0].status == "published" else (posts[-1] if posts else None)
    grade = facts.grades.get((a.id, student.user_id))
    return Cell(a, state, post, facts.participation.tally(a.id, student.user_id), a.required_comments,
                bool(grade and grade.graded), a.grades_released_at is not None)


def build_cells(facts: CourseFacts, student: StudentInfo, essays: dict) -> tuple[Cell, ...]:
    return tuple(build_cell(facts, student, essays, a) for a in facts.assignments)


def build_matrix(facts: CourseFacts, sort: str = "name", section_id: int | None = None) -> Matrix:
    essays = facts.essays_by_pair()
    students = [s for s in facts.students if section_id is None or s.section_id == section_id]
    rows = [Row(s, build_cells(facts, s, essays)) for s in students]
    if sort == "section":
        rows.sort(key=lambda r: (r.student.section_name == "", r.student.section_name.casefold()))
    elif sort == "total":
        rows.sort(key=lambda r: r.total)  # fewest first: who is behind comes to the top
    else:
        sort = "name"
    return Matrix(facts, facts.assignments, rows, sort, section_id)


MATRIX_ROWS_PER_PAGE = 50


@dataclass(frozen=True)
class MatrixPage:
    """One page of the matrix's rows: a class of 300 is read fifty students at a time."""

    number: int
    count: int
    first: int  # 1-based position of the page's first student, for "Students 51–100 of 300"
    last: int
    total: int


def page_of(matrix: Matrix, number: int, per_page: int = MATRIX_ROWS_PER_PAGE) -> tuple[Matrix, MatrixPage]:
    """The matrix cut to one page of students (a page past the end shows the last one)."""
    total = len(matrix.rows)
    count = max(1, -(-total // per_page))
    number = min(max(number, 1), count)
    start = (number - 1) * per_page
    rows = matrix.rows[start:start + per_page]
    return replace(matrix, rows=rows), MatrixPage(number, count, start + 1 if rows else 0, start + len(rows), total)


def course_matrix(course, now, sort: str = "name", section_id: int | None = None) -> Matrix:
    return build_matrix(load_course_facts(course, now), sort, section_id)
