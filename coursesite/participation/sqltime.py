"""Deadline arithmetic that runs the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from coursesite.models.types import UTCDateTime
from coursesite.text.timefmt import to_local

_EPOCH = date(1970, 1, 1)
_ONE_DAY = timedelta(days=1)


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
    # Stored as 'YYYY-MM-DD HH:MM:SS.ffffff': shift the first 19 characters, keep the microseconds. No minutes
    # (most students, most assignments) leave the moment as it is, without parsing it.
    return (f"(CASE WHEN {minutes} = 0 THEN {moment} ELSE"
            f" strftime('%Y-%m-%d %H:%M:%S', {moment}, printf('%+d minutes', {minutes})) || substr({moment}, 20) END)")



def without_jit(session: Session) -> None:
    """PostgreSQL's JIT compiles these aggregates for longer than they run: off for this transaction."""
    if session.get_bind().dialect.name != "postgresql":
        return
    connection = session.connection()
    transaction = connection.get_transaction()
    if connection.info.get("jit_off_in") is not transaction:  # once per transaction: a page counts several times
        session.execute(text("SET LOCAL jit = off"))
        connection.info["jit_off_in"] = transaction


class quarter_hour(FunctionElement):  # noqa: N801 - reads as SQL
    """The UTC quarter hour a moment falls in, as a key rows can be grouped by and put on the right local day
    in any time zone (every zone's offset is a whole number of quarter hours): the text 'YYYY-MM-DD HH:MM' on
    SQLite, the number of quarter hours since 1970 on PostgreSQL. `per_local_day` reads either."""

    inherit_cache = True
    name = "quarter_hour"


@compiles(quarter_hour)
def _quarter_hour_default(element, compiler, **kw):
    moment = compiler.process(list(element.clauses)[0], **kw)
    # A number per row, no date formatting: that is done once per quarter hour, in Python.
    return f"CAST(floor(date_part('epoch', {moment}) / 900) AS BIGINT)"


@compiles(quarter_hour, "sqlite")
def _quarter_hour_sqlite(element, compiler, **kw):
    moment = compiler.process(list(element.clauses)[0], **kw)
    # Read off the stored text 'YYYY-MM-DD HH:MM:...', as plus_minutes does: no date parsing per row.
    return (f"(substr({moment}, 1, 14)"
            f" || printf('%02d', (cast(substr({moment}, 15, 2) as integer) / 15) * 15))")


def _offset_minutes(moment: datetime, tz_name: str) -> int:
    return int(to_local(moment, tz_name).utcoffset().total_seconds()) // 60


def _by_utc_day(counted: Iterable[tuple[str | int, int]]) -> dict[str | int, list[tuple[int, int]]]:
    """Rows grouped by their key's UTC day ('YYYY-MM-DD', or days since 1970), as (minutes into it, count)."""
    days: dict[str | int, list[tuple[int, int]]] = defaultdict(list)
    for key, n in counted:
        if isinstance(key, str):  # 'YYYY-MM-DD HH:MM'
            days[key[:10]].append((int(key[11:13]) * 60 + int(key[14:16]), n))
        else:
            minutes = int(key) * 15
            days[minutes // 1440].append((minutes % 1440, n))
    return days


def per_local_day(counted: Iterable[tuple[str | int, int]], tz_name: str) -> Counter[date]:
    """(quarter_hour key, count) rows summed per local day of the zone.

    The zone's offset is looked up twice per UTC day rather than once per quarter hour: where it is the same at
    both ends of the day (every day but those a clock change falls on), it holds all day.
    """
    per_day: Counter[date] = Counter()
    for day_key, counts in _by_utc_day(counted).items():
        day = date.fromisoformat(day_key) if isinstance(day_key, str) else _EPOCH + timedelta(days=day_key)
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        offset = _offset_minutes(start, tz_name)
        if offset == _offset_minutes(start + _ONE_DAY, tz_name):
            local_days = (day - _ONE_DAY, day, day + _ONE_DAY)  # offsets are within a day either way
            for minute, n in counts:
                per_day[local_days[(minute + offset) // 1440 + 1]] += n
        else:
            for minute, n in counts:
                per_day[to_local(start + timedelta(minutes=minute), tz_name).date()] += n
    return per_day
