"""A student's checklist of required comments, per assignment: what counts, what was late, what is left."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Assignment, Comment, Course
from .deadline_book import comment_deadlines, load_deadline_book
from .participation import Judged, Verdict
from .participation_data import EssayInfo, ParticipationData, load_course_participation

REASONS = {
    Verdict.TOO_SHORT: "shorter than {m} words",
    Verdict.OWN_ESSAY: "on your own essay",
    Verdict.NOT_A_STUDENT_ESSAY: "not on a student's essay",
    Verdict.NOT_ASSIGNED: "not on an essay assigned to you",
    Verdict.NOT_PUBLISHED: "the essay is not published",
    Verdict.OVER_CAP: "another comment of yours on this essay already counts",
}


@dataclass
class WrittenComment:
    comment_id: int
    essay: EssayInfo
    at: datetime | None
    words: int
    excerpt: str
    note: str | None = None


@dataclass
class WaitingEssay:
    essay: EssayInfo
    comments: int
    due_at: datetime | None = None


@dataclass
class Checklist:
    assignment: Assignment
    required: int
    done: int
    min_words: int
    deadline: datetime | None
    assigned_mode: bool
    counted: list[WrittenComment]
    late: list[WrittenComment]
    not_counted: list[WrittenComment]
    waiting: list[WaitingEssay]


def _excerpts(comment_ids: list[int]) -> dict[int, str]:
    if not comment_ids:
        return {}
    rows = db.session.execute(select(Comment.id, Comment.body).where(Comment.id.in_(comment_ids)))
    out = {}
    for cid, body in rows:
        text = " ".join(body.split())
        out[cid] = text if len(text) <= 140 else text[:137].rstrip() + "…"
    return out


def _written(judged: Judged, data: ParticipationData, excerpts: dict[int, str], min_words: int) -> WrittenComment:
    c = judged.comment
    note = None
    if judged.verdict in REASONS:
        note = REASONS[judged.verdict].format(m=min_words)
    elif judged.verdict == Verdict.NOT_SHOWN:
        note = "awaiting approval" if c.status == "held" else "hidden by the course staff"
    at = judged.reached_at or (c.revisions[0].at if c.revisions else None)
    return WrittenComment(c.comment_id, data.essay_info[c.post_id], at, c.words, excerpts.get(c.comment_id, ""), note)


def checklists(course: Course, student_id: int, overrides: Mapping[tuple[int, int], datetime] | None = None,
               now: datetime | None = None) -> list[Checklist]:
    """Every assignment of the course that asks for comments, as this student stands on it.

    Without `overrides`, the student's own comment deadlines (extension, section, extra time) are read.
    """
    if overrides is None:
        assignments = db.session.scalars(select(Assignment).where(Assignment.course_id == course.id)).all()
        overrides = comment_deadlines(load_deadline_book(assignments, [student_id]), assignments)
    data = load_course_participation(course, overrides, student_id=student_id, now=now)
    mine = [c for c in data.comments_by_author.get(student_id, []) if not c.deleted]
    excerpts = _excerpts([c.comment_id for c in mine])
    lists = []
    ordered = sorted(data.assignments.values(), key=lambda a: (a.comments_due_at is None, a.comments_due_at, a.id))
    for assignment in ordered:
        requirement = data.requirements[assignment.id]
        if requirement.required <= 0:
            continue
        tally = data.tally(assignment.id, student_id)
        m = requirement.min_words
        shown_not_counted = [j for j in tally.not_counted if not j.comment.deleted
                             and j.verdict != Verdict.OTHER_ASSIGNMENT]
        lists.append(Checklist(
            assignment=assignment,
            required=requirement.required,
            done=tally.done,
            min_words=m,
            deadline=data.deadline(assignment.id, student_id),
            assigned_mode=requirement.peer_mode == "assigned",
            counted=[_written(j, data, excerpts, m) for j in tally.on_time],
            late=[_written(j, data, excerpts, m) for j in tally.late],
            not_counted=[_written(j, data, excerpts, m) for j in shown_not_counted],
            waiting=_waiting(data, assignment.id, student_id, tally.counted_post_ids()),
        ))
    return lists


def _waiting(data: ParticipationData, assignment_id: int, student_id: int, done: set[int]) -> list[WaitingEssay]:
    """Assigned mode: the essays given to the student. Open mode: peers' essays, least answered first."""
    requirement = data.requirements[assignment_id]
    if requirement.peer_mode == "assigned":
        given = data.assigned_to(assignment_id, student_id)
        rows = [WaitingEssay(data.essay_info[pid], data.comment_counts.get(pid, 0), due)
                for pid, due in given.items() if pid in data.essay_info and pid not in done]
        return sorted(rows, key=lambda w: w.essay.title.lower())
    rows = [
        WaitingEssay(info, data.comment_counts.get(info.post_id, 0))
        for info in data.essays_of(assignment_id)
        if info.live and info.author_id != student_id and info.post_id not in done
        and data.essays[info.post_id].author_is_student
    ]
    return sorted(rows, key=lambda w: (w.comments, w.essay.title.lower()))
