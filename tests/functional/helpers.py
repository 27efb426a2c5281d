"""Helpers for functional tests of the assignment pages."""

from __future__ import annotations

import pytest
from flask import g
from werkzeug import security

from coursesite.models import user as user_model

from ..factories import DEFAULT_PASSWORD


@pytest.fixture
def fast_passwords(monkeypatch):
    """Cheap password hashes: these tests create many accounts and are about pages, not hashing."""
    def cheap(password: str) -> str:
        return security.generate_password_hash(password, "pbkdf2:sha256:1000")

    monkeypatch.setattr(user_model, "generate_password_hash", cheap)


def login_client(app, user):
    """A fresh client logged in as `user` (the test's app context outlives requests, so forget the last user)."""
    g.pop("_login_user", None)
    g.pop("_memberships", None)
    client = app.test_client()
    if user is not None:
        response = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
        assert response.status_code == 302
    return client
