"""SQLite tuning: pragmas, statistics for the query planner, and write transactions that wait instead of
failing."""

from __future__ import annotations

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
# How often a pooled connection looks again for tables that outgrew their statistics.
ANALYZE_EVERY_S = 3600
_LAST_ANALYZE = "coursesite.sqlite_analyzed_at"


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
        cursor.close()
        record.info[_LAST_ANALYZE] = time.monotonic()
        analyze_outgrown(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write() else "BEGIN")

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection, record) -> None:
        # A worker's connection can live for days: now and then, after its request, it looks again.
        if dbapi_connection is not None and time.monotonic() - record.info.get(_LAST_ANALYZE, 0) >= ANALYZE_EVERY_S:
            record.info[_LAST_ANALYZE] = time.monotonic()
            analyze_outgrown(dbapi_connection)


def analyze_outgrown(dbapi_connection: sqlite3.Connection) -> list[str]:
    """Analyze the tables whose statistics are missing or were taken at less than half their present size,
    as PostgreSQL's autovacuum analyzes a table that has changed enough; returns their names.

    SQLite has no autovacuum, and without statistics its planner guesses every join: a 3,000-student class's
    pages took several times longer. Whole tables, not a sample (`analysis_limit`): sampled statistics still
    left that class's dashboard half again slower, and the whole database took 0.12 s. A table's size is read
    as its largest rowid, a single index step. A read-only or busy database goes without (the statistics
    only inform the planner).
    """
    try:
        outgrown = [table for table, analyzed in _analyzed_rows(dbapi_connection).items()
                    if _more_rows_than(dbapi_connection, table, 2 * analyzed)]
        for table in outgrown:
            dbapi_connection.execute(f'ANALYZE "{table}"').close()
    except sqlite3.OperationalError:
        return []
    return outgrown


def _analyzed_rows(dbapi_connection: sqlite3.Connection) -> dict[str, int]:
    """Each of the schema's tables: its rows when last analyzed, 0 if never."""
    analyzed: dict[str, int] = {}
    if dbapi_connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        # A row's stat starts with the table's row count (the rest is per index column).
        analyzed = dict(dbapi_connection.execute(
            "SELECT tbl, max(CAST(stat AS INTEGER)) FROM sqlite_stat1 GROUP BY tbl").fetchall())
    return {name: analyzed.get(name, 0) for (name,) in dbapi_connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}


def _more_rows_than(dbapi_connection: sqlite3.Connection, table: str, limit: int) -> bool:
    """Whether `table` holds more than `limit` rows: its largest rowid, one index step, settles most tables;
    only where rows were deleted are they counted."""
    # The names are the schema's own, read from sqlite_master.
    largest = dbapi_connection.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0] or 0  # noqa: S608
    if largest <= limit:
        return False
    return dbapi_connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] > limit  # noqa: S608
