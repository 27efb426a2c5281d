"""A student's checklist of required comments, per assignment: what counts, what was late, what is left."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, cast, func, literal, null, select, union_all

from coursesite.extensions import db
from coursesite.models import Assignment, Comment, Course, Enrollment, PeerAssignment, Post, User, utcnow
from coursesite.models.types import UTCDateTime
from coursesite.participation.deadlines import comment_deadlines
from coursesite.participation.facts import EssayInfo, ParticipationData, load_course_participation
from coursesite.participation.rules import LENGTH_DECIDES, Judged, Verdict

REASONS = {
    Verdict.TOO_SHORT: "shorter than {m} words",
    Verdict.OWN_ESSAY: "on your own essay",
    Verdict.NOT_A_STUDENT_ESSAY: "not on a student's essay",
    Verdict.NOT_ASSIGNED: "not on an essay assigned to you",
    Verdict.NOT_PUBLISHED: "the essay is not published",
    Verdict.OVER_CAP: "another comment of yours on this essay already counts",
}

# The same verdicts as staff read them on the grading page.
STAFF_WORDS = {
    Verdict.ON_TIME: "on time",
    Verdict.LATE: "late",
    Verdict.TOO_SHORT: "too short: under {m} words",
    Verdict.OWN_ESSAY: "own essay",
    Verdict.NOT_A_STUDENT_ESSAY: "not on a student's essay",
    Verdict.NOT_ASSIGNED: "not an essay assigned to them",
    Verdict.NOT_PUBLISHED: "essay not published",
    Verdict.OVER_CAP: "beyond the per-essay cap",
}


@dataclass
class WrittenComment:
    comment_id: int
    essay: EssayInfo
    at: datetime | None
    words: int
    excerpt: str
    note: str | None = None
    verdict: Verdict | None = None
    status: str = "visible"  # visible | held | hidden

    def staff_verdict(self, min_words: int) -> str:
        """The verdict in the grading page's words: "on time", "held", "beyond the per-essay cap"…"""
        if self.verdict == Verdict.NOT_SHOWN:
            return self.status
        return STAFF_WORDS[self.verdict].format(m=min_words) if self.verdict in STAFF_WORDS else ""


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
    more_waiting: int = 0  # open mode: essays waiting beyond the ones listed
    deadline_passed: bool = False  # open mode: no essays are listed once the student's comment deadline is past

    @property
    def complete(self) -> bool:
        return self.done >= self.required

    def missed(self, now: datetime) -> bool:
        """Short of the required comments once the student's own deadline has passed."""
        return not self.complete and self.deadline is not None and self.deadline < now


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
    return WrittenComment(c.comment_id, data.essay_info[c.post_id], at, c.words, excerpts.get(c.comment_id, ""), note,
                          judged.verdict, c.status)


def checklists(course: Course, student_id: int, overrides: Mapping[tuple[int, int], datetime] | None = None,
               now: datetime | None = None, waiting_for: Collection[int] | None = None) -> list[Checklist]:
    """Every assignment of the course that asks for comments, as this student stands on it.

    Without `overrides`, the student's own comment deadlines (extension, section, extra time) are read.
    Open mode lists the classmates' essays waiting for a comment only while the student's comment deadline has
    not passed, and only for the assignments in `waiting_for` (None: all of them): ranking the essays means
    counting every essay's comments, and a class of 3,000 writes 3,000 essays per assignment.
    """
    if overrides is None:
        overrides = comment_deadlines(course.id, [student_id])
    now = now or utcnow()
    data = load_course_participation(course, overrides, student_id=student_id, now=now)
    mine = [c for c in data.comments_by_author.get(student_id, []) if not c.deleted]
    excerpts = _excerpts([c.comment_id for c in mine])
    ordered = sorted(data.assignments.values(), key=lambda a: (a.comments_due_at is None, a.comments_due_at, a.id))
    asking = [a for a in ordered if data.requirements[a.id].required > 0]
    tallies = {a.id: data.tally(a.id, student_id) for a in asking}
    passed = {a.id for a in asking if _passed(data.deadline(a.id, student_id), now)}
    wanted = [a for a in asking if waiting_for is None or a.id in waiting_for]
    waiting_lists = essays_waiting(
        course.id, student_id,
        [Owed(a.id, a.peer_mode == "assigned", data.deadline(a.id, student_id)) for a in wanted],
        set().union(*(tallies[a.id].counted_post_ids() for a in wanted)), now,
    )
    lists = []
    for assignment in asking:
        requirement = data.requirements[assignment.id]
        tally = tallies[assignment.id]
        waiting, more = waiting_lists.get(assignment.id, ([], 0))
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
            waiting=waiting,
            more_waiting=more,
            deadline_passed=assignment.id in passed,
        ))
    return lists


def _passed(deadline: datetime | None, now: datetime) -> bool:
    return deadline is not None and deadline < now


def checklist_of(course: Course, student_id: int, assignment_id: int,
                 overrides: Mapping[tuple[int, int], datetime] | None = None) -> Checklist | None:
    """One assignment's checklist (None when it asks for no comments): the grading page shows it beside the
    comment score, each comment with its verdict (no essays waiting). `overrides` as for checklists()."""
    return next((c for c in checklists(course, student_id, overrides, waiting_for=())
                 if c.assignment.id == assignment_id), None)


def length_decides(course: Course, student_id: int, comment: Comment) -> bool:
    """Whether the student's `comment` counts toward its essay's assignment, or would with the assignment's
    minimum words: its length then decides. Not so for a comment on their own essay, say (My comments' verdict)."""
    assignment = comment.post.assignment
    if assignment is None or not assignment.min_comment_words:
        return False
    checklist = checklist_of(course, student_id, assignment.id)
    written = checklist.counted + checklist.late + checklist.not_counted if checklist else []
    return any(w.comment_id == comment.id and w.verdict in LENGTH_DECIDES for w in written)


WAITING_LISTED = 10


class Owed(NamedTuple):
    """An assignment the student owes comments on, as the essays waiting for them depend on it."""

    assignment_id: int
    assigned_mode: bool
    deadline: datetime | None  # the student's own comment deadline


def essays_waiting(course_id: int, student_id: int, owed: Collection[Owed], done: set[int], now: datetime,
                   limit: int = WAITING_LISTED) -> dict[int, tuple[list[WaitingEssay], int]]:
    """Per assignment, the essays waiting for the student's comment, leaving out those their comments already
    count on (`done`), and how many more wait. Open mode: the `limit` classmates' live essays with the fewest
    shown comments, oldest first among equals, until the student's comment deadline. Assigned mode: the essays
    given to the student, by title.

    One statement for the course: each open assignment's first `limit` by a LIMIT, counting the ones left out
    with a window, the essays' shown comments counted from their own index; in a class of 3,000 nobody reads a
    list of 3,000 essays, and none is read into Python to sort."""
    open_ids = [o.assignment_id for o in owed if not o.assigned_mode and not _passed(o.deadline, now)]
    assigned_ids = [o.assignment_id for o in owed if o.assigned_mode]
    if not (open_ids or assigned_ids):
        return {}
    shown = (
        # count(*), not of the ids: the shown comments' index then answers alone, reading no comment's row.
        select(func.count())
        .select_from(Comment)
        .where(Comment.post_id == Post.id, Comment.status == "visible", Comment.deleted_at.is_(None))
        .scalar_subquery()
        .label("comments")  # ordered by its label: counted once per essay
    )
    students = select(Enrollment.user_id).where(Enrollment.course_id == course_id, Enrollment.role == "student")
    no_date = cast(null(), UTCDateTime())
    # Each open assignment's first few by a LIMIT on the few columns the choice needs; titles and names are read
    # for the listed essays only.
    parts = [
        select(Post.id, Post.assignment_id, shown, Post.published_at, no_date.label("due_at"),
               func.count().over().label("waiting"))
        .where(*_classmates_essays([assignment_id], student_id, done, now, students))
        .order_by(shown, Post.published_at, Post.id)
        .limit(limit)
        .subquery()
        for assignment_id in open_ids
    ]
    if assigned_ids:
        parts.append(
            select(Post.id, PeerAssignment.assignment_id, shown, Post.published_at, PeerAssignment.due_at,
                   literal(0).label("waiting"))
            .join(PeerAssignment, PeerAssignment.post_id == Post.id)
            .where(PeerAssignment.reviewer_id == student_id, PeerAssignment.assignment_id.in_(assigned_ids),
                   Post.course_id == course_id, Post.assignment_id.is_not(None), Post.id.not_in(done))
            .subquery()
        )
    first = union_all(*(select(part) for part in parts)).subquery()
    rows = db.session.execute(
        select(Post.id, Post.title, Post.slug, Post.author_id, first.c.assignment_id,
               func.coalesce(Enrollment.course_name, User.display_name).label("author_name"), first.c.comments,
               first.c.published_at, first.c.due_at, first.c.waiting, and_(*_live(now)).label("live"))
        .join(first, first.c.id == Post.id)
        .join(User, User.id == Post.author_id)
        .outerjoin(Enrollment, and_(Enrollment.user_id == Post.author_id, Enrollment.course_id == course_id))
    ).all()
    return _waiting_lists(rows, set(assigned_ids))


def _waiting_lists(rows, assigned: set[int]) -> dict[int, tuple[list[WaitingEssay], int]]:
    """A union keeps no order: each open list is put back in the order its LIMIT chose by, given essays by title."""
    by_assignment: dict[int, list] = defaultdict(list)
    for row in rows:
        by_assignment[row.assignment_id].append(row)
    lists = {}
    for assignment_id, found in by_assignment.items():
        if assignment_id in assigned:
            found.sort(key=lambda row: row.title.lower())
        else:
            found.sort(key=lambda row: (row.comments, row.published_at, row.id))
        essays = [WaitingEssay(EssayInfo(row.id, row.title, row.slug, row.author_id, row.author_name, assignment_id,
                                         bool(row.live)), row.comments, row.due_at) for row in found]
        lists[assignment_id] = (essays, 0 if assignment_id in assigned else found[0].waiting - len(essays))
    return lists


def _classmates_essays(assignment_ids: list[int], student_id: int, done: set[int], now: datetime,
                       students) -> tuple:
    """Classmates' live essays of these (one course's) assignments the student's comments do not count on yet:
    conditions the posts' (assignment, author, status, published, deleted) index answers alone."""
    return (Post.assignment_id.in_(assignment_ids), *_live(now), Post.author_id != student_id, Post.id.not_in(done),
            Post.author_id.in_(students))


def _live(now: datetime) -> tuple:
    """An essay readable on the blog now."""
    return Post.status == "published", Post.published_at <= now, Post.deleted_at.is_(None)
