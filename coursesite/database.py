"""SQLite tuning: pragmas, statistics for the query planner, and write transactions that wait instead of
failing."""

from __future__ import annotations

import contextlib
import sqlite3
import time

from flask import has_request_context, request
from sqlalchemy import Engine, event

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=30000",
)
# How often a pooled connection asks SQLite whether the tables it used have grown enough to be analyzed again.
OPTIMIZE_EVERY_S = 3600
_LAST_OPTIMIZE = "coursesite.sqlite_optimized_at"


def _wants_write() -> bool:
    """Requests that change state take the write lock up front; reads stay concurrent."""
    return not has_request_context() or request.method not in {"GET", "HEAD", "OPTIONS"}


def configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, record) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (savepoints need this too).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        never_analyzed = cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone() is None
        cursor.close()
        if never_analyzed:
            # As PostgreSQL's autovacuum would: without statistics SQLite guesses its joins and reads a large
            # class's pages several times slower. Whole tables, not a sample (`analysis_limit`): sampled
            # statistics still cost a 3,000-student class's dashboard half again, and the whole took 0.12 s.
            _quietly(dbapi_connection, "ANALYZE")
        record.info[_LAST_OPTIMIZE] = time.monotonic()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write() else "BEGIN")

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection, record) -> None:
        # SQLite's advice for long-lived connections: now and then, analyze again the tables they used that
        # have grown (or were empty when first analyzed).
        if dbapi_connection is not None and time.monotonic() - record.info.get(_LAST_OPTIMIZE, 0) >= OPTIMIZE_EVERY_S:
            record.info[_LAST_OPTIMIZE] = time.monotonic()
            _quietly(dbapi_connection, "PRAGMA optimize")


def _quietly(dbapi_connection: sqlite3.Connection, statement: str) -> None:
    """Statistics only inform the planner: a read-only or busy database goes without them."""
    with contextlib.suppress(sqlite3.OperationalError):
        dbapi_connection.execute(statement).close()
