"""Staff actions that destroy something ask first, without JavaScript: a POST with only a form token
changes nothing, and the page says what would be lost."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import RubricCriterion
from tests import factories as f
from tests.functional.grading_world import build_grading_world


@pytest.fixture
def w(app, auth):
    world = build_grading_world()
    auth.login(world.instructor)
    return world


def _rubric_url(w):
    return f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}/rubric"


def _criteria(w):
    return db.session.scalars(select(RubricCriterion).where(RubricCriterion.assignment_id == w.assignment.id)).all()


def test_a_post_with_only_a_token_does_not_delete_a_graded_rubric(client, w):
    f.make_criteria(w.assignment, ("Thesis", 6), ("Style", 4))
    f.make_grade(w.assignment, w.students[0], post_score=7)
    response = client.post(_rubric_url(w), data={})
    assert response.status_code == 200
    assert len(_criteria(w)) == 2
    page = response.get_data(as_text=True)
    assert "Delete 2 saved criteria?" in page and "Thesis" in page and "Style" in page
    assert "1 essay already has a score" in page and "no longer shown" in page
    assert 'name="confirm" value="yes" required' in page


def test_switching_to_a_single_score_deletes_the_rubric_once_confirmed(client, w):
    thesis, style = f.make_criteria(w.assignment, ("Thesis", 6), ("Style", 4))
    data = {"mode": "single", "action": "save"}
    assert client.post(_rubric_url(w), data=data).status_code == 200
    assert len(_criteria(w)) == 2
    response = client.post(_rubric_url(w), data={**data, "confirm": "yes"})
    assert response.status_code == 302
    assert _criteria(w) == []


def test_removing_a_criterion_essays_were_scored_with_asks_first(client, w):
    thesis, style = f.make_criteria(w.assignment, ("Thesis", 6), ("Style", 4))
    f.make_grade(w.assignment, w.students[0], post_score=7)
    data = {"mode": "rubric", "action": "save",
            "criteria-0-criterion_id": str(thesis.id), "criteria-0-title": "Thesis", "criteria-0-points": "10",
            "criteria-1-criterion_id": str(style.id), "criteria-1-title": "Style", "criteria-1-points": "4",
            "criteria-1-remove": "y"}
    page = client.post(_rubric_url(w), data=data).get_data(as_text=True)
    assert "Delete 1 saved criterion?" in page and "Style (4 points)" in page
    assert len(_criteria(w)) == 2
    assert client.post(_rubric_url(w), data={**data, "confirm": "yes"}).status_code == 302
    assert [c.title for c in _criteria(w)] == ["Thesis"]


def _enrollment(course, user):
    from coursesite.models import Enrollment

    return db.session.scalar(select(Enrollment).where(Enrollment.course_id == course.id, Enrollment.user_id == user.id))


def test_removing_someone_from_the_roster_asks_first(client, auth):
    course = f.make_course()
    ta = f.make_member(course, role="ta", name="Tomas Assistant")
    enrollment = _enrollment(course, ta)
    auth.login(f.instructor_of(course))
    url = f"/c/{course.slug}/roster/{enrollment.id}/remove"
    response = client.post(url, data={})
    assert response.status_code == 200
    db.session.refresh(enrollment)
    assert enrollment.ended_at is None
    page = response.get_data(as_text=True)
    assert "Tick the box to confirm that Tomas Assistant leaves the course." in page
    assert "come back as a student, not as a TA" in page
    assert client.post(url, data={"confirm": "yes"}).status_code == 302
    db.session.refresh(enrollment)
    assert enrollment.ended_at is not None


def test_the_enrollment_page_offers_the_confirmation_box(client, auth):
    course = f.make_course()
    student = f.make_member(course, name="Sam Student")
    auth.login(f.instructor_of(course))
    page = client.get(f"/c/{course.slug}/roster/{_enrollment(course, student).id}").get_data(as_text=True)
    assert 'name="confirm" value="yes" required' in page and "Yes, remove Sam Student from the course" in page


def test_removing_extensions_and_excusals_asks_first(client, auth):
    from coursesite.models import Excusal, Extension

    course = f.make_course()
    assignment = f.make_assignment(course)
    late, away = f.make_member(course), f.make_member(course)
    f.make_extension(assignment, late, post_due_at=assignment.post_due_at)
    f.make_excusal(assignment, away, reason="Field trip")
    auth.login(f.instructor_of(course))
    url = f"/c/{course.slug}/assignments/{assignment.id}/exceptions"
    data = {"students": [str(late.id), str(away.id)], "action": "clear"}
    response = client.post(url, data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This deletes 1 extension and 1 excusal, with their dates and reasons." in page
    assert 'name="confirm" value="yes" required' in page
    assert len(db.session.scalars(select(Extension)).all()) == 1
    assert len(db.session.scalars(select(Excusal)).all()) == 1
    assert client.post(url, data={**data, "confirm": "yes"}).status_code == 302
    assert db.session.scalars(select(Extension)).all() == [] and db.session.scalars(select(Excusal)).all() == []
