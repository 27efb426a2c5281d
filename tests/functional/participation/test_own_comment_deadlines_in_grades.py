"""Exports and My grades count a comment written after the assignment's comment deadline but before the
student's own (an extension, their section's date, extra time), as the dashboard does."""

from datetime import timedelta

import pytest

from coursesite.extensions import db
from coursesite.grading.reports import grading_queue
from coursesite.grading.rules import qualifying_comment_counts
from coursesite.models import Enrollment, Extension, SectionDeadline, utcnow
from coursesite.permissions import membership
from tests import factories as f
from tests.functional.grading.test_gradebook_export import export, rows_of
from tests.functional.grading_world import build_grading_world


@pytest.fixture
def w(app):
    """Each student owes two comments by a deadline a day ago, but has a later one of their own, and wrote
    both comments half a day ago: between the two."""
    world = build_grading_world()
    amara, benjamin, chen = world.students
    a = world.assignment
    now = utcnow()
    f.make_extension(a, amara, comments_due_at=now + timedelta(hours=1))
    section_b = membership(benjamin, world.course).section_id
    db.session.add(SectionDeadline(assignment_id=a.id, section_id=section_b, comments_due_at=now - timedelta(hours=1)))
    membership(chen, world.course).extra_minutes = 2 * 24 * 60
    essays = {s.id: f.make_post(world.course, s, assignment_id=a.id, published_at=now - timedelta(days=3))
              for s in world.students}
    for student in world.students:
        for author_id, essay in essays.items():
            if author_id != student.id:
                f.make_thread_comment(essay, student, "A close reading of the sources here.",
                                      at=now - timedelta(hours=12))
        f.make_grade(a, student, world.instructor, post_score=5)
    a.grades_released_at = now
    db.session.flush()
    return world


def test_canvas_export_counts_comments_by_each_students_own_deadline(client, auth, w):
    auth.login(w.instructor)
    rows = rows_of(export(client, w, separate=1))
    assert [row[0] for row in rows[2:]] == ["Amara Okafor", "Benjamin Hart", "Chen Wei"]
    assert [row[6] for row in rows[2:]] == ["10", "10", "10"]  # comment points: 2 of 2 on time


def test_plain_export_counts_comments_by_each_students_own_deadline(client, auth, w):
    auth.login(w.instructor)
    rows = rows_of(export(client, w, "grades.csv"))
    assert [row[4] for row in rows[1:]] == ["10", "10", "10"]
    assert [row[5] for row in rows[1:]] == ["15", "15", "15"]


@pytest.mark.parametrize("who", [0, 1, 2], ids=["extension", "section date", "extra time"])
def test_my_grades_counts_comments_by_the_students_own_deadline(client, auth, w, who):
    auth.login(w.students[who])
    page = client.get(f"/c/{w.course.slug}/my-grades").get_data(as_text=True)
    assert "Total: <strong>15 of 20</strong>" in page


def test_the_grading_queue_counts_them_too(app, w):
    assert [row.result.comments.qualifying for row in grading_queue(w.assignment)] == [2, 2, 2]


def test_an_enrollment_without_own_dates_keeps_the_assignments(app, w):
    db.session.execute(Enrollment.__table__.update().values(extra_minutes=0))
    db.session.execute(SectionDeadline.__table__.delete())
    db.session.execute(Extension.__table__.delete())
    db.session.expire_all()
    assert qualifying_comment_counts(w.course.id) == {}
