"""The participation table's cells and rows, built from CourseFacts for the students shown.

Numbers are computed here, never in templates: each cell carries its essay state, its comments
"done of K" with the late ones, and its grade state; each row its totals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from coursesite.dashboard.facts import CourseFacts, EssayRow, StudentInfo
from coursesite.grading.rules import assignment_result, essay_late_by, needs_grading
from coursesite.models import Assignment
from coursesite.participation.essay_state import EssayKind, EssayState, from_status
from coursesite.participation.standing import Totals


def student_essay_state(facts: CourseFacts, assignment: Assignment, student_id: int,
                        posts: list[EssayRow]) -> EssayState:
    """The one place that decides an essay's state for the dashboard: participation/deadline_rules.py's rules, with
    the student's own due date (section, extension, accommodation), grace period and join date."""
    return from_status(facts.deadlines.status(assignment.id, student_id, facts.now))


@dataclass(frozen=True)
class AssignmentHead:
    """What a cell, a column heading and the attention lists show of an assignment."""

    id: int
    title: str
    post_due_at: datetime | None

    @classmethod
    def of(cls, assignment: Assignment) -> AssignmentHead:
        return cls(assignment.id, assignment.title, assignment.post_due_at)


CELL_TONES = {EssayKind.ON_TIME: "ok", EssayKind.SUBMITTED: "ok", EssayKind.LATE: "warn", EssayKind.MISSING: "bad"}
# Essays that are owed by now (or were handed in): what a row's total counts.
ESSAY_DUE_KINDS = {EssayKind.ON_TIME, EssayKind.SUBMITTED, EssayKind.LATE, EssayKind.MISSING}
WAITING_KINDS = {EssayKind.NOT_DUE, EssayKind.SCHEDULED, EssayKind.NOT_REQUIRED}


@dataclass(frozen=True)
class Cell:
    assignment: AssignmentHead
    essay: EssayState
    post: EssayRow | None  # the essay behind the cell (the first published, else the newest draft)
    done: int  # counted comments on time, at most `required`
    late_comments: int
    required: int
    graded: bool
    released: bool
    comments_due: bool = True  # the student's own comment deadline has passed
    score: float | None = None  # the grade's total (penalty and comment score applied), where graded
    possible: float = 0

    @property
    def comments_text(self) -> str:
        return f"{self.done}/{self.required}"

    @property
    def comments_complete(self) -> bool:
        return self.done >= self.required

    @property
    def owes_comments(self) -> bool:
        """The comment deadline has passed and the student is neither excused nor joined too late to owe them."""
        return self.comments_due and self.essay.kind not in (EssayKind.EXCUSED, EssayKind.NOT_REQUIRED)

    @property
    def comments_missing(self) -> int:
        """Comments still owed after the deadline: 0 before it."""
        return max(self.required - self.done, 0) if self.owes_comments else 0

    @property
    def essay_due(self) -> bool:
        """The essay is owed by now (or already handed in): it counts in the row's total."""
        return self.essay.kind in ESSAY_DUE_KINDS or self.essay.overdue

    @property
    def tone(self) -> str:
        """ok | warn | bad | plain | waiting: the cell's shade; its words say the same."""
        if self.essay.kind == EssayKind.DRAFT:
            return "bad" if self.essay.past_due else ("plain" if self.comments_due else "waiting")
        if self.essay.kind in WAITING_KINDS and not self.comments_due:
            return "waiting"
        return CELL_TONES.get(self.essay.kind, "plain")

    @property
    def needs_grading(self) -> bool:
        return needs_grading(self.graded, self.essay.kind == EssayKind.EXCUSED)

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
    def essays_due(self) -> int:
        return sum(1 for c in self.cells if c.essay_due)

    @property
    def comments_done(self) -> int:
        """Qualifying comments of the assignments whose comment deadline has passed."""
        return sum(c.done for c in self.cells if c.owes_comments)

    @property
    def comments_required(self) -> int:
        """Comments owed by now: work not yet due is not counted against anyone."""
        return sum(c.required for c in self.cells if c.owes_comments)


def row_order(sort: str) -> Callable[[StudentInfo, Totals], object] | None:
    """The sort key of a row, from its student and totals; None keeps the order by name."""
    if sort == "section":
        return lambda student, _totals: (student.section_name == "", student.section_name.casefold())
    if sort == "total":
        # Who owes most comes first: overdue essays, then missing comments, then fewest essays on time (a late
        # one is handed in, yet behind); ties by name. Nothing owed that is not due yet counts.
        return lambda _student, t: (-t.overdue, -(t.comments_missing or 0), t.essays_on_time)
    return None


def build_cell(facts: CourseFacts, student: StudentInfo, essays: dict, a: Assignment, scored: bool = True) -> Cell:
    """One student's cell for one assignment; without `scored`, the grade's total is left out (it is shown,
    but neither sorted on nor asked for attention)."""
    pair, required = (a.id, student.user_id), a.required_comments  # read once: model attributes cost a lookup each
    posts = essays.get(pair, [])
    state = student_essay_state(facts, a, student.user_id, posts)
    post = posts[0] if posts and posts[0].status == "published" else (posts[-1] if posts else None)
    grade = facts.grades.get(pair)
    counted = facts.counted(*pair)
    comments_deadline = facts.comment_deadline(*pair)
    rules = facts.rules_of(a)
    score = None
    if scored and grade and grade.graded:
        published_at = post.published_at if post and post.status == "published" else None
        score = assignment_result(
            rules, essay=grade.post_score, qualifying=counted.on_time, override=grade.comment_override,
            late_by=essay_late_by(facts.deadlines.deadlines(*pair).post, published_at),
            excused=state.kind == EssayKind.EXCUSED,
        ).total
    done = counted.on_time if counted.on_time < required else required
    return Cell(facts.head_of(a), state, post, done, counted.late, required,
                bool(grade and grade.graded), a.grades_released_at is not None,
                comments_due=comments_deadline is not None and comments_deadline <= facts.now,
                score=score, possible=rules.possible)


def build_cells(facts: CourseFacts, student: StudentInfo, essays: dict, scored: bool = True) -> tuple[Cell, ...]:
    return tuple(build_cell(facts, student, essays, a, scored) for a in facts.assignments)
