"""Assigned readers in the database: run the peer plan (participation/peers.py), show it, adjust it by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, case, delete, func, literal, select

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


@dataclass(frozen=True)
class EssayRow:
    post_id: int
    title: str
    slug: str
    author_id: int
    author_name: str


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
    return db.session.scalars(select(Post).where(*_live(assignment, now))).all()


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
    reader = db.session.scalar(select(Enrollment.id).where(
        Enrollment.course_id == assignment.course_id, Enrollment.user_id == reviewer_id,
        Enrollment.role == "student", Enrollment.ended_at.is_(None)))
    post = db.session.get(Post, post_id)
    if reader is None:
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


def _author_name():
    """An essay author's name in the course (the course name where set), or "a former student"."""
    return case((Enrollment.user_id.is_(None), literal("a former student")),
                else_=func.coalesce(func.nullif(Enrollment.course_name, ""), User.display_name))


def _essay_rows(assignment: Assignment, *where) -> Select:
    """Essays as the page names them (id, title, slug, author, author's name in the assignment's course)."""
    return (
        select(Post.id, Post.title, Post.slug, Post.author_id, _author_name())
        .join(User, User.id == Post.author_id)
        .outerjoin(Enrollment, and_(Enrollment.course_id == assignment.course_id, Enrollment.user_id == Post.author_id,
                                    Enrollment.role == "student", Enrollment.ended_at.is_(None)))
        .where(*where)
    )


def _live(assignment: Assignment, now: datetime) -> tuple:
    """An essay of the assignment a reader may be given: published, due, not in the trash."""
    return (Post.assignment_id == assignment.id, Post.status == "published", Post.published_at <= now,
            Post.deleted_at.is_(None))


def live_essays(assignment: Assignment, now: datetime | None = None) -> list[EssayRow]:
    """Every essay a reader may be given, by author: the choices of the form that adds one, where typing an
    author's name finds their essay among a class's thousands."""
    rows = db.session.execute(_essay_rows(assignment, *_live(assignment, now or utcnow())))
    return sorted((EssayRow(*row) for row in rows), key=lambda e: (e.author_name.lower(), e.title.lower(), e.post_id))


Given = tuple[PeerAssignment, EssayRow, bool]  # a pair, its essay, whether the reader commented on it yet


def essays_given_to(assignment: Assignment, reader_ids: list[int]) -> dict[int, list[Given]]:
    """What each of these readers was given, in the order given, with whether they commented on it yet; an essay
    gone from the blog or moved to another assignment says so, and can still be taken away."""
    if not reader_ids:
        return {}
    now = utcnow()
    commented = (select(Comment.id).where(Comment.post_id == PeerAssignment.post_id,
                                         Comment.author_id == PeerAssignment.reviewer_id,
                                         Comment.deleted_at.is_(None)).exists())
    rows = db.session.execute(
        _essay_rows(assignment).add_columns(PeerAssignment, Post.assignment_id, and_(*_live(assignment, now)),
                                            commented)
        .join(PeerAssignment, PeerAssignment.post_id == Post.id)
        .where(PeerAssignment.assignment_id == assignment.id, PeerAssignment.reviewer_id.in_(reader_ids))
        .order_by(PeerAssignment.id)
    )
    given: dict[int, list] = {}
    for post_id, title, slug, author_id, author_name, pair, filed_under, live, done in rows:
        if filed_under != assignment.id:
            title = f"{title} (moved to another assignment)"
        elif not live:
            title = f"{title} (no longer on the blog)"
        given.setdefault(pair.reviewer_id, []).append((pair, EssayRow(post_id, title, slug, author_id, author_name),
                                                       bool(done)))
    return given


@dataclass(frozen=True)
class ReaderCounts:
    """How many readers the live essays have: how many essays have each count, and the first of those with fewer
    than the assignment asks each student to read (fewest first, then by title), which assigning again fills."""

    essays_by_readers: dict[int, int]
    wanted: int
    fewer: list[tuple[EssayRow, int]]

    @property
    def essays(self) -> int:
        return sum(self.essays_by_readers.values())

    @property
    def fewer_count(self) -> int:
        return sum(n for readers, n in self.essays_by_readers.items() if readers < self.wanted)


def reader_counts(assignment: Assignment, limit: int, now: datetime | None = None) -> ReaderCounts:
    """Counted in SQL, so a class of 3,000 is a line and a short table: the essays by their number of readers,
    and the first `limit` of those with fewer than the assignment asks."""
    # The pairs counted in one pass and joined, not counted essay by essay: the first view after "Assign readers"
    # is planned before the new pairs have statistics, and a count per essay then read them all 3,000 times.
    given = (select(PeerAssignment.post_id, func.count(PeerAssignment.id).label("readers"))
             .where(PeerAssignment.assignment_id == assignment.id).group_by(PeerAssignment.post_id).subquery())
    readers = func.coalesce(given.c.readers, 0)
    live = _live(assignment, now or utcnow())
    per_essay = (select(readers.label("readers")).select_from(Post).outerjoin(given, given.c.post_id == Post.id)
                 .where(*live).subquery())
    by_readers = dict(db.session.execute(
        select(per_essay.c.readers, func.count()).group_by(per_essay.c.readers)).all())
    wanted = max(assignment.required_comments, 0)
    rows = db.session.execute(
        _essay_rows(assignment, *live).add_columns(readers).outerjoin(given, given.c.post_id == Post.id)
        .where(readers < wanted).order_by(readers, func.lower(Post.title), Post.id).limit(limit)
    ).all() if any(n < wanted for n in by_readers) else []
    return ReaderCounts(by_readers, wanted, [(EssayRow(*row[:5]), row[5]) for row in rows])
