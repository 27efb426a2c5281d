"""Engine tuning: SQLite pragmas, write transactions that wait instead of failing, and the hot paths'
statements run on the driver's cursor, their rows put in the session as the ORM would load them."""

from __future__ import annotations

import select as io_select
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from flask import has_request_context, request
from sqlalchemy import (
    ColumnElement,
    Connection,
    Dialect,
    Engine,
    Insert,
    Select,
    Table,
    bindparam,
    event,
    insert,
    inspect,
    select,
)
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_dict, set_committed_value

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


def configure_postgresql(engine: Engine) -> None:
    """A connection taken from the pool is pinged only when the server has said something since it went back:
    a server that ends a connection (a restart, an idle timeout, pg_terminate_backend) sends its goodbye and
    closes the socket, which then reads as ready. A ping on every checkout was a round trip, and a tenth of
    a comment post's statements, to learn what the socket already tells."""

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, _record, _proxy) -> None:
        if dbapi_connection.closed or dbapi_connection.broken:
            raise DisconnectionError("the connection is closed")
        if _has_unread(dbapi_connection.fileno()):
            try:
                engine.dialect.do_ping(dbapi_connection)
            except engine.dialect.loaded_dbapi.Error as error:
                raise DisconnectionError("the server closed the connection") from error


def _has_unread(fd: int) -> bool:
    poller = io_select.poll()
    poller.register(fd, io_select.POLLIN | io_select.POLLPRI)
    return bool(poller.poll(0))


class DriverStatement:
    """A SELECT, or an INSERT ... RETURNING, compiled once for one dialect and run on the driver's cursor,
    returning its first row.

    For the statements of the most frequent requests (the signed-in user, the course of a course page, an
    essay read or commented on, a comment's rows): SQLAlchemy's work around each execution (parameters,
    events, the transaction it begins and rolls back, result rows) cost five times what SQLite spends
    running the statement, and the ORM's loading or unit of work as much again. Values
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


@lru_cache(maxsize=64)
def on_driver(statement: Select | Insert, dialect: Dialect) -> DriverStatement:
    """`statement` (built once, at import) compiled for `dialect` once."""
    return DriverStatement(statement, dialect)


def first_on_driver(session: Session, statement: Select | Insert, values: dict[str, Any]):
    """The first row of `statement` (an INSERT's RETURNING), on the session's connection and in its
    transaction; what the session holds unwritten is flushed first, as a query through the session would."""
    if session.autoflush:
        session.flush()
    connection = session.connection()
    return on_driver(statement, connection.dialect).first(connection, values)


def columns_of(model: type) -> list:
    """A mapped class's columns, in the order `as_loaded` takes their values."""
    return [getattr(model, key) for key in _column_keys(model)]


@lru_cache(maxsize=64)
def _column_keys(model: type) -> tuple[str, ...]:
    return tuple(attribute.key for attribute in inspect(model).column_attrs)


@lru_cache(maxsize=64)
def _primary_key_keys(model: type) -> tuple[str, ...]:
    mapper = inspect(model)
    return tuple(mapper.get_property_by_column(column).key for column in mapper.primary_key)


def as_loaded(session: Session, model: type, values: Sequence | Mapping[str, Any]):
    """The `model` instance whose column values (in columns_of order, or by name with NULL for those left out)
    were read or written on the driver's cursor, in `session` as the ORM would have loaded it: the instance
    already there (its expired values filled in), or a new one with its values set as loaded (no validators,
    no change history). None when the primary key is NULL (an outer join's miss)."""
    mapper = inspect(model)
    if isinstance(values, Mapping):
        by_key = {key: values.get(key) for key in _column_keys(model)}
    else:
        by_key = dict(zip(_column_keys(model), values, strict=True))
    primary_key = [by_key[key] for key in _primary_key_keys(model)]
    if None in primary_key:
        return None
    instance = session.identity_map.get(mapper.identity_key_from_primary_key(primary_key))
    if instance is not None:
        for key in inspect(instance).unloaded & by_key.keys():
            set_committed_value(instance, key, by_key[key])
        return instance
    instance = mapper.class_manager.new_instance()
    instance_dict(instance).update(by_key)  # as the ORM's own loading sets them
    make_transient_to_detached(instance)  # which commits them: no change history
    session.add(instance)
    return instance


@lru_cache(maxsize=16)
def _by_id(model: type) -> Select:
    return select(*columns_of(model)).where(inspect(model).primary_key[0] == bindparam("id"))


def get_on_driver(session: Session, model: type, id_: int):
    """session.get(model, id_) for a read every request makes (the signed-in user), on the driver's cursor
    unless the session holds the instance with its values loaded."""
    found = session.identity_map.get(inspect(model).identity_key_from_primary_key([id_]))
    if found is not None and inspect(found).unloaded.isdisjoint(_column_keys(model)):
        return found
    row = first_on_driver(session, _by_id(model), {"id": id_})
    return None if row is None else as_loaded(session, model, row)


def column_param(table: Table, name: str):
    """A parameter named after `table`'s column `name`, converted as that column converts its values."""
    return bindparam(name, type_=table.c[name].type)


def row_insert(table: Table, columns: tuple[str, ...], where: ColumnElement[bool] | None = None) -> Insert:
    """An INSERT of one row that sets `columns` (parameters of the same names) and returns the new id; with
    `where`, an INSERT ... SELECT that writes the row only if `where` holds. Every other column is NULL: no
    default runs on the driver's cursor, so a column that has one, or that must not be NULL, is refused when
    left out, and the row as written is `columns` and the id."""
    left_out = [column.name for column in table.c
                if column.name not in columns and not column.primary_key
                and (column.default is not None or column.server_default is not None or not column.nullable)]
    if left_out:
        raise ValueError(f"{table.name}: {', '.join(left_out)} must be given")
    values = [column_param(table, name) for name in columns]
    statement = (insert(table).values(dict(zip(columns, values, strict=True))) if where is None
                 else insert(table).from_select(columns, select(*values).where(where)))
    return statement.returning(table.c.id)


def _processor(convert: Callable | None) -> Callable:
    return convert or _unchanged


def _unchanged(value):
    return value
