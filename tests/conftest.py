"""Test fixtures: the schema is built once per session; every test runs inside a rolled-back transaction.

Set COURSESITE_TEST_DATABASE_URL (postgresql+psycopg://...) to run the same suite on PostgreSQL.
"""

from __future__ import annotations

import importlib.util
import os
import re

import pytest
from flask import g, request_started
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import event
from sqlalchemy.orm import scoped_session, sessionmaker

from coursesite import create_app
from coursesite.extensions import db, limiter

from .factories import DEFAULT_PASSWORD

TEST_DATABASE_URL = os.environ.get("COURSESITE_TEST_DATABASE_URL")

# The browser suite needs the e2e extra (`make e2e`); without it a bare `pytest` leaves it out.
collect_ignore = [] if importlib.util.find_spec("pytest_playwright") else ["e2e"]


def _base_config(tmp_path_factory) -> dict:
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path_factory.getbasetemp() / 'test.sqlite3'}"
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_ENABLED": True,
        "MAIL_SERVER": None,
        "SERVER_NAME": "coursesite.test",
    }


@pytest.fixture(scope="session")
def base_config(tmp_path_factory) -> dict:
    config = _base_config(tmp_path_factory)
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    return config


@pytest.fixture
def app_config(base_config, tmp_path) -> dict:
    """Override in a test module to change the configuration (e.g. CSRF on)."""
    return {**base_config, "UPLOAD_FOLDER": str(tmp_path / "uploads")}


@pytest.fixture
def app(app_config, monkeypatch, tmp_path):
    monkeypatch.setenv("COURSESITE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(app_config)
    app.extensions["coursesite_outbox"] = []
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original_session = db.session
        # A plain SQLAlchemy session bound to the one connection (Flask-SQLAlchemy's own session
        # picks an engine per query and would open a second connection).
        db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"), scopefunc=_app_ctx_id
        )
        limiter.reset()
        # Requests made while this app context is pushed reuse it, and so its `g`: without this, the
        # logged-in user and the membership cache of one request would leak into the next, as never in
        # production, where each request has its own context.
        request_started.connect(_forget_previous_request, app)
        try:
            yield app
        finally:
            db.session.remove()
            db.session = original_session
            outer.rollback()
            connection.close()
            db.engine.dispose()


def _forget_previous_request(sender, **extra) -> None:
    for name in list(g):
        g.pop(name)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def outbox(app) -> list:
    return app.extensions["coursesite_outbox"]


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password: str = DEFAULT_PASSWORD):
        email = getattr(user_or_email, "email", user_or_email)
        return self._client.post("/auth/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def count_queries(app):
    """Count SQL statements run inside the block: `with count_queries() as q: ...; q.count`."""

    class Counter:
        def __init__(self):
            self.statements: list[str] = []

        @property
        def count(self) -> int:
            return len(self.statements)

        def __enter__(self):
            event.listen(db.engine, "before_cursor_execute", self._record)
            return self

        def __exit__(self, *exc):
            event.remove(db.engine, "before_cursor_execute", self._record)

        def _record(self, conn, cursor, statement, *args):
            if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|PRAGMA)", statement, re.I):
                self.statements.append(statement)

    return Counter
