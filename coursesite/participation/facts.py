"""The facts the participation rules need, for a course or one assignment, in a fixed number of queries.

The counts every page shows come from the SQL engine (participation/counts.py); these facts are for listing
one student's comments with their verdicts (My comments, the grading page, a student's dashboard page),
reading only the essays that student touches. Per-student comment deadlines
(extensions, section deadlines, accommodations) come in as `overrides`; without one the assignment's
comments_due_at applies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlalchemy import Select, and_, select, union

from coursesite.extensions import db
from coursesite.models import (
    Assignment,
    Comment,
    CommentRevision,
    Course,
    Enrollment,
    PeerAssignment,
    Post,
    User,
    utcnow,
)
from coursesite.participation.rules import (
    CommentFacts,
    EssayFacts,
    Requirement,
    Revision,
    Tally,
    essay_published,
    tally_student,
)


@dataclass(frozen=True)
class EssayInfo:
    post_id: int
    title: str
    slug: str
    author_id: int
    author_name: str
    assignment_id: int
    live: bool  # readable on the blog now


@dataclass
class ParticipationData:
    assignments: dict[int, Assignment]
    requirements: dict[int, Requirement]
    essays: dict[int, EssayFacts]
    essay_info: dict[int, EssayInfo]
    comments_by_author: dict[int, list[CommentFacts]]
    assigned: dict[tuple[int, int], dict[int, datetime | None]]
    overrides: Mapping[tuple[int, int], datetime] = field(default_factory=dict)

    def deadline(self, assignment_id: int, student_id: int) -> datetime | None:
        own = self.overrides.get((assignment_id, student_id))
        return own if own is not None else self.requirements[assignment_id].comments_due_at

    def assigned_to(self, assignment_id: int, student_id: int) -> dict[int, datetime | None]:
        return self.assigned.get((assignment_id, student_id), {})

    @cached_property
    def _comments_by_author_and_assignment(self) -> dict[tuple[int, int], list[CommentFacts]]:
        grouped: dict[tuple[int, int], list[CommentFacts]] = defaultdict(list)
        for author_id, comments in self.comments_by_author.items():
            for comment in comments:
                essay = self.essays.get(comment.post_id)
                if essay is not None:
                    grouped[(author_id, essay.assignment_id)].append(comment)
        return grouped

    def tally(self, assignment_id: int, student_id: int) -> Tally:
        """Only the student's comments on this assignment's essays: a matrix of S students × A assignments
        then judges each comment once, not A times."""
        requirement = self.requirements[assignment_id]
        assigned = self.assigned_to(assignment_id, student_id) if requirement.peer_mode == "assigned" else None
        return tally_student(
            student_id, requirement, self._comments_by_author_and_assignment.get((student_id, assignment_id), []),
            self.essays, self.deadline(assignment_id, student_id), assigned,
        )


def requirement_of(assignment: Assignment) -> Requirement:
    return Requirement(
        assignment_id=assignment.id,
        required=assignment.required_comments,
        min_words=assignment.min_comment_words,
        per_essay=assignment.comments_counted_per_essay,
        points=assignment.comment_points,
        peer_mode=assignment.peer_mode,
        comments_due_at=assignment.comments_due_at,
    )


def load_course_participation(course: Course, overrides: Mapping[tuple[int, int], datetime] | None = None,
                              student_id: int | None = None, now: datetime | None = None) -> ParticipationData:
    """Every assignment of the course; `overrides` maps (assignment id, student id) to a comment deadline."""
    ids = select(Assignment.id).where(Assignment.course_id == course.id)
    return _load(ids, overrides or {}, _one(student_id), now or utcnow())


def load_participation_by_ids(course_id: int, assignment_id: int | None = None,
                              student_ids: Collection[int] | None = None,
                              overrides: Mapping[tuple[int, int], datetime] | None = None,
                              now: datetime | None = None) -> ParticipationData:
    """The course's assignments (or one of them) by id, for callers holding ids rather than rows."""
    ids = select(Assignment.id).where(Assignment.course_id == course_id)
    if assignment_id is not None:
        ids = ids.where(Assignment.id == assignment_id)
    return _load(ids, overrides or {}, student_ids, now or utcnow())


def _one(student_id: int | None) -> tuple[int, ...] | None:
    return None if student_id is None else (student_id,)


def _load(ids: Select, overrides, student_ids: Collection[int] | None, now: datetime) -> ParticipationData:
    """With `student_ids`, those students' comments and only the essays they touch (commented on, wrote, were
    given to read): their tallies, read without every essay of a large class; nobody else's tally is whole."""
    assignments = {a.id: a for a in db.session.scalars(select(Assignment).where(Assignment.id.in_(ids)))}
    touched = _touched_by(student_ids) if student_ids is not None else None
    essays, info = _essays(ids, now, touched)
    comment_filter = [Post.assignment_id.in_(ids)]
    if student_ids is not None:
        comment_filter.append(Comment.author_id.in_(student_ids))
    # An unedited comment's one revision is its creation (same time, same words): only edited ones are read.
    revisions: dict[int, list[Revision]] = defaultdict(list)
    for comment_id, at, words in db.session.execute(
        select(CommentRevision.comment_id, CommentRevision.created_at, CommentRevision.word_count)
        .join(Comment, Comment.id == CommentRevision.comment_id)
        .join(Post, Post.id == Comment.post_id)
        .where(*comment_filter, Comment.edited_at.is_not(None))
        .order_by(CommentRevision.created_at, CommentRevision.id)
    ):
        revisions[comment_id].append(Revision(at, words))
    by_author: dict[int, list[CommentFacts]] = defaultdict(list)
    for cid, author_id, post_id, words, status, deleted_at, created_at in db.session.execute(
        select(Comment.id, Comment.author_id, Comment.post_id, Comment.word_count, Comment.status,
               Comment.deleted_at, Comment.created_at)
        .join(Post, Post.id == Comment.post_id)
        .where(*comment_filter)
        .order_by(Comment.created_at, Comment.id)
    ):
        history = tuple(revisions.get(cid) or [Revision(created_at, words)])
        facts = CommentFacts(cid, author_id, post_id, words, history, status, deleted_at is not None)
        by_author[author_id].append(facts)
    return ParticipationData(
        assignments=assignments,
        requirements={a.id: requirement_of(a) for a in assignments.values()},
        essays=essays,
        essay_info=info,
        comments_by_author=dict(by_author),
        assigned=_assigned(ids, student_ids),
        overrides=overrides,
    )


def _touched_by(student_ids: Collection[int]):
    # One set of essay ids rather than an OR of three tests: PostgreSQL guesses an OR of subqueries matches a
    # third of all essays and then reads every comment of the course.
    touched = [
        select(Post.id).where(Post.author_id.in_(student_ids)),
        select(Comment.post_id).where(Comment.author_id.in_(student_ids)),
        select(PeerAssignment.post_id).where(PeerAssignment.reviewer_id.in_(student_ids)),
    ]
    return Post.id.in_(union(*touched))


def _essays(ids: Select, now: datetime, only=None) -> tuple[dict[int, EssayFacts], dict[int, EssayInfo]]:
    essays: dict[int, EssayFacts] = {}
    info: dict[int, EssayInfo] = {}
    query = (
        select(Post.id, Post.author_id, Post.assignment_id, Post.status, Post.published_at, Post.deleted_at,
               Post.title, Post.slug, User.display_name, Enrollment.course_name, Enrollment.role)
        .join(User, User.id == Post.author_id)
        .outerjoin(Enrollment, and_(Enrollment.user_id == Post.author_id, Enrollment.course_id == Post.course_id))
        .where(Post.assignment_id.in_(ids))
    )
    rows = db.session.execute(query if only is None else query.where(only))
    for post_id, author_id, assignment_id, status, published_at, deleted_at, title, slug, *names, role in rows:
        name, course_name = names
        published = essay_published(status, published_at, now)
        essays[post_id] = EssayFacts(post_id, author_id, assignment_id, published, role == "student")
        info[post_id] = EssayInfo(post_id, title, slug, author_id, course_name or name, assignment_id,
                                  published and deleted_at is None)
    return essays, info


def _assigned(ids: Select, student_ids: Collection[int] | None) -> dict[tuple[int, int], dict[int, datetime | None]]:
    query = select(PeerAssignment.assignment_id, PeerAssignment.reviewer_id, PeerAssignment.post_id,
                   PeerAssignment.due_at).where(PeerAssignment.assignment_id.in_(ids))
    if student_ids is not None:
        query = query.where(PeerAssignment.reviewer_id.in_(student_ids))
    assigned: dict[tuple[int, int], dict[int, datetime | None]] = defaultdict(dict)
    for assignment_id, reviewer_id, post_id, due_at in db.session.execute(query):
        assigned[(assignment_id, reviewer_id)][post_id] = due_at
    return dict(assigned)
