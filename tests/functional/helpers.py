"""Helpers for functional tests of the assignment pages."""

from __future__ import annotations

from tests.factories import DEFAULT_PASSWORD


def login_client(app, user):
    """A fresh client logged in as `user`, so one test can look at a page as several people."""
    client = app.test_client()
    if user is not None:
        response = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
        assert response.status_code == 302
    return client
