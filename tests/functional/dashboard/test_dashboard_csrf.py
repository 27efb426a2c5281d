"""CSRF on: the grading and rubric forms keep what was typed when the token is missing; buttons are refused."""

import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import Grade, RubricCriterion
from tests.functional.grading_world import build_grading_world
from tests.functional.security.test_csrf import OLD_SESSION, login, token_from


@pytest.fixture
def app_config(base_config, tmp_path):
    return {**base_config, "WTF_CSRF_ENABLED": True, "UPLOAD_FOLDER": str(tmp_path)}


@pytest.fixture
def w(app, client):
    world = build_grading_world()
    login(client, world.instructor)
    return world


def base(w):
    return f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}"


def test_grade_form_without_token_keeps_the_feedback(client, w):
    url = f"{base(w)}/grade/{w.students[0].id}"
    page = client.post(url, data={"essay_score": "7", "feedback": "Long careful feedback", "version": "0"}
                       ).get_data(as_text=True)
    assert OLD_SESSION in page and "Long careful feedback" in page and 'value="7"' in page
    assert db.session.scalar(select(func.count(Grade.id))) == 0
    token = token_from(client, url)
    assert client.post(url, data={"essay_score": "7", "version": "0", "csrf_token": token}).status_code == 302


def test_rubric_form_without_token_keeps_the_rows(client, w):
    page = client.post(f"{base(w)}/rubric", data={"mode": "rubric", "criteria-0-title": "Thesis",
                                                  "criteria-0-points": "10"}).get_data(as_text=True)
    assert OLD_SESSION in page and 'value="Thesis"' in page
    assert db.session.scalar(select(func.count(RubricCriterion.id))) == 0


def test_release_button_needs_the_token(client, w):
    assert client.post(f"{base(w)}/release").status_code == 400
    assert w.assignment.grades_released_at is None
    token = token_from(client, f"{base(w)}/release")
    assert client.post(f"{base(w)}/release", data={"csrf_token": token}).status_code == 302
