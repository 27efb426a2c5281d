"""A PostgreSQL connection taken from the pool: pinged only when the server has said something since it went
back (coursesite.database.configure_postgresql). A connection the server ended is replaced, not handed to a
request that would then fail; a quiet one costs no round trip."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text

from coursesite.database import configure_postgresql

from ..conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(not (TEST_DATABASE_URL or "").startswith("postgresql"),
                                reason="checks PostgreSQL connections (COURSESITE_TEST_DATABASE_URL)")


@pytest.fixture
def engine(monkeypatch):
    engine = create_engine(TEST_DATABASE_URL, pool_size=1, max_overflow=0)
    configure_postgresql(engine)
    pings = []
    ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda connection: pings.append(1) or ping(connection))
    engine.pings = pings
    yield engine
    engine.dispose()


def _backend(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT pg_backend_pid()"))


def test_a_quiet_connection_is_taken_without_a_ping(engine):
    first = _backend(engine)
    assert _backend(engine) == first
    assert engine.pings == []


def test_a_connection_the_server_ended_is_replaced_before_anyone_uses_it(engine):
    ended = _backend(engine)
    admin = create_engine(TEST_DATABASE_URL)
    with admin.connect() as connection:
        assert connection.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": ended})
    admin.dispose()
    time.sleep(0.2)  # the goodbye and the closed socket reach this side
    with engine.connect() as connection:  # no error: the pool gave a new connection
        assert connection.scalar(text("SELECT pg_backend_pid()")) != ended
    assert engine.pings == [1]
