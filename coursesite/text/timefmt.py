"""Time at the edges: UTC inside, the course's zone when shown or typed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


class LocalTimeError(ValueError):
    """A typed local time that cannot be stored as given."""


class NonexistentLocalTime(LocalTimeError):
    pass


class AmbiguousLocalTime(LocalTimeError):
    pass


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise LocalTimeError(f"unknown time zone: {name}") from exc


def is_timezone(name: str) -> bool:
    return name in _zone_names()


_ZONES: frozenset[str] | None = None


def _zone_names() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


def timezone_choices() -> list[str]:
    return sorted(_zone_names())


def to_local(value: datetime, tz_name: str) -> datetime:
    try:
        return value.astimezone(zone(tz_name))
    except OverflowError:
        # A stored time so near the calendar's last day that the zone's offset would pass it: shown in UTC.
        return value.astimezone(UTC)


def _clock(local: datetime) -> str:
    hour = local.hour % 12 or 12
    return f"{hour}:{local.minute:02d} {'am' if local.hour < 12 else 'pm'}"


def wp_datetime(value: datetime, tz_name: str) -> str:
    """'April 3, 2017 at 12:23 pm', the way WordPress shows a comment's time."""
    local = to_local(value, tz_name)
    return f"{local:%B} {local.day}, {local.year} at {_clock(local)}"


def wp_date(value: datetime, tz_name: str) -> str:
    local = to_local(value, tz_name)
    return f"{local:%B} {local.day}, {local.year}"


def deadline_text(value: datetime, tz_name: str, now: datetime | None = None) -> str:
    """'Fri, Apr 7 at 5:00 pm EDT', with the year when it is not this year: 'Fri, Apr 6, 2018 at 5:00 pm EDT'.

    Always the date, never 'Friday' or 'today', so a list or table of deadlines reads one way; pages that
    want how far off it is add deadlines.time_left_text beside it.
    """
    local = to_local(value, tz_name)
    now = now or datetime.now(UTC)
    year = "" if to_local(now, tz_name).year == local.year else f", {local.year}"
    return f"{local:%a}, {local:%b} {local.day}{year} at {_clock(local)} {local.tzname()}"


def iso_local(value: datetime, tz_name: str) -> str:
    """The machine-readable form for <time datetime=...>, with the zone's offset."""
    return to_local(value, tz_name).isoformat(timespec="seconds")


def elapsed_text(delta: timedelta) -> str:
    """'2 h 5 min', '3 days 4 h', '45 s': how late, as elapsed time."""
    seconds = int(abs(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        text = f"{days} day{'s' if days != 1 else ''}"
        return f"{text} {hours} h" if hours else text
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min"
    return f"{secs} s"


def local_to_utc(naive: datetime, tz_name: str, fold: int | None = None) -> datetime:
    """Read a wall-clock time typed in the course's zone.

    A time skipped by a DST change is refused; one that happens twice needs `fold`
    (0 = the first, 1 = the second) and is refused without it.
    """
    tz = zone(tz_name)
    candidates = []
    for f in (0, 1):
        aware = naive.replace(tzinfo=tz, fold=f)
        back = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
        if back == naive.replace(tzinfo=None, fold=0):
            candidates.append(aware.astimezone(UTC))
    distinct = sorted(set(candidates))
    if not distinct:
        raise NonexistentLocalTime(
            f"{naive:%B} {naive.day}, {naive.year} at {_clock(naive)} does not exist in {tz_name} "
            "(the clocks skip it); choose another time"
        )
    if len(distinct) == 1:
        return distinct[0]
    if fold is None:
        raise AmbiguousLocalTime(
            f"{naive:%B} {naive.day}, {naive.year} at {_clock(naive)} happens twice in {tz_name}; "
            "choose which one"
        )
    return distinct[fold]
