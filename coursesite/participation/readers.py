"""Assigned readers in the database: run the peer plan (participation/peers.py), show it, adjust it by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, select

from coursesite.extensions import db
from coursesite.models import Assignment, Comment, Enrollment, PeerAssignment, Post, Section, User, utcnow
from coursesite.participation.peers import Pair, PeerEssay, Reader, ReaderPlan, plan_readers


class ReaderError(ValueError):
    """A change to the readers that cannot be made as asked; the message is for the staff member."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


# A reader given an essay late (a late essay, a reassignment) gets at least this long to answer it.
READING_TIME = timedelta(hours=48)


@dataclass
class Person:
    user_id: int
    name: str
    section: str | None


@dataclass
class EssayRow:
    post_id: int
    title: str
    slug: str
    author_id: int
    author_name: str
    readers: list[int] = field(default_factory=list)


@dataclass
class ReaderRow:
    person: Person
    pairs: list[tuple[PeerAssignment, EssayRow, bool]]  # (pair, essay, already commented)


def _students(assignment: Assignment) -> list[tuple[Enrollment, str, str | None]]:
    return db.session.execute(
        select(Enrollment, User.display_name, Section.name)
        .join(User, User.id == Enrollment.user_id)
        .outerjoin(Section, Section.id == Enrollment.section_id)
        .where(Enrollment.course_id == assignment.course_id, Enrollment.role == "student",
               Enrollment.ended_at.is_(None))
        .order_by(User.display_name)
    ).all()


def _live_essays(assignment: Assignment, now: datetime):
    return db.session.scalars(
        select(Post).where(
            Post.assignment_id == assignment.id,
            Post.status == "published",
            Post.published_at <= now,
            Post.deleted_at.is_(None),
        )
    ).all()


def _commented_pairs(assignment: Assignment) -> set[Pair]:
    rows = db.session.execute(
        select(PeerAssignment.reviewer_id, PeerAssignment.post_id)
        .join(Comment, and_(Comment.post_id == PeerAssignment.post_id, Comment.author_id == PeerAssignment.reviewer_id))
        .where(PeerAssignment.assignment_id == assignment.id, Comment.deleted_at.is_(None))
    )
    return {Pair(reviewer, post) for reviewer, post in rows}


def assign_readers(assignment: Assignment, now: datetime | None = None) -> ReaderPlan:
    """Give every student K peers' essays; keep pairs with comments; extend the time for late arrivals."""
    now = now or utcnow()
    students = _students(assignment)
    by_section = assignment.peer_scope == "section"
    group = {e.user_id: (e.section_id if by_section else None) for e, _, _ in students}
    readers = [Reader(uid, g) for uid, g in group.items()]
    essays = [PeerEssay(p.id, p.author_id, group[p.author_id]) for p in _live_essays(assignment, now)
              if p.author_id in group]
    rows = db.session.scalars(select(PeerAssignment).where(PeerAssignment.assignment_id == assignment.id)).all()
    existing = {Pair(r.reviewer_id, r.post_id): r for r in rows}
    plan = plan_readers(readers, essays, max(assignment.required_comments, 0), seed=assignment.id,
                        existing=existing, locked=_commented_pairs(assignment))
    for pair in plan.removed:
        db.session.delete(existing[pair])
    due = assignment.comments_due_at
    late_due = now + READING_TIME if due is not None and due - now < READING_TIME else None
    for pair in sorted(plan.added):
        db.session.add(PeerAssignment(assignment_id=assignment.id, reviewer_id=pair.reviewer_id,
                                      post_id=pair.post_id, created_at=now, due_at=late_due if rows else None))
    db.session.flush()
    return plan


def add_pair(assignment: Assignment, reviewer_id: int, post_id: int, now: datetime | None = None) -> PeerAssignment:
    now = now or utcnow()
    students = {e.user_id for e, _, _ in _students(assignment)}
    post = db.session.get(Post, post_id)
    if reviewer_id not in students:
        raise ReaderError("Choose a student of this course as the reader.")
    if post is None or post.assignment_id != assignment.id or post.deleted_at is not None or post.status != "published":
        raise ReaderError("Choose a published essay of this assignment.")
    if post.author_id == reviewer_id:
        raise ReaderError("A student cannot be given their own essay.")
    existing = db.session.scalar(select(PeerAssignment).where(
        PeerAssignment.assignment_id == assignment.id, PeerAssignment.reviewer_id == reviewer_id,
        PeerAssignment.post_id == post_id))
    if existing is not None:
        raise ReaderError("That student already reads that essay.")
    due = assignment.comments_due_at
    pair = PeerAssignment(assignment_id=assignment.id, reviewer_id=reviewer_id, post_id=post_id, created_at=now,
                          due_at=now + READING_TIME if due is not None and due - now < READING_TIME else None)
    db.session.add(pair)
    db.session.flush()
    return pair


def remove_pair(assignment: Assignment, pair_id: int) -> None:
    result = db.session.execute(
        delete(PeerAssignment).where(PeerAssignment.id == pair_id, PeerAssignment.assignment_id == assignment.id)
    )
    if not result.rowcount:
        raise ReaderError("That reader was already removed.", 404)


def readers_table(assignment: Assignment, now: datetime | None = None) -> tuple[list[ReaderRow], list[EssayRow]]:
    """Who reads whom: a row per student, and every live essay with its readers."""
    now = now or utcnow()
    students = _students(assignment)
    names = {e.user_id: e.course_name or name for e, name, _ in students}
    essays = {}
    for post in _live_essays(assignment, now):
        essays[post.id] = EssayRow(post.id, post.title, post.slug, post.author_id,
                                   names.get(post.author_id, "a former student"))
    pairs = db.session.scalars(
        select(PeerAssignment).where(PeerAssignment.assignment_id == assignment.id).order_by(PeerAssignment.id)
    ).all()
    commented = _commented_pairs(assignment)
    by_reader: dict[int, list] = {}
    missing_posts = {p.post_id for p in pairs if p.post_id not in essays}
    if missing_posts:
        for post in db.session.scalars(select(Post).where(Post.id.in_(missing_posts))):
            essays[post.id] = EssayRow(post.id, post.title + " (no longer on the blog)", post.slug, post.author_id,
                                       names.get(post.author_id, "a former student"))
    for pair in pairs:
        essay = essays[pair.post_id]
        essay.readers.append(pair.reviewer_id)
        done = Pair(pair.reviewer_id, pair.post_id) in commented
        by_reader.setdefault(pair.reviewer_id, []).append((pair, essay, done))
    rows = [ReaderRow(Person(e.user_id, names[e.user_id], section), by_reader.get(e.user_id, []))
            for e, _, section in students]
    return rows, sorted(essays.values(), key=lambda e: e.title.lower())
