"""Required comments: which comments qualify for an assignment, and the comment score.

Pure functions of plain values (docs/design.md#participation-rules). A comment qualifies for assignment A
when it is on a published essay of A by another student, has at least M words, is not hidden, held or
deleted, and reached M words by the student's comment deadline; its time is that of the first revision
with M words (and none shorter after it), so padding a short comment late does not make it on
time. Late ones are counted apart.
In `assigned` mode only the essays given to the student count. At most `per_essay` qualifying comments
per essay count toward K. A comment keeps its credit if the essay is later trashed.
These functions are the specification: the counts pages show come from one SQL statement
(participation/counts.py) held equal to them by tests/functional/participation/test_participation_engine.py;
participation/facts.py loads one student's values to list their comments with these verdicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple


class Verdict(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    TOO_SHORT = "too_short"
    OWN_ESSAY = "own_essay"
    NOT_A_STUDENT_ESSAY = "not_a_student_essay"
    NOT_ASSIGNED = "not_assigned"
    NOT_PUBLISHED = "not_published"
    OTHER_ASSIGNMENT = "other_assignment"
    NOT_SHOWN = "not_shown"  # hidden, held or deleted
    OVER_CAP = "over_cap"  # qualifies, but the essay's share is already counted


# The verdicts a comment's length alone can change: it counts, or would with M words.
LENGTH_DECIDES = frozenset({Verdict.ON_TIME, Verdict.LATE, Verdict.TOO_SHORT})


@dataclass(frozen=True)
class Revision:
    at: datetime
    words: int


@dataclass(frozen=True)
class EssayFacts:
    post_id: int
    author_id: int
    assignment_id: int | None
    published: bool  # published and its time has come; trashing later does not undo this
    author_is_student: bool = True


def essay_published(status: str, published_at: datetime | None, now: datetime) -> bool:
    """`EssayFacts.published`: published and its time has come (trashing it later does not undo this)."""
    return status == "published" and published_at is not None and published_at <= now


@dataclass(frozen=True)
class CommentFacts:
    comment_id: int
    author_id: int
    post_id: int
    words: int  # current word count
    revisions: tuple[Revision, ...]  # oldest first; the first is the comment as created
    status: str = "visible"  # visible | held | hidden
    deleted: bool = False


@dataclass(frozen=True)
class Requirement:
    assignment_id: int
    required: int  # K
    min_words: int  # M
    per_essay: int = 1
    points: float = 0.0
    peer_mode: str = "open"  # open | assigned
    comments_due_at: datetime | None = None


@dataclass(frozen=True)
class Judged:
    comment: CommentFacts
    verdict: Verdict
    reached_at: datetime | None  # when it first had M words


@dataclass(frozen=True)
class Tally:
    student_id: int
    required: int
    on_time: tuple[Judged, ...]
    late: tuple[Judged, ...]
    not_counted: tuple[Judged, ...] = field(default=())

    @property
    def qualifying(self) -> int:
        return len(self.on_time)

    @property
    def done(self) -> int:
        return done_of_required(self.qualifying, self.required)

    @property
    def complete(self) -> bool:
        return self.qualifying >= self.required

    def counted_post_ids(self) -> set[int]:
        return {j.comment.post_id for j in self.on_time + self.late}

    def counted(self, post_id: int) -> Counted:
        """What the comment box on essay `post_id` needs of this tally."""
        return Counted(self.qualifying, sum(1 for j in self.on_time + self.late if j.comment.post_id == post_id))


def done_of_required(qualifying: int, required: int) -> int:
    """Comments counted on time, shown as "done of required": never more than K."""
    return min(qualifying, required)


def long_enough(words: int, min_words: int) -> bool:
    """A comment of `words` words can count for an assignment asking for `min_words` (M)."""
    return words >= min_words


def reached_words_at(comment: CommentFacts, min_words: int) -> datetime | None:
    """When the comment first had `min_words` words for good; None if it is short now.

    That is the first revision with M words after which no revision fell below M again: cutting a
    comment and padding it back after the deadline does not borrow the old time.
    """
    if not long_enough(comment.words, min_words):
        return None
    reached = None
    for revision in comment.revisions:
        if not long_enough(revision.words, min_words):
            reached = None
        elif reached is None:
            reached = revision.at
    return reached if reached is not None else (comment.revisions[-1].at if comment.revisions else None)


def judge_comment(
    comment: CommentFacts,
    essay: EssayFacts,
    student_id: int,
    requirement: Requirement,
    deadline: datetime | None,
    assigned: Mapping[int, datetime | None] | None = None,
) -> Judged:
    """One comment's verdict for one student, before the per-essay cap.

    `assigned` maps the post ids given to the student (assigned mode) to an own deadline for that
    essay, or None to use `deadline`.
    """

    def verdict(v: Verdict, at: datetime | None = None) -> Judged:
        return Judged(comment, v, at)

    if essay.assignment_id != requirement.assignment_id:
        return verdict(Verdict.OTHER_ASSIGNMENT)
    if essay.author_id == student_id:
        return verdict(Verdict.OWN_ESSAY)
    if not essay.author_is_student:
        return verdict(Verdict.NOT_A_STUDENT_ESSAY)
    if not essay.published:
        return verdict(Verdict.NOT_PUBLISHED)
    if comment.deleted or comment.status != "visible":
        return verdict(Verdict.NOT_SHOWN)
    if requirement.peer_mode == "assigned":
        if assigned is None or essay.post_id not in assigned:
            return verdict(Verdict.NOT_ASSIGNED)
        own_deadline = assigned[essay.post_id]
        if own_deadline is not None and (deadline is None or own_deadline > deadline):
            deadline = own_deadline
    reached = reached_words_at(comment, requirement.min_words)
    if reached is None:
        return verdict(Verdict.TOO_SHORT)
    if deadline is not None and reached > deadline:
        return verdict(Verdict.LATE, reached)
    return verdict(Verdict.ON_TIME, reached)


def tally_student(
    student_id: int,
    requirement: Requirement,
    comments: Iterable[CommentFacts],
    essays: Mapping[int, EssayFacts],
    deadline: datetime | None,
    assigned: Mapping[int, datetime | None] | None = None,
) -> Tally:
    """Count the student's comments toward K: on time first, then late ones, each essay capped."""
    judged = []
    for comment in comments:
        essay = essays.get(comment.post_id)
        if comment.author_id != student_id or essay is None:
            continue
        judged.append(judge_comment(comment, essay, student_id, requirement, deadline, assigned))
    # Earliest first, so the cap keeps the comments that counted first.
    judged.sort(key=lambda j: (j.reached_at is None, j.reached_at or datetime.min, j.comment.comment_id))
    per_essay: dict[int, int] = {}
    on_time, late, rest = [], [], []
    for wanted, bucket in ((Verdict.ON_TIME, on_time), (Verdict.LATE, late)):
        for j in judged:
            if j.verdict != wanted:
                continue
            used = per_essay.get(j.comment.post_id, 0)
            if used >= max(requirement.per_essay, 0):
                rest.append(Judged(j.comment, Verdict.OVER_CAP, j.reached_at))
                continue
            per_essay[j.comment.post_id] = used + 1
            bucket.append(j)
    rest.extend(j for j in judged if j.verdict not in (Verdict.ON_TIME, Verdict.LATE))
    return Tally(student_id, requirement.required, tuple(on_time), tuple(late), tuple(rest))


def comment_score(points: float, qualifying: int, required: int) -> float:
    """Comment points × min(1, qualifying / K); full points when nothing is required."""
    if points <= 0:
        return 0.0
    if required <= 0:
        return float(points)
    return float(points) * min(1.0, max(qualifying, 0) / required)


def deadline_for(requirement: Requirement, student_id: int,
                 overrides: Mapping[int, datetime] | None = None) -> datetime | None:
    """The student's comment deadline: their own (extension, section, accommodation) else the assignment's."""
    if overrides and student_id in overrides:
        return overrides[student_id]
    return requirement.comments_due_at


@dataclass(frozen=True)
class Hint:
    counts: bool
    text: str


class Counted(NamedTuple):
    """What the comment box needs of a student's tally for an assignment: comments counted on time, and
    comments counted (on time or late) on the essay being read."""

    on_time: int
    here: int


def comment_hint(
    student_id: int,
    essay: EssayFacts,
    requirement: Requirement,
    title: str,
    counted: Counted,
    deadline: datetime | None,
    now: datetime,
    assigned: Mapping[int, datetime | None] | None = None,
) -> Hint:
    """What the comment box tells a student: will a new comment here count toward the assignment?"""
    done = f"{done_of_required(counted.on_time, requirement.required)} of {requirement.required} done"
    if essay.author_id == student_id:
        return Hint(False, f"Your own essay: does not count toward {title}.")
    if not essay.author_is_student:
        return Hint(False, f"Not a student's essay: does not count toward {title}.")
    if requirement.required <= 0:
        return Hint(False, f"{title} requires no comments.")
    if requirement.peer_mode == "assigned" and (assigned is None or essay.post_id not in assigned):
        return Hint(False, f"Not one of the essays assigned to you: does not count toward {title} ({done}).")
    if counted.here and counted.here >= requirement.per_essay:
        return Hint(False, f"Your comment here already counts toward {title} ({done}).")
    if counted.on_time >= requirement.required:
        return Hint(False, f"You have done all {requirement.required} for {title}; more comments are welcome.")
    own = (assigned or {}).get(essay.post_id)
    if own is not None and (deadline is None or own > deadline):
        deadline = own
    words = f" once it has {requirement.min_words} words" if requirement.min_words else ""
    if deadline is not None and now > deadline:
        return Hint(True, f"The comment deadline has passed: this will count as late toward {title}{words} ({done}).")
    return Hint(True, f"This will count toward {title}{words}: {done}.")
