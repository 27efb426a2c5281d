"""Engine tuning: SQLite pragmas, write transactions that wait instead of failing, and the hot paths'
statements run on the driver's cursor."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from typing import Any

from flask import has_request_context, request
from sqlalchemy import Connection, Dialect, Engine, Insert, Select, Table, bindparam, event, insert
from sqlalchemy.exc import DBAPIError

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=30000",
)


def _wants_write() -> bool:
    """Requests that change state take the write lock up front; reads stay concurrent."""
    return not has_request_context() or request.method not in {"GET", "HEAD", "OPTIONS"}


def configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (savepoints need this too).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write() else "BEGIN")


class DriverStatement:
    """A SELECT, or an INSERT ... RETURNING, compiled once for one dialect and run on the driver's cursor,
    returning its first row.

    For the statements of the most frequent requests (reading an essay, posting a comment): SQLAlchemy's
    work around each execution (parameters, events, the transaction it begins and rolls back, result rows)
    cost five times what SQLite spends running the statement, and the ORM's unit of work more again. Values
    go in and come out converted by the column types, as SQLAlchemy would convert them, and whoever watches
    the engine's statements (before_cursor_execute) still sees it. In a transaction begun on the connection,
    it is part of that transaction. On a connection with none begun it reads on its own: SQLite's driver
    runs it in autocommit, and PostgreSQL's transaction ends when the connection goes back to the pool.
    """

    def __init__(self, statement: Select | Insert, dialect: Dialect):
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        convert = {name: _processor(bind.type.dialect_impl(dialect).bind_processor(dialect))
                   for bind, name in compiled.bind_names.items()}
        required = {bind.key: name for bind, name in compiled.bind_names.items() if bind.required}
        # The statement's own values (literals, constants) are converted once, here.
        defaults = compiled.construct_params(dict.fromkeys(required))
        self.fixed = {name: convert[name](value) for name, value in defaults.items()
                      if name not in required.values()}
        self.given = [(key, name, convert[name]) for key, name in required.items()]
        self.positions = compiled.positiontup if dialect.positional else None
        columns = statement.exported_columns  # a SELECT's columns, an INSERT's RETURNING
        self.results = [_processor(column.type.dialect_impl(dialect).result_processor(dialect, None))
                        for column in columns]
        self.row = namedtuple("Row", list(columns.keys()), rename=True)

    def first(self, connection: Connection, values: dict[str, Any]):
        """The first row, or None; `values` names every parameter the statement left unset."""
        if len(values) != len(self.given) or any(key not in values for key, _, _ in self.given):
            raise ValueError(f"parameters {sorted(key for key, _, _ in self.given)} expected, got {sorted(values)}")
        params = dict(self.fixed)
        for key, name, convert in self.given:
            params[name] = convert(values[key])
        if self.positions is not None:
            params = tuple(params[name] for name in self.positions)
        if connection.engine.dispatch.before_cursor_execute:
            connection.engine.dispatch.before_cursor_execute(connection, None, self.sql, params, None, False)
        dialect, dbapi_error = connection.dialect, connection.dialect.loaded_dbapi.Error
        try:
            cursor = connection.connection.cursor()
            try:
                cursor.execute(self.sql, params)
                found = cursor.fetchone()
            finally:
                cursor.close()
        except dbapi_error as error:
            # Raised as SQLAlchemy would raise it (callers handle its errors), giving up a closed connection.
            lost = dialect.is_disconnect(error, connection.connection, None)
            if lost:
                connection.invalidate(error)
            raise DBAPIError.instance(self.sql, params, error, dbapi_error, connection_invalidated=lost,
                                      dialect=dialect) from error
        if found is None:
            return None
        return self.row._make(convert(value) for convert, value in zip(self.results, found, strict=True))


def row_insert(table: Table, columns: tuple[str, ...]) -> Insert:
    """An INSERT of one row that sets `columns` (parameters of the same names) and returns the new id. The
    others take NULL or their server default: no Python default is run on the driver's cursor, so a column
    that has one, or that must not be NULL, is refused when left out."""
    left_out = [column.name for column in table.c
                if column.name not in columns and not column.primary_key and column.server_default is None
                and (column.default is not None or not column.nullable)]
    if left_out:
        raise ValueError(f"{table.name}: {', '.join(left_out)} must be given")
    return (insert(table)
            .values({name: bindparam(name, type_=table.c[name].type) for name in columns})
            .returning(table.c.id))


def _processor(convert: Callable | None) -> Callable:
    return convert or _unchanged


def _unchanged(value):
    return value
