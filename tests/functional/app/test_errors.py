"""Friendly error pages in the site's layout; the 500 handler leaves nothing half-written."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import User
from tests import factories as f


def page(response) -> str:
    return response.get_data(as_text=True)


def in_layout(html: str) -> bool:
    return 'class="site-header"' in html and 'class="site-footer"' in html and "Go to your courses" in html


def test_404_page(client):
    response = client.get("/c/nowhere/")
    assert response.status_code == 404
    assert in_layout(page(response)) and "Page not found" in page(response)


def test_404_as_json_for_json_clients(client):
    response = client.get("/nowhere", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.json["error"] == "Page not found"


def test_403_page(client, auth):
    auth.login(f.make_user())
    response = client.get("/courses/new")
    assert response.status_code == 403
    assert in_layout(page(response)) and "You do not have permission to see this page." in page(response)


def test_405_page_keeps_the_allow_header(client):
    response = client.get("/auth/logout")
    assert response.status_code == 405
    assert in_layout(page(response)) and set(response.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}


def test_400_page(client, app):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/auth/logout")
    assert response.status_code == 400
    assert in_layout(page(response)) and "Bad request" in page(response)


@pytest.fixture
def app_config(base_config, tmp_path):
    return {**base_config, "MAX_CONTENT_LENGTH": 1024, "LOGIN_RATE_LIMIT": "1 per 5 minutes",
            "UPLOAD_FOLDER": str(tmp_path)}


def test_413_page(client):
    response = client.post("/auth/login", data={"email": "a@example.org", "password": "x" * 5000})
    assert response.status_code == 413
    assert in_layout(page(response)) and "larger than this site accepts" in page(response)


def test_429_page_says_when_to_retry(client):
    client.post("/auth/login", data={"email": "a@example.org", "password": "wrong password"})
    response = client.post("/auth/login", data={"email": "a@example.org", "password": "wrong password"})
    assert response.status_code == 429
    assert in_layout(page(response)) and "Too many requests" in page(response)
    assert int(response.headers["Retry-After"]) > 0


def test_500_page_rolls_back_what_the_request_wrote(app, client, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def half_done():
        db.session.add(User(email="half@example.org", display_name="Half Written"))
        db.session.flush()
        raise RuntimeError("boom")

    # The shared test app has served requests already, so swap a view in rather than add a route.
    monkeypatch.setitem(app.view_functions, "courses.index", half_done)
    response = client.get("/")
    assert response.status_code == 500
    assert in_layout(page(response)) and "Something went wrong" in page(response)
    assert db.session.scalar(select(User).where(User.email == "half@example.org")) is None
