"""A student's This week for one course: what is due by their own deadlines, what they missed, and the
grades released lately. Deadlines come from the deadline book (extension, section, accommodation); comment
counts, and the essays they count on, from the participation engine essay by essay; the essays to read next
are the My comments checklist's."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from coursesite.coursework import assignments as assignment_service
from coursesite.extensions import db
from coursesite.grading.reports import MyGrade, student_report
from coursesite.models import Assignment, Course
from coursesite.participation.checklist import Owed, WaitingEssay, essays_waiting
from coursesite.participation.counts import Counts, essay_counts, total
from coursesite.participation.deadline_rules import EssayState
from coursesite.participation.deadlines import WorkItem, load_deadline_book
from coursesite.participation.rules import done_of_required

AHEAD = timedelta(days=7)  # "this week": a deadline within the next seven days
GRADES_NEW_FOR = timedelta(days=14)
ESSAYS_SUGGESTED = 3


@dataclass(frozen=True)
class CommentsOwed:
    required: int
    done: int
    due: datetime | None
    assigned_mode: bool
    counted_on: frozenset[int] = frozenset()  # the essays the student's comments count on
    waiting: tuple[WaitingEssay, ...] = ()

    @property
    def complete(self) -> bool:
        return self.done >= self.required

    def missed(self, now: datetime) -> bool:
        return not self.complete and self.due is not None and self.due < now


@dataclass(frozen=True)
class WeekItem:
    assignment: Assignment
    work: WorkItem
    comments: CommentsOwed | None
    now: datetime

    @property
    def excused(self) -> bool:
        return self.work.status.state is EssayState.EXCUSED

    @property
    def essay_missed(self) -> bool:
        return self.work.status.is_missing

    @property
    def comments_missed(self) -> bool:
        return not self.excused and self.comments is not None and self.comments.missed(self.now)

    @property
    def essay_owed(self) -> bool:
        """Nothing published yet, and not missed: still to write."""
        return self.work.status.state in (EssayState.NOT_STARTED, EssayState.DRAFT)

    @property
    def missed(self) -> bool:
        return self.essay_missed or self.comments_missed

    def deadlines_ahead(self) -> list[datetime]:
        """The student's own deadlines of this assignment still to come."""
        own = (self.work.deadlines.post, self.comments.due if self.comments else None)
        return sorted(d for d in own if d is not None and d >= self.now)

    @property
    def due_this_week(self) -> bool:
        ahead = self.deadlines_ahead()
        return bool(ahead) and ahead[0] <= self.now + AHEAD

    @property
    def next_deadline(self) -> datetime | None:
        ahead = self.deadlines_ahead()
        return ahead[0] if ahead else None


@dataclass
class CourseWeek:
    course: Course
    due: list[WeekItem] = field(default_factory=list)
    missed: list[WeekItem] = field(default_factory=list)
    later: list[WeekItem] = field(default_factory=list)
    grades: list[MyGrade] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.due or self.missed or self.later or self.grades)


def course_week(course: Course, student_id: int, now: datetime) -> CourseWeek:
    """This week of one course for one student (who is a student of it)."""
    listed = [a for a in db.session.scalars(assignment_service.assignments_query(course)).all()
              if assignment_service.is_open(a, now)]
    book = load_deadline_book(listed, [student_id])
    counted = essay_counts(course.id, [student_id], now)
    items = [_item(a, book.item(a.id, student_id, now), counted.get((a.id, student_id), {}), now) for a in listed]
    week = CourseWeek(course)
    for item in items:
        if item.due_this_week:
            week.due.append(item)
        elif item.missed:
            week.missed.append(item)
        elif not item.excused and (item.next_deadline is not None or item.essay_owed):
            week.later.append(item)
    week.due.sort(key=lambda i: i.next_deadline)
    week.later.sort(key=lambda i: (i.next_deadline is None, i.next_deadline or now, i.assignment.id))
    _suggest_essays(course, student_id, week.due, now)
    week.grades = [g for g in student_report(course, student_id)
                   if g.released and g.assignment.grades_released_at >= now - GRADES_NEW_FOR]
    return week


def _item(assignment: Assignment, work: WorkItem, counted: dict[int, Counts], now: datetime) -> WeekItem:
    comments = None
    if assignment.required_comments > 0:
        done = done_of_required(total(counted).on_time, assignment.required_comments)
        comments = CommentsOwed(assignment.required_comments, done,
                                work.deadlines.comments, assignment.peer_mode == "assigned", frozenset(counted))
    return WeekItem(assignment, work, comments, now)


def _suggest_essays(course: Course, student_id: int, items: list[WeekItem], now: datetime) -> None:
    """Links to the classmates' essays to comment on next: those with the fewest comments (open mode) or
    the student's assigned ones, for the assignments due this week still short of comments."""
    short = [i for i in items if i.comments is not None and not i.comments.complete and not i.excused]
    if not short:
        return
    waiting = essays_waiting(course.id, student_id,
                             [Owed(i.assignment.id, i.comments.assigned_mode, i.comments.due) for i in short],
                             set().union(*(i.comments.counted_on for i in short)), now, limit=ESSAYS_SUGGESTED)
    for position, item in enumerate(items):
        if item in short and item.assignment.id in waiting:
            essays = tuple(waiting[item.assignment.id][0][:ESSAYS_SUGGESTED])
            items[position] = replace(item, comments=replace(item.comments, waiting=essays))
