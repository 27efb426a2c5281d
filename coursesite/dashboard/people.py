"""The per-student timeline and the per-assignment essay list, from CourseFacts (fixed statement count)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coursesite.dashboard.facts import CourseFacts, GradeInfo, StudentInfo
from coursesite.dashboard.matrix import Cell, build_cell, build_cells
from coursesite.models import Assignment
from coursesite.participation.deadline_rules import Deadlines
from coursesite.participation.rules import Verdict

VERDICT_TEXT = {
    Verdict.ON_TIME: "On time, counts",
    Verdict.LATE: "Late",
    Verdict.TOO_SHORT: "Too short to count",
    Verdict.OWN_ESSAY: "On own essay",
    Verdict.NOT_A_STUDENT_ESSAY: "Not on a student essay",
    Verdict.NOT_ASSIGNED: "Not an assigned essay",
    Verdict.NOT_PUBLISHED: "Essay not published",
    Verdict.OTHER_ASSIGNMENT: "Other assignment",
    Verdict.NOT_SHOWN: "Hidden, held or deleted",
    Verdict.OVER_CAP: "Beyond the per-essay count",
}


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # "post" | "given" | "received"
    title: str
    post_slug: str | None
    words: int
    status: str  # text shown: "On time", "Late by 2 h", "Draft", "Too short to count", ...
    tone: str  # "ok" | "warn" | "bad" | "plain": a CSS hint beside the text, never alone
    other: str = ""  # whom they commented on, or who commented
    comment_id: int | None = None


@dataclass(frozen=True)
class GradeLine:
    assignment: Assignment
    grade: GradeInfo | None
    cell: Cell
    deadlines: Deadlines  # the student's own: section, extension and extra time included


@dataclass(frozen=True)
class StudentPage:
    student: StudentInfo
    events: list[Event]
    grades: list[GradeLine]
    given: int
    received: int


def student_page(facts: CourseFacts, user_id: int) -> StudentPage | None:
    """From the facts load_course_facts(..., student_ids=[user_id]) reads: that student's, and `received`."""
    student = facts.student(user_id)
    if student is None:
        return None
    data = facts.participation
    cells = build_cells(facts, student, facts.essays_by_pair())
    events = [_post_event(facts, post, cells) for post in facts.posts if post.author_id == user_id
              and not post.deleted]
    verdicts = {}
    for a in facts.assignments:
        tally = data.tally(a.id, user_id)
        for judged in tally.on_time + tally.late + tally.not_counted:
            verdicts[judged.comment.comment_id] = judged.verdict
    given = received = 0
    for c in data.comments_by_author.get(user_id, []):
        essay = data.essay_info.get(c.post_id)
        if essay is None or c.deleted:
            continue
        given += 1
        verdict = verdicts.get(c.comment_id, Verdict.NOT_SHOWN if c.status != "visible" else None)
        status = VERDICT_TEXT.get(verdict, "Not counted") if verdict else "Not counted"
        tone = "ok" if verdict == Verdict.ON_TIME else "warn" if verdict == Verdict.LATE else "plain"
        events.append(Event(c.revisions[0].at, "given", essay.title, essay.slug, c.words, status, tone,
                            essay.author_name, c.comment_id))
    for r in facts.received:
        essay = data.essay_info.get(r.post_id)
        if essay is None:
            continue
        received += 1
        events.append(Event(r.created_at, "received", essay.title, essay.slug, r.words,
                            "Shown" if r.status == "visible" else r.status.capitalize(), "plain",
                            facts.names.get(r.author_id, "Someone"), r.comment_id))
    events.sort(key=lambda e: (e.at, e.kind), reverse=True)
    grades = [GradeLine(a, facts.grades.get((a.id, user_id)), c, facts.deadlines.deadlines(a.id, user_id))
              for a, c in zip(facts.assignments, cells, strict=True)]
    return StudentPage(student, events, grades, given, received)


def _post_event(facts: CourseFacts, post, cells: tuple[Cell, ...]) -> Event:
    at = post.published_at or post.created_at
    if post.status != "published":
        return Event(at, "post", post.title, None, post.word_count, "Draft", "plain")
    if post.published_at and post.published_at > facts.now:
        return Event(at, "post", post.title, None, post.word_count, "Scheduled", "plain")
    cell = next((c for c in cells if c.assignment.id == post.assignment_id), None)
    if cell is None or cell.post is None or cell.post.post_id != post.post_id:
        return Event(at, "post", post.title, post.slug, post.word_count, "Posted", "plain")
    tone = {"on_time": "ok", "submitted": "ok", "late": "warn"}.get(cell.essay.kind, "plain")
    return Event(at, "post", post.title, post.slug, post.word_count, cell.essay.label, tone)


@dataclass(frozen=True)
class EssayLine:
    student: StudentInfo
    cell: Cell
    received: int  # comments shown on the essay


def assignment_page(facts: CourseFacts, assignment: Assignment) -> list[EssayLine]:
    """Every current student's line for the assignment, by name."""
    essays = facts.essays_by_pair()
    lines = []
    for student in facts.students:
        cell = build_cell(facts, student, essays, assignment)
        received = facts.comment_counts.get(cell.post.post_id, 0) if cell.post else 0
        lines.append(EssayLine(student, cell, received))
    return lines
