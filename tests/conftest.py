"""Test fixtures: the schema is built once per session; every test runs inside a rolled-back transaction.

Set COURSESITE_TEST_DATABASE_URL (postgresql+psycopg://...) to run the same suite on PostgreSQL.
"""

from __future__ import annotations

import importlib.util
import os
import re
from functools import partial
from pathlib import Path

import pytest
from flask import Flask, g, request_started, request_tearing_down
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id
from hypothesis import settings
from jinja2 import BytecodeCache
from sqlalchemy import event
from sqlalchemy.orm import scoped_session, sessionmaker
from werkzeug.security import generate_password_hash

from coursesite import create_app
from coursesite.extensions import cache, db, limiter
from tests.factories import DEFAULT_PASSWORD

TEST_DATABASE_URL = os.environ.get("COURSESITE_TEST_DATABASE_URL")

# Property tests check behaviour, not speed: a busy CI machine must not fail them on Hypothesis's deadline.
settings.register_profile("coursesite", deadline=None)
# CI draws the same examples on every run, so whether a submission lands does not depend on the draw;
# developers' runs keep exploring new ones.
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "coursesite")

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
        "BASE_URL": "http://coursesite.test",
        # Hashing strength is not under test; a cheap method keeps the suite fast.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # In memory: each test starts with an empty cache (the app fixture clears it).
        "CACHE_TYPE": "SimpleCache",
    }


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """scrypt takes a noticeable fraction of a second per hash; tests make hundreds of accounts."""
    from coursesite.models import user as user_module

    patch = pytest.MonkeyPatch()
    patch.setattr(user_module, "generate_password_hash", partial(generate_password_hash, method="pbkdf2:sha256:1000"))
    yield
    patch.undo()


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


class _SharedTemplateCache(BytecodeCache):
    """Each test makes a new app; compile each template once per test session, not once per test."""

    def __init__(self):
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = _SharedTemplateCache()


def _fresh_globals(sender, **extra) -> None:
    """Requests in a test share the test's app context (and so its DB session); give each one an empty
    `g`, as a real request has, so the logged-in user and per-request caches do not leak between them."""
    vars(g._get_current_object()).clear()


class ServerLikeClient(FlaskClient):
    """Reads each response whole, then closes it, as gunicorn and the development server do, so what the app
    leaves for after the response (mail) is done when a request returns. `buffered=False` keeps a response
    open until the test closes it."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


# Settings that differ per test and are applied to a shared app rather than making a new one.
PER_TEST_SETTINGS = frozenset({"UPLOAD_FOLDER"})
_APPS: dict[str, Flask] = {}


def _app_for(config: dict, instance_path: Path) -> Flask:
    """One app per distinct configuration: building an app compiles every URL rule, which cost more
    than most tests. Each test still gets its own transaction, config, outbox and limiter state."""
    # COURSESITE_* variables (a test may set COURSESITE_ENV=production) shape the app as much as the config.
    environment = sorted((k, v) for k, v in os.environ.items()
                         if k.startswith("COURSESITE_") and k != "COURSESITE_INSTANCE_PATH")
    key = repr((sorted((k, repr(v)) for k, v in config.items() if k not in PER_TEST_SETTINGS), environment))
    if key not in _APPS:
        os.environ["COURSESITE_INSTANCE_PATH"] = str(instance_path)
        app = create_app(config)
        app.jinja_env.bytecode_cache = TEMPLATE_CACHE
        app.test_client_class = ServerLikeClient
        request_started.connect(_fresh_globals, app)
        request_tearing_down.connect(_fresh_globals, app)
        _APPS[key] = app
    return _APPS[key]


@pytest.fixture
def app(app_config, tmp_path_factory):
    app = _app_for(app_config, tmp_path_factory.mktemp("instance"))
    saved_config = app.config.copy()
    app.config.update({k: v for k, v in app_config.items() if k in PER_TEST_SETTINGS})
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
        cache.clear()
        try:
            yield app
        finally:
            db.session.remove()
            db.session = original_session
            outer.rollback()
            connection.close()
            app.config.clear()
            app.config.update(saved_config)


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
            if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|PRAGMA|SET LOCAL)", statement, re.I):
                self.statements.append(statement)

    return Counter
