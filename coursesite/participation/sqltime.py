"""Deadline arithmetic that runs the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import BigInteger, and_, case, func, literal, text
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
    # Once per transaction (a page counts several times); a savepoint's rollback undoes the setting, so a
    # savepoint is a transaction of its own here.
    transaction = connection.get_nested_transaction() or connection.get_transaction()
    if connection.info.get("jit_off_in") is not transaction:
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


class _utc_minutes(FunctionElement):  # noqa: N801 - reads as SQL
    """Whole minutes since 1970 (PostgreSQL)."""

    type = BigInteger()
    inherit_cache = True
    name = "utc_minutes"


@compiles(_utc_minutes)
def _utc_minutes_default(element, compiler, **kw):
    return f"CAST(floor(date_part('epoch', {compiler.process(list(element.clauses)[0], **kw)}) / 60) AS BIGINT)"


# How far back whole stretches of a day are grouped as one: a term and then some. Older rows (an essay
# imported from an old blog) are grouped by quarter hour, as before.
DAY_STRETCHES_BACK = timedelta(days=400)


@dataclass(frozen=True)
class DayStretches:
    """Where rows need not be grouped by quarter hour to land on the right local day of a zone.

    From `start` to `end`, on each UTC day but the `irregular` ones (a clock change falls on them), the zone's
    offset holds all day, so its local midnight falls at one of `splits` (minutes into the UTC day): rows
    between two neighbouring splits share a local day, and one key for the stretch is enough.
    """

    start: datetime
    end: datetime
    irregular: tuple[date, ...]
    splits: tuple[int, ...]


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@lru_cache(maxsize=32)
def day_stretches(tz_name: str, today: date) -> DayStretches:
    """The zone's local midnights, as minutes into the UTC day, from DAY_STRETCHES_BACK before `today` to a
    week after it; the same test of a day as `per_local_day`'s (its offset at both ends)."""
    first, end = today - DAY_STRETCHES_BACK, today + timedelta(days=7)
    irregular, splits = [], set()
    day, offset = first, _offset_minutes(_midnight(first), tz_name)
    while day < end:
        following = _offset_minutes(_midnight(day + _ONE_DAY), tz_name)
        if following == offset:
            splits.add(-offset % 1440)
        else:
            irregular.append(day)
        day, offset = day + _ONE_DAY, following
    splits.discard(0)
    return DayStretches(_midnight(first), _midnight(end), tuple(irregular), tuple(sorted(splits)))


def local_day_key(moment: ColumnElement, tz_name: str, today: date, dialect: str) -> ColumnElement:
    """`quarter_hour(moment)`, coarsened where `day_stretches` allow to the start of the stretch of the UTC day
    it falls in: the same form, which `per_local_day` puts on the same local day, in a few rows per day
    rather than up to 96. Which local day it is stays Python's (zoneinfo) to decide."""
    stretches = day_stretches(tz_name, today)
    inside = and_(moment >= stretches.start, moment < stretches.end)
    if dialect == "sqlite":  # the stored text 'YYYY-MM-DD HH:MM:...'
        clock = func.substr(moment, 12, 5)
        starts = [f"{split // 60:02d}:{split % 60:02d}" for split in reversed(stretches.splits)]
        stretch = case(*((clock >= start, start) for start in starts), else_="00:00") if starts else literal("00:00")
        regular = and_(inside, func.substr(moment, 1, 10).not_in([day.isoformat() for day in stretches.irregular]))
        return case((regular, func.substr(moment, 1, 11).concat(stretch)), else_=quarter_hour(moment))
    minutes = _utc_minutes(moment)  # quarter hours since 1970, as quarter_hour counts them
    day = minutes // 1440
    stretch = case(*((minutes % 1440 >= split, split // 15) for split in reversed(stretches.splits)), else_=0) \
        if stretches.splits else literal(0)
    regular = and_(inside, day.not_in([(d - _EPOCH).days for d in stretches.irregular]))
    return case((regular, day * 96 + stretch), else_=quarter_hour(moment))


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
