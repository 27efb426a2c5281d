"""Copying a course for a new term: settings, sections, assignments with their dates moved by whole weeks,
section due dates and rubrics; no people, no essays."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import Assignment, Course, Enrollment, Post, RubricCriterion, SectionDeadline
from tests import factories as f
from tests.functional.helpers import login_client


@pytest.fixture
def course():
    course = f.make_course(title="Writing About History", term="Fall 2026", description="Seminar.",
                           comment_moderation="first", comment_edit_minutes=30)
    section = f.make_section(course, "Section B")
    student = f.make_member(course, section=section)
    f.make_member(course, "ta")
    versailles = f.make_assignment(
        course, title="Versailles", opens_at=datetime(2026, 9, 1, 13, 0, tzinfo=UTC),
        post_due_at=datetime(2026, 10, 23, 21, 0, tzinfo=UTC),
        comments_due_at=datetime(2026, 10, 27, 21, 0, tzinfo=UTC),
        required_comments=3, min_comment_words=80, late_policy="penalty", penalty_percent_per_day=10,
        canvas_assignment_id="5521", grades_released_at=datetime(2026, 11, 1, tzinfo=UTC))
    db.session.add(SectionDeadline(assignment_id=versailles.id, section_id=section.id,
                                   post_due_at=datetime(2026, 10, 24, 21, 0, tzinfo=UTC)))
    db.session.add(RubricCriterion(assignment_id=versailles.id, position=1, title="Argument", points=6))
    db.session.add(RubricCriterion(assignment_id=versailles.id, position=2, title="Sources", points=4))
    f.make_post(course, student, assignment_id=versailles.id)
    db.session.flush()
    return course


def copy_form(**changes):
    return {"title": "Writing About History", "term": "Spring 2027", "slug": "history-spring", "weeks": "2",
            **changes}


def test_instructor_copies_the_course(app, course):
    instructor = f.instructor_of(course)
    response = login_client(app, instructor).post(f"/c/{course.slug}/copy", data=copy_form(), follow_redirects=True)
    assert response.status_code == 200
    assert "Versailles" in response.get_data(as_text=True)
    copy = db.session.scalar(select(Course).where(Course.slug == "history-spring"))
    assert (copy.term, copy.timezone, copy.visibility, copy.description) == \
        ("Spring 2027", course.timezone, course.visibility, "Seminar.")
    assert (copy.comment_moderation, copy.comment_edit_minutes) == ("first", 30)
    assert copy.join_code != course.join_code
    members = db.session.execute(select(Enrollment.user_id, Enrollment.role).where(Enrollment.course_id == copy.id))
    assert [tuple(m) for m in members] == [(instructor.id, "instructor")]
    assert db.session.scalar(select(func.count(Post.id)).where(Post.course_id == copy.id)) == 0

    (a,) = db.session.scalars(select(Assignment).where(Assignment.course_id == copy.id))
    # Two weeks on, and across the end of daylight saving: still Friday at 5:00 pm in New York.
    assert a.post_due_at == datetime(2026, 11, 6, 22, 0, tzinfo=UTC)
    assert a.comments_due_at == datetime(2026, 11, 10, 22, 0, tzinfo=UTC)
    assert a.opens_at == datetime(2026, 9, 15, 13, 0, tzinfo=UTC)
    assert (a.required_comments, a.min_comment_words, a.late_policy, a.penalty_percent_per_day) == \
        (3, 80, "penalty", 10)
    assert a.canvas_assignment_id is None and a.grades_released_at is None
    (deadline,) = db.session.scalars(select(SectionDeadline).where(SectionDeadline.assignment_id == a.id))
    assert deadline.post_due_at == datetime(2026, 11, 7, 22, 0, tzinfo=UTC)
    assert {s.name for s in copy.sections} == {"Section B"}
    assert deadline.section_id == copy.sections[0].id
    criteria = db.session.scalars(
        select(RubricCriterion).where(RubricCriterion.assignment_id == a.id).order_by(RubricCriterion.position))
    assert [(c.title, c.points) for c in criteria] == [("Argument", 6), ("Sources", 4)]


def test_settings_page_links_to_copy(app, course):
    page = login_client(app, f.instructor_of(course)).get(f"/c/{course.slug}/settings").get_data(as_text=True)
    assert f"/c/{course.slug}/copy" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slug": "Not A Slug"}, "Use lower-case letters"),
        ({"title": ""}, "This field is required."),
        ({"weeks": "1.5"}, "Not a valid integer value."),
        ({"weeks": "900"}, "Enter a whole number of weeks from -260 to 260."),
    ],
)
def test_bad_input_writes_nothing(app, course, changes, message):
    before = db.session.scalar(select(func.count(Course.id)))
    response = login_client(app, f.instructor_of(course)).post(f"/c/{course.slug}/copy", data=copy_form(**changes))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Course.id))) == before


def test_address_already_taken(app, course):
    response = login_client(app, f.instructor_of(course)).post(f"/c/{course.slug}/copy",
                                                               data=copy_form(slug=course.slug))
    assert "Another course already uses this address" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Course.id)).where(Course.title == "Writing About History")) == 1
