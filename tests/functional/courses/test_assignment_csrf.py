"""With CSRF checks on: the assignment forms carry their token, and a rejected one keeps what was typed."""

import re

import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import Assignment, Excusal
from tests import factories as f


@pytest.fixture
def app_config(base_config, tmp_path):
    return {**base_config, "WTF_CSRF_ENABLED": True, "UPLOAD_FOLDER": str(tmp_path / "uploads")}


def token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def logged_in(app, user):
    from flask import g

    g.pop("_login_user", None)
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    client.post("/auth/login", data={"email": user.email, "password": f.DEFAULT_PASSWORD, "csrf_token": token(page)})
    return client


def test_create_with_token_and_rejected_token_keeps_text(app):
    course = f.make_course()
    client = logged_in(app, f.instructor_of(course))
    url = f"/c/{course.slug}/assignments/new"
    good = token(client.get(url).get_data(as_text=True))
    data = {"title": "Partition of India", "prompt": "Two paragraphs I do not want to lose.",
            "post_due_at": "2030-05-10T17:00", "late_policy": "accept", "peer_mode": "open", "peer_scope": "course"}
    rejected = client.post(url, data={**data, "csrf_token": "stale"})
    assert rejected.status_code == 200
    assert "Two paragraphs I do not want to lose." in rejected.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Assignment.id)).where(Assignment.course_id == course.id)) == 0
    assert client.post(url, data={**data, "csrf_token": good}).status_code == 302


def test_bulk_action_needs_the_token(app):
    course = f.make_course()
    student = f.make_member(course)
    assignment = f.make_assignment(course)
    client = logged_in(app, f.instructor_of(course))
    url = f"/c/{course.slug}/assignments/{assignment.id}/exceptions"
    data = {"students": str(student.id), "action": "excuse"}
    assert client.post(url, data=data).status_code == 200
    assert db.session.scalar(select(func.count(Excusal.id))) == 0
    good = token(client.get(url).get_data(as_text=True))
    assert client.post(url, data={**data, "csrf_token": good}).status_code == 302
