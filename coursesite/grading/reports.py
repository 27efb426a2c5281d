"""Reading grades in sets: the grading queue, the gradebook for export, a student's My grades, progress.

Each function runs a fixed number of queries whatever the class size, then combines rows in Python with
the rules of grading/rules.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, select, tuple_, update

from coursesite.extensions import db
from coursesite.grading.gradebook_csv import Gradebook, GradebookItem, GradebookRow, Person
from coursesite.grading.rules import (
    AssignmentResult,
    AssignmentRules,
    assignment_result,
    essay_late_by,
    needs_grading,
    qualifying_comment_counts,
)
from coursesite.models import (
    Assignment,
    Course,
    Enrollment,
    Excusal,
    Grade,
    Post,
    RubricCriterion,
    Section,
    User,
    utcnow,
)
from coursesite.participation.deadlines import DeadlineBook, Pair, load_deadline_book


@dataclass(frozen=True)
class StudentRow:
    user_id: int
    person: Person


def _current_students(course_id: int) -> tuple:
    """The conditions on Enrollment of the course's current students: those graded."""
    return Enrollment.course_id == course_id, Enrollment.role == "student", Enrollment.ended_at.is_(None)


def _by_name() -> tuple:
    """The grading queue's order of students (with User joined): by name, any case, then id."""
    return func.lower(User.display_name), User.id


def active_students(course_id: int) -> list[StudentRow]:
    """The course's current students by name, with the ids an LMS knows them by."""
    query = (
        select(
            Enrollment.user_id, User.display_name, User.email, Section.name, Enrollment.canvas_user_id,
            Enrollment.sis_user_id, Enrollment.sis_login_id,
        )
        .join(User, Enrollment.user_id == User.id)
        .outerjoin(Section, Enrollment.section_id == Section.id)
        .where(*_current_students(course_id))
        .order_by(*_by_name())
    )
    return [StudentRow(row[0], Person(*row[1:])) for row in db.session.execute(query)]


def course_assignments(course_id: int, released_only: bool = False) -> list[Assignment]:
    query = select(Assignment).where(Assignment.course_id == course_id)
    if released_only:
        query = query.where(Assignment.grades_released_at.is_not(None))
    order = (Assignment.post_due_at.is_(None), Assignment.post_due_at, Assignment.id)
    return list(db.session.scalars(query.order_by(*order)))


@dataclass(frozen=True)
class Essays:
    published_at: dict[Pair, datetime]
    drafts: set[Pair]

    def state(self, pair: Pair) -> str:
        return "published" if pair in self.published_at else "draft" if pair in self.drafts else "none"


def _essays(course_id: int, assignment_id: int | None = None, student_id: int | None = None) -> Essays:
    """Each student's essay per assignment: the first published time, or whether only a draft exists."""
    query = (
        select(Post.assignment_id, Post.author_id, Post.status, func.min(Post.published_at))
        .join(Assignment, Assignment.id == Post.assignment_id)
        # Found by the course's assignments, as the participation engine finds them: their (assignment, author)
        # index holds every column read, so no essay row (body and all) is read; at L a third of the export.
        .where(Assignment.course_id == course_id, Post.deleted_at.is_(None))
        .group_by(Post.assignment_id, Post.author_id, Post.status)
    )
    if assignment_id is not None:
        query = query.where(Post.assignment_id == assignment_id)
    if student_id is not None:
        query = query.where(Post.author_id == student_id)
    published, drafts = {}, set()
    for a_id, author_id, status, first in db.session.execute(query):
        if status == "published" and first is not None:
            published[(a_id, author_id)] = first
        else:
            drafts.add((a_id, author_id))
    return Essays(published, drafts)


def _excused(course_id: int, assignment_id: int | None = None, student_id: int | None = None) -> set[Pair]:
    query = select(Excusal.assignment_id, Excusal.user_id).join(Assignment).where(Assignment.course_id == course_id)
    if assignment_id is not None:
        query = query.where(Excusal.assignment_id == assignment_id)
    if student_id is not None:
        query = query.where(Excusal.user_id == student_id)
    return {(a, u) for a, u in db.session.execute(query)}


def _grades(course_id: int, assignment_id: int | None = None, student_id: int | None = None) -> dict[Pair, Grade]:
    query = select(Grade).join(Assignment).where(Assignment.course_id == course_id)
    if assignment_id is not None:
        query = query.where(Grade.assignment_id == assignment_id)
    if student_id is not None:
        query = query.where(Grade.student_id == student_id)
    return {(g.assignment_id, g.student_id): g for g in db.session.scalars(query)}


def essay_due(book: DeadlineBook, assignment_id: int, student_id: int) -> datetime | None:
    """The student's own essay deadline: their section's, their extension, plus any accommodation."""
    return book.deadlines(assignment_id, student_id).post


def result_of(
    assignment: Assignment, grade: Grade | None, published_at: datetime | None, qualifying: int, excused: bool,
    due_at: datetime | None,
) -> AssignmentResult:
    return assignment_result(
        AssignmentRules.of(assignment),
        essay=grade.post_score if grade else None,
        qualifying=qualifying,
        late_by=essay_late_by(due_at, published_at),
        override=grade.comment_score_override if grade else None,
        reason=grade.override_reason if grade else None,
        excused=excused,
    )


@dataclass(frozen=True)
class QueueRow:
    student: StudentRow
    essay: str  # "published" | "draft" | "none"
    late_by: timedelta | None
    result: AssignmentResult
    owed: bool = True  # the student's own due date (and grace period) has passed, or there is none

    @property
    def not_due_yet(self) -> bool:
        """Nothing handed in, but nothing owed yet either: shown greyed, not as missing."""
        return self.essay != "published" and not self.owed

    @property
    def needs_grading(self) -> bool:
        return needs_grading(self.result.graded, self.result.excused)


def grading_queue(assignment: Assignment) -> list[QueueRow]:
    """Every current student of the assignment's course, by name, with essay and grade state."""
    course_id = assignment.course_id
    essays = _essays(course_id, assignment_id=assignment.id)
    grades = _grades(course_id, assignment_id=assignment.id)
    excused = _excused(course_id, assignment_id=assignment.id)
    counts = qualifying_comment_counts(course_id, assignment_id=assignment.id)
    students = active_students(course_id)
    book = load_deadline_book([assignment], [s.user_id for s in students])
    rows, now, grace = [], utcnow(), timedelta(minutes=assignment.grace_minutes or 0)
    for student in students:
        pair = (assignment.id, student.user_id)
        published_at, due_at = essays.published_at.get(pair), essay_due(book, *pair)
        result = result_of(assignment, grades.get(pair), published_at, counts.get(pair, 0), pair in excused, due_at)
        owed = due_at is None or now > due_at + grace
        rows.append(QueueRow(student, essays.state(pair), essay_late_by(due_at, published_at), result, owed))
    return rows


def next_ungraded(assignment: Assignment, after_student_id: int | None = None) -> int | None:
    """The next current student by name after `after_student_id` (wrapping round) whose work on `assignment`
    still needs a grade (grading/rules.needs_grading: no essay score saved, not excused); None when nobody's does.

    Found in SQL, in the grading queue's order, without building the queue (130-250 ms at 3,000 students): the
    "Save and grade next" button asks it after every grade. tests/functional/grading/test_next_ungraded.py
    holds it equal to the queue's own rows."""
    graded = select(Grade.id).where(Grade.assignment_id == assignment.id, Grade.student_id == Enrollment.user_id,
                                    Grade.post_score.is_not(None)).exists()
    excused = select(Excusal.id).where(Excusal.assignment_id == assignment.id,
                                       Excusal.user_id == Enrollment.user_id).exists()
    waiting = (select(Enrollment.user_id).join(User, Enrollment.user_id == User.id)
               .where(*_current_students(assignment.course_id), ~graded, ~excused)
               .order_by(*_by_name()).limit(1))
    if after_student_id is None:
        return db.session.scalar(waiting)
    after = db.session.execute(select(*_by_name()).where(User.id == after_student_id)).one_or_none()
    following = db.session.scalar(waiting.where(tuple_(*_by_name()) > tuple_(*after))) if after else None
    return following or db.session.scalar(waiting.where(User.id != after_student_id))


def load_gradebook(course: Course, include_unreleased: bool = False) -> Gradebook:
    """Every current student × the course's assignments (released ones unless asked otherwise)."""
    assignments = course_assignments(course.id, released_only=not include_unreleased)
    essays, grades = _essays(course.id), _grades(course.id)
    excused, counts = _excused(course.id), qualifying_comment_counts(course.id)
    items = tuple(GradebookItem(a.title, a.canvas_assignment_id, AssignmentRules.of(a)) for a in assignments)
    students = active_students(course.id)
    book = load_deadline_book(assignments, [s.user_id for s in students])
    rows = []
    for student in students:
        results = []
        for a in assignments:
            pair = (a.id, student.user_id)
            published_at = essays.published_at.get(pair)
            results.append(result_of(a, grades.get(pair), published_at, counts.get(pair, 0), pair in excused,
                                     essay_due(book, *pair)))
        rows.append(GradebookRow(student.person, tuple(results)))
    return Gradebook(items, tuple(rows))


@dataclass(frozen=True)
class MyGrade:
    """One assignment on a student's My grades page; scores only once released."""

    assignment: Assignment
    released: bool
    result: AssignmentResult | None = None
    rubric: tuple[tuple[RubricCriterion, float | None], ...] = ()
    feedback_html: str = ""
    grade: Grade | None = None

    @property
    def unseen(self) -> bool:
        """Released, and changed since its student last opened My grades (or never opened since)."""
        return self.released and self.grade is not None and self.grade.seen_version != self.grade.version


def student_report(course: Course, student_id: int) -> list[MyGrade]:
    assignments = course_assignments(course.id)
    released = [a for a in assignments if a.grades_released_at is not None]
    if not released:
        return [MyGrade(a, False) for a in assignments]
    released_ids = [a.id for a in released]
    criteria = db.session.scalars(
        select(RubricCriterion)
        .where(RubricCriterion.assignment_id.in_(released_ids))
        .order_by(RubricCriterion.position, RubricCriterion.id)
    ).all()
    grades = _grades(course.id, student_id=student_id)
    essays = _essays(course.id, student_id=student_id)
    excused = _excused(course.id, student_id=student_id)
    counts = qualifying_comment_counts(course.id, student_id=student_id)
    book = load_deadline_book(released, [student_id])
    report = []
    for a in assignments:
        if a.grades_released_at is None:
            report.append(MyGrade(a, False))
            continue
        pair = (a.id, student_id)
        grade = grades.get(pair)
        result = result_of(a, grade, essays.published_at.get(pair), counts.get(pair, 0), pair in excused,
                           essay_due(book, *pair))
        awarded = (grade.rubric_scores or {}) if grade else {}
        rubric = tuple((c, awarded.get(str(c.id))) for c in criteria if c.assignment_id == a.id)
        report.append(MyGrade(a, True, result, rubric, grade.feedback_html if grade else "", grade))
    return report


def mark_seen(report: list[MyGrade]) -> None:
    """Record that the student has seen each grade of `report` at the version shown, in one statement. A grade
    changed by staff since it was read keeps its new version unseen; the grade's own version (staff's check that
    no one else saved meanwhile) does not change."""
    shown = [(item.grade.id, item.grade.version) for item in report if item.unseen]
    if shown:
        db.session.execute(
            update(Grade).where(tuple_(Grade.id, Grade.version).in_(shown)).values(seen_version=Grade.version)
            .execution_options(synchronize_session=False)
        )


@dataclass(frozen=True)
class Progress:
    assignment: Assignment
    graded: int
    criteria: int


@dataclass(frozen=True)
class ClassCount:
    students: int
    without_lms_ids: int  # Canvas can match these only by their exact name


def _has_no_lms_id():
    return ~or_(*(func.coalesce(func.trim(column), "") != "" for column in
                  (Enrollment.canvas_user_id, Enrollment.sis_user_id, Enrollment.sis_login_id)))


def grading_progress(course: Course) -> tuple[list[Progress], ClassCount]:
    """Per assignment: grades saved for current students, and rubric criteria; and the class's size."""
    assignments = course_assignments(course.id)
    is_current = _current_students(course.id)
    current = select(Enrollment.user_id).where(*is_current)
    graded = dict(
        db.session.execute(
            select(Grade.assignment_id, func.count(Grade.id))
            .join(Assignment)
            .where(Assignment.course_id == course.id, Grade.post_score.is_not(None), Grade.student_id.in_(current))
            .group_by(Grade.assignment_id)
        ).all()
    )
    criteria = dict(
        db.session.execute(
            select(RubricCriterion.assignment_id, func.count(RubricCriterion.id))
            .join(Assignment)
            .where(Assignment.course_id == course.id)
            .group_by(RubricCriterion.assignment_id)
        ).all()
    )
    students, without_ids = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((_has_no_lms_id(), 1), else_=0)), 0)).where(*is_current)
    ).one()
    return ([Progress(a, graded.get(a.id, 0), criteria.get(a.id, 0)) for a in assignments],
            ClassCount(students, without_ids))


def is_excused(assignment_id: int, student_id: int) -> bool:
    return db.session.scalar(
        select(Excusal.id).where(Excusal.assignment_id == assignment_id, Excusal.user_id == student_id)
    ) is not None
