"""Deadline arithmetic that runs the same on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from ..models.types import UTCDateTime


class plus_minutes(FunctionElement):  # noqa: N801 - reads as SQL
    """`moment + minutes`; NULL stays NULL. SQLite keeps the stored text form, so comparisons stay exact."""

    type = UTCDateTime()
    inherit_cache = True
    name = "plus_minutes"

    def __init__(self, moment: ColumnElement, minutes: ColumnElement):
        super().__init__(moment, minutes)


@compiles(plus_minutes)
def _plus_minutes_default(element, compiler, **kw):
    moment, minutes = list(element.clauses)
    return f"({compiler.process(moment, **kw)} + make_interval(mins => {compiler.process(minutes, **kw)}))"


@compiles(plus_minutes, "sqlite")
def _plus_minutes_sqlite(element, compiler, **kw):
    moment, minutes = (compiler.process(c, **kw) for c in element.clauses)
    # Stored as 'YYYY-MM-DD HH:MM:SS.ffffff': shift the first 19 characters, keep the microseconds.
    return (f"(strftime('%Y-%m-%d %H:%M:%S', {moment}, printf('%+d minutes', {minutes}))"
            f" || substr({moment}, 20))")



def without_jit(session: Session) -> None:
    """PostgreSQL's JIT compiles these aggregates for longer than they run: off for this transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
