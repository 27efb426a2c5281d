"""The stored dashboard summary brought up to date with new comments: the same as a summary built anew.

A new comment changes its author's row, the comment counts behind "too few comments", the list of comments
awaiting a look and the pictures. Instead of judging the whole class again, the stored summary re-judges the
new comments' authors and adds to its counts; these tests hold it to what a new build would show.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from coursesite.extensions import db
from coursesite.models import Enrollment, utcnow
from coursesite.services import dashboard_store
from coursesite.services.dashboard_data import load_course_facts

from .. import factories as f
from .grading_world import build_grading_world


@pytest.fixture
def w(app):
    world = build_grading_world()
    now = utcnow()
    for enrollment in db.session.scalars(select(Enrollment).where(Enrollment.course_id == world.course.id)):
        enrollment.joined_at = now - timedelta(days=30)  # owes every assignment: essays can be overdue
    # Comments are still due, so the "behind" list is live, and a second assignment has its own column.
    world.assignment.comments_due_at = now + timedelta(days=2)
    world.second = f.make_assignment(world.course, title="The Marshall Plan", required_comments=1,
                                     min_comment_words=3, post_due_at=now - timedelta(days=1),
                                     comments_due_at=now + timedelta(days=3))
    amara, benjamin, chen = world.students
    world.essays = [
        f.make_post(world.course, amara, title="Airlift Logistics", assignment_id=world.assignment.id,
                    published_at=now - timedelta(days=3)),
        f.make_post(world.course, benjamin, title="Berlin Blockade", assignment_id=world.assignment.id,
                    published_at=now - timedelta(days=3)),
        f.make_post(world.course, chen, title="Aid and Influence", assignment_id=world.second.id,
                    published_at=now - timedelta(days=2)),
    ]
    world.notice = f.make_post(world.course, world.instructor, title="Welcome")  # not an assignment's essay
    f.make_thread_comment(world.essays[0], benjamin, "The tonnage figures persuade me.",
                          at=now - timedelta(days=2))
    return world


@pytest.fixture
def builds(monkeypatch):
    """How many times the whole class was judged."""
    calls = []
    real = dashboard_store.load_course_facts

    def counted(course, now, assignment_id=None, student_id=None):
        if student_id is None:
            calls.append(course.id)
        return real(course, now, assignment_id, student_id)

    monkeypatch.setattr(dashboard_store, "load_course_facts", counted)
    return calls


def shown(app, w, now):
    with app.test_request_context():
        return dashboard_store.summary(w.course, now)


def built_anew(app, w, now):
    with app.test_request_context():
        return dashboard_store.build_summary(load_course_facts(w.course, now), None)


def same_as_a_new_build(summary, fresh):
    """Everything a view shows, field by field (the comments judged are recorded only by the stored one)."""
    for name in ("students", "totals", "rows", "attention", "pictures", "valid_until", "chart_counts", "names"):
        assert getattr(summary, name) == getattr(fresh, name), name


def test_new_comments_bring_the_stored_summary_up_to_date_as_a_new_build_would(app, w, builds):
    now = utcnow()
    before = shown(app, w, now)
    assert len(builds) == 1
    amara, benjamin, chen = w.students
    first = f.make_thread_comment(w.essays[0], chen, "A careful reading of the cargo records.",
                                  at=now - timedelta(hours=5))
    f.make_thread_comment(w.essays[0], amara, "Thank you, the records were the hard part.", parent=first,
                          at=now - timedelta(hours=4))  # on her own essay: counts for nobody's web
    f.make_thread_comment(w.essays[2], amara, "This needs a look from the staff first.", status="held",
                          at=now - timedelta(hours=3))
    f.make_thread_comment(w.essays[1], w.ta, "A staff note on the sources used here.", at=now - timedelta(hours=2))
    f.make_thread_comment(w.notice, chen, "Glad to be here with everyone.", at=now - timedelta(hours=1))

    after = shown(app, w, now)

    assert len(builds) == 1  # brought up to date, not built again
    same_as_a_new_build(after, built_anew(app, w, now))
    assert after.rows != before.rows and after.pictures != before.pictures
    assert [c.post_title for c in after.attention.waiting] == ["Aid and Influence"]
    assert [o.student.name for o in after.attention.overdue] == ["Amara Okafor", "Benjamin Hart", "Chen Wei"]
    assert shown(app, w, now) == after  # and stored for the next view


def test_comments_from_many_students_are_judged_with_the_whole_class(app, w, builds, monkeypatch):
    monkeypatch.setattr(dashboard_store, "MOST_AUTHORS_UPDATED", 1)
    now = utcnow()
    shown(app, w, now)
    f.make_thread_comment(w.essays[1], w.students[0], "The blockade chapter is strong.", at=now)
    f.make_thread_comment(w.essays[0], w.students[2], "The airlift chapter is strong.", at=now)
    after = shown(app, w, now)
    assert len(builds) == 2
    same_as_a_new_build(after, built_anew(app, w, now))


def test_a_comment_gone_without_a_trace_means_a_new_build(app, w, builds):
    """The count must add up: a comment removed outside the application is not added to or left standing."""
    now = utcnow()
    gone = f.make_thread_comment(w.essays[2], w.students[0], "A first reading of the aid figures.", at=now)
    f.make_thread_comment(w.essays[2], w.students[1], "A second reading of the aid figures.", at=now)
    shown(app, w, now)
    db.session.execute(text("DELETE FROM comment_revisions WHERE comment_id = :id"), {"id": gone.id})
    db.session.execute(text("DELETE FROM comments WHERE id = :id"), {"id": gone.id})
    f.make_thread_comment(w.essays[1], w.students[2], "The blockade chapter is strong.", at=now)
    after = shown(app, w, now)
    assert len(builds) == 2
    same_as_a_new_build(after, built_anew(app, w, now))
    assert after.chart_counts.pairs.get(w.students[0].id, w.students[2].id) == 0


def test_a_comment_written_while_the_summary_is_built_is_not_added_twice(app, w, builds, monkeypatch):
    now = utcnow()
    real = dashboard_store.load_course_facts

    def comment_lands_first(course, now, assignment_id=None, student_id=None):
        if student_id is None and len(builds) == 0:
            f.make_thread_comment(w.essays[1], w.students[2], "Written while the summary was built.", at=now)
        return real(course, now, assignment_id, student_id)

    monkeypatch.setattr(dashboard_store, "load_course_facts", comment_lands_first)
    first = shown(app, w, now)
    assert first.comments is None  # judged one comment more than it counted: never brought up to date
    monkeypatch.setattr(dashboard_store, "load_course_facts", real)
    again = shown(app, w, now)
    same_as_a_new_build(again, built_anew(app, w, now))
    assert again.chart_counts.pairs.get(w.students[2].id, w.students[1].id) == 1
