"""Loading participation facts: a fixed number of queries whatever the class size, and the right counts."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import CommentRevision, Enrollment, PeerAssignment
from coursesite.participation import readers
from coursesite.participation.facts import load_course_participation, load_participation_by_ids
from coursesite.participation.rules import comment_score
from tests import factories as f

LONG = "A careful reading of the sources with a clear argument about causes."


def class_of(n, course=None, assignment=None):
    course = course or f.make_course()
    assignment = assignment or f.make_assignment(course, required_comments=2, min_comment_words=5, comment_points=6)
    students = [f.make_member(course) for _ in range(n)]
    essays = [f.make_post(course, s, assignment_id=assignment.id) for s in students]
    for i, s in enumerate(students):
        for k in (1, 2):
            f.make_thread_comment(essays[(i + k) % n], s, LONG)
    return course, assignment, students


def test_course_loader_runs_a_fixed_number_of_queries(app, count_queries):
    small = class_of(4)
    large = class_of(40)
    counts = []
    for course, _, students in (small, large):
        with count_queries() as q:
            data = load_course_participation(course)
            tallies = [data.tally(a, s.id) for a in data.assignments for s in students]
        counts.append(q.count)
        assert all(t.done == 2 for t in tallies)
        assert all(comment_score(6, t.qualifying, t.required) == 6 for t in tallies)
    assert counts[0] == counts[1] <= 6


def test_overrides_move_one_students_deadline(app):
    course, assignment, students = class_of(3)
    assignment.comments_due_at = datetime.now(UTC) - timedelta(days=1)
    db.session.flush()
    overrides = {(assignment.id, students[0].id): datetime.now(UTC) + timedelta(days=1)}
    data = load_participation_by_ids(course.id, assignment.id, overrides=overrides)
    assert data.tally(assignment.id, students[0].id).done == 2
    assert data.tally(assignment.id, students[1].id).done == 0
    assert len(data.tally(assignment.id, students[1].id).late) == 2


def test_padding_late_uses_the_first_long_revision(app):
    course, assignment, students = class_of(3)
    due = datetime.now(UTC) - timedelta(hours=1)
    assignment.comments_due_at = due
    peer_essay = f.make_post(course, students[1], assignment_id=assignment.id)
    short = f.make_thread_comment(peer_essay, students[0], "Too short", at=due - timedelta(hours=5))
    # Padded after the deadline, as an edit does: a new revision, and the comment marked edited.
    short.body, short.word_count, short.edited_at = LONG, 12, due + timedelta(minutes=30)
    db.session.add(CommentRevision(comment_id=short.id, body=LONG, word_count=12,
                                   created_at=due + timedelta(minutes=30)))
    db.session.flush()
    tally = load_participation_by_ids(course.id, assignment.id).tally(assignment.id, students[0].id)
    assert short.id in {j.comment.comment_id for j in tally.late}


def test_readers_of_an_essay_whose_author_left_are_reassigned(app):
    course = f.make_course()
    assignment = f.make_assignment(course, required_comments=2, peer_mode="assigned")
    students = [f.make_member(course) for _ in range(6)]
    essays = {s.id: f.make_post(course, s, assignment_id=assignment.id) for s in students}
    readers.assign_readers(assignment)
    leaver = students[0]
    kept = next(p for p in db.session.scalars(select(PeerAssignment)) if p.post_id == essays[leaver.id].id)
    f.make_thread_comment(essays[leaver.id], db.session.get(type(leaver), kept.reviewer_id), LONG)
    db.session.scalar(select(Enrollment).where(Enrollment.user_id == leaver.id)).ended_at = datetime.now(UTC)
    db.session.flush()
    readers.assign_readers(assignment)
    pairs = db.session.scalars(select(PeerAssignment)).all()
    assert [p for p in pairs if p.reviewer_id == leaver.id] == []
    # Only the reader who already commented keeps the leaver's essay; the others get another one.
    assert [p.reviewer_id for p in pairs if p.post_id == essays[leaver.id].id] == [kept.reviewer_id]
    for s in students[1:]:
        assert sum(1 for p in pairs if p.reviewer_id == s.id) == 2
