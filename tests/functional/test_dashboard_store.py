"""The dashboard's stored summary: shared by every view until something it shows changes, or the clock does."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Comment, CommentReport, Enrollment, utcnow
from coursesite.services import dashboard_store
from coursesite.services.dashboard_data import load_course_facts

from .. import factories as f
from .grading_world import build_grading_world
from .test_dashboard_matrix import matrix_of, write_essays


@pytest.fixture
def w(app, auth):
    world = build_grading_world()
    for enrollment in db.session.scalars(select(Enrollment).where(Enrollment.course_id == world.course.id)):
        enrollment.joined_at = world.assignment.post_due_at - timedelta(days=10)
    db.session.flush()
    auth.login(world.instructor)
    return world


def home(client, w, **args):
    response = client.get(f"/c/{w.course.slug}/dashboard/", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def row_of(page, name):
    return matrix_of(page).split(name, 2)[2].split("</tr>", 1)[0]


def test_an_unchanged_course_is_shown_from_the_stored_summary(client, w, count_queries):
    write_essays(w)
    first = home(client, w)
    with count_queries() as counter:
        again = home(client, w)
    # 26 when the summary is built (test_dashboard_matrix.py): the course facts' fifteen are not read again.
    assert counter.count == 9, counter.statements
    assert matrix_of(again) == matrix_of(first)


def test_a_new_comment_shows_at_once(client, w):
    essay = write_essays(w)
    assert "1/2 comments" in row_of(home(client, w), "Chen Wei")
    benjamins = f.make_post(w.course, w.students[1], title="Another essay", assignment_id=w.assignment.id,
                            published_at=essay.published_at)
    f.make_thread_comment(benjamins, w.students[2], "Clear and well argued throughout.",
                          at=essay.published_at + timedelta(hours=1))
    assert "2/2 comments" in row_of(home(client, w), "Chen Wei")


def test_a_grade_a_draft_and_a_report_each_show_at_once(client, w):
    essay = write_essays(w)
    page = home(client, w)
    assert "Not graded" in row_of(page, "Amara Okafor") and "Missing" in row_of(page, "Chen Wei")
    assert "awaiting a look" not in page
    f.make_grade(w.assignment, w.students[0], w.instructor)
    assert "Graded" in row_of(home(client, w), "Amara Okafor").replace("Not graded", "")
    f.make_post(w.course, w.students[2], title="Chen's draft", assignment_id=w.assignment.id, status="draft",
                published_at=None)
    assert "Draft" in row_of(home(client, w), "Chen Wei")
    comment = db.session.scalar(select(Comment).where(Comment.post_id == essay.id))
    db.session.add(CommentReport(comment_id=comment.id, reporter_id=w.students[0].id, reason="Off topic"))
    db.session.flush()
    assert "1 comment awaiting a look" in home(client, w)


def test_only_the_dashboard_is_told_of_grades_and_drafts(w):
    versions = (w.course.content_version, w.course.dashboard_version)
    f.make_grade(w.assignment, w.students[0], w.instructor)
    db.session.refresh(w.course)
    assert (w.course.content_version, w.course.dashboard_version) == (versions[0], versions[1] + 1)
    w.course.title = "A new title"  # what essay pages show moves both
    db.session.flush()
    db.session.refresh(w.course)
    assert (w.course.content_version, w.course.dashboard_version) == (versions[0] + 1, versions[1] + 2)


def test_a_due_date_passing_is_shown_without_any_change(client, w, monkeypatch):
    w.assignment.post_due_at = utcnow() + timedelta(minutes=20)
    w.assignment.comments_due_at = utcnow() + timedelta(days=3)
    db.session.flush()
    assert "Missing" not in matrix_of(home(client, w))
    later = utcnow() + timedelta(minutes=30)  # before the summary's longest life is out
    monkeypatch.setattr("coursesite.dashboard.views.utcnow", lambda: later)
    assert matrix_of(home(client, w)).count("Missing") == 3


def test_a_section_narrows_the_attention_lists_too(client, w):
    write_essays(w)  # Chen (Section A) has no essay
    section_b = next(s for s in w.course.sections if s.name == "Section B")
    attention = home(client, w, section=section_b.id).split('id="attention-heading"', 1)[1]
    attention = attention.split('id="matrix-heading"', 1)[0]
    assert "Chen Wei" not in attention and "overdue" not in attention
    assert "Chen Wei" in home(client, w).split('id="matrix-heading"', 1)[0]


def test_the_summary_lives_until_the_next_due_date_and_at_most_an_hour(w):
    now = utcnow()
    w.assignment.post_due_at, w.assignment.comments_due_at = now + timedelta(minutes=20), now + timedelta(days=2)
    f.make_extension(w.assignment, w.students[0], post_due_at=now + timedelta(minutes=50))
    assert dashboard_store.next_change(load_course_facts(w.course, now)) == now + timedelta(minutes=20)
    assert dashboard_store.next_change(load_course_facts(w.course, now + timedelta(minutes=30))) == (
        now + timedelta(minutes=50))
    quiet = now + timedelta(days=5)
    assert dashboard_store.next_change(load_course_facts(w.course, quiet)) == quiet + dashboard_store.LONGEST_LIFE


def test_a_course_keeps_only_its_newest_summary(client, auth, w, app):
    essay = write_essays(w)
    home(client, w)
    f.make_thread_comment(essay, w.students[1], "A second reader agrees with the first.")
    home(client, w)
    other = build_grading_world()
    auth.logout()
    auth.login(other.instructor)
    home(client, other)
    stored = sorted(p.parent.name for p in Path(app.config["PAGE_CACHE_DIR"]).rglob("*.pickle"))
    assert len(stored) == 2 and stored[0] != stored[1]  # one per course


def test_an_unreadable_stored_summary_is_built_again(client, w, app):
    write_essays(w)
    home(client, w)
    for stored in Path(app.config["PAGE_CACHE_DIR"]).glob("*.pickle"):
        stored.write_bytes(b"not a summary")
    assert "1/2 comments" in row_of(home(client, w), "Chen Wei")
