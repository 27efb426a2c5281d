"""The stored dashboard summary brought up to date with new comments, grades, drafts and reports: the same
as a summary built anew.

A new comment changes its author's row, the comment counts behind "too few comments", the list of comments
awaiting a look and the pictures; a grade or a draft changes its student's row; a report changes the list
awaiting a look. Instead of judging the whole class again, the stored summary re-judges those students and
adds to its counts; these tests hold it to what a new build would show.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from coursesite.extensions import db
from coursesite.models import Course, DashboardChange, Enrollment, utcnow
from coursesite.services import content_version, dashboard_store, moderation
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
    world.first_comment = f.make_thread_comment(world.essays[0], benjamin, "The tonnage figures persuade me.",
                                                at=now - timedelta(days=2))
    return world


@pytest.fixture
def builds(monkeypatch):
    """How many times the whole class was judged."""
    calls = []
    real = dashboard_store.load_course_facts

    def counted(course, now, assignment_id=None, student_ids=None):
        if student_ids is None:
            calls.append(course.id)
        return real(course, now, assignment_id, student_ids)

    monkeypatch.setattr(dashboard_store, "load_course_facts", counted)
    return calls


def shown(app, w, now):
    with app.test_request_context():
        return dashboard_store.summary(w.course, now)


def built_anew(app, w, now):
    with app.test_request_context():
        return dashboard_store.build_summary(load_course_facts(w.course, now), w.course.dashboard_version, None)


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
    monkeypatch.setattr(dashboard_store, "MOST_STUDENTS_UPDATED", 1)
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

    def comment_lands_first(course, now, assignment_id=None, student_ids=None):
        if student_ids is None and len(builds) == 0:
            f.make_thread_comment(w.essays[1], w.students[2], "Written while the summary was built.", at=now)
        return real(course, now, assignment_id, student_ids)

    monkeypatch.setattr(dashboard_store, "load_course_facts", comment_lands_first)
    first = shown(app, w, now)
    assert first.comments is None  # judged one comment more than it counted: never brought up to date
    monkeypatch.setattr(dashboard_store, "load_course_facts", real)
    again = shown(app, w, now)
    same_as_a_new_build(again, built_anew(app, w, now))
    assert again.chart_counts.pairs.get(w.students[2].id, w.students[1].id) == 1


def row_of(summary, student):
    return summary.rows[[s.user_id for s in summary.students].index(student.id)]


def test_grades_drafts_and_reports_bring_the_stored_summary_up_to_date(app, w, builds):
    now = utcnow()
    before = shown(app, w, now)
    amara, benjamin, chen = w.students
    f.make_grade(w.assignment, amara, w.instructor, post_score=7)
    f.make_post(w.course, chen, title="Notes toward the airlift", status="draft", assignment_id=w.assignment.id)
    moderation.report(w.first_comment, chen, "This misreads the tonnage table.")

    after = shown(app, w, now)

    assert len(builds) == 1  # brought up to date, not built again
    same_as_a_new_build(after, built_anew(app, w, now))
    graded = '<span class="cell__grade">Graded: 7 of'  # the matrix says so, with the score
    assert graded in row_of(after, amara) and graded not in row_of(before, amara)
    assert "Draft" in row_of(after, chen) and "Draft" not in row_of(before, chen)
    assert row_of(after, benjamin) == row_of(before, benjamin)
    assert [c.post_title for c in after.attention.waiting] == ["Airlift Logistics"]
    assert shown(app, w, now) == after  # and stored for the next view


def test_a_change_to_the_whole_course_means_a_new_build(app, w, builds):
    now = utcnow()
    shown(app, w, now)
    w.second.title = "The Marshall Plan and its critics"
    db.session.flush()
    after = shown(app, w, now)
    assert len(builds) == 2
    assert [a.title for a in after.assignments][-1] == "The Marshall Plan and its critics"


def test_grades_for_many_students_are_judged_with_the_whole_class(app, w, builds, monkeypatch):
    monkeypatch.setattr(dashboard_store, "MOST_STUDENTS_UPDATED", 1)
    now = utcnow()
    shown(app, w, now)
    f.make_grade(w.assignment, w.students[0], w.instructor, post_score=6)
    f.make_grade(w.assignment, w.students[1], w.instructor, post_score=8)
    after = shown(app, w, now)
    assert len(builds) == 2
    same_as_a_new_build(after, built_anew(app, w, now))


def test_a_summary_older_than_the_journal_means_a_new_build(app, w, builds, monkeypatch):
    monkeypatch.setattr(content_version, "KEPT_DASHBOARD_VERSIONS", 2)
    now = utcnow()
    shown(app, w, now)
    grade = f.make_grade(w.assignment, w.students[0], w.instructor, post_score=5)
    for score in (6, 7):
        grade.post_score = score
        db.session.flush()
    kept = db.session.scalars(select(DashboardChange.version).where(DashboardChange.course_id == w.course.id))
    assert sorted(kept) == [w.course.dashboard_version - 1, w.course.dashboard_version]
    after = shown(app, w, now)
    assert len(builds) == 2
    same_as_a_new_build(after, built_anew(app, w, now))


def test_a_raise_without_a_journal_means_a_new_build(app, w, builds):
    """A bulk change names no course or student: every course's version goes up, and its dashboard is built
    anew."""
    now = utcnow()
    shown(app, w, now)
    content_version.raise_versions(db.session.connection(), None, dashboard_only=True)
    db.session.expire(w.course)
    shown(app, w, now)
    assert len(builds) == 2
    assert db.session.get(Course, w.course.id).dashboard_version == shown(app, w, now).version


def test_essays_published_edited_withdrawn_and_trashed_bring_the_stored_summary_up_to_date(app, w, builds):
    now = utcnow()
    amara, benjamin, chen = w.students
    draft = f.make_post(w.course, chen, title="The Airlift Seen From Below", status="draft",
                        assignment_id=w.assignment.id)
    before = shown(app, w, now)
    draft.status, draft.published_at = "published", now - timedelta(minutes=5)  # Chen publishes
    w.essays[2].title = "Aid and Influence, Revised"  # Chen edits his other one
    w.essays[0].status = "draft"  # Amara takes hers back, and Benjamin's comment on it no longer counts
    w.notice.deleted_at = now - timedelta(minutes=1)  # the instructor trashes a notice
    db.session.flush()

    after = shown(app, w, now)

    assert len(builds) == 1  # brought up to date, not built again
    same_as_a_new_build(after, built_anew(app, w, now))
    short = [item.essay.title for item in after.attention.unanswered]
    assert "The Airlift Seen From Below" in short and "Airlift Logistics" not in short
    assert "Aid and Influence, Revised" in short
    assert "Draft" in row_of(before, chen) and "Draft" not in row_of(after, chen)
    assert "Draft" in row_of(after, amara) and "Draft" not in row_of(before, amara)
    assert row_of(after, benjamin) != row_of(before, benjamin)  # only as the commenter
    assert after.chart_counts.essays_per_day != before.chart_counts.essays_per_day
    assert shown(app, w, now) == after


def test_a_comment_landing_while_students_are_judged_again_means_a_new_build_next(app, w, builds, monkeypatch):
    now = utcnow()
    shown(app, w, now)
    real = dashboard_store.load_course_facts

    def comment_lands_meanwhile(course, now, assignment_id=None, student_ids=None):
        facts = real(course, now, assignment_id, student_ids)
        if student_ids is not None:
            f.make_thread_comment(w.essays[2], w.students[1], "Written while the rows were judged.", at=now)
        return facts

    f.make_thread_comment(w.essays[2], w.students[0], "The aid figures need a source.", at=now)
    monkeypatch.setattr(dashboard_store, "load_course_facts", comment_lands_meanwhile)
    assert shown(app, w, now).comments is None  # never brought up to date
    monkeypatch.setattr(dashboard_store, "load_course_facts", real)
    again = shown(app, w, now)
    assert len(builds) == 2
    same_as_a_new_build(again, built_anew(app, w, now))
