"""Quarter-hour counts put on the course's local days, across clock changes and in zones off the hour."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from coursesite.participation.sqltime import per_local_day
from coursesite.text.timefmt import to_local


def _keys(start: datetime, days: int) -> list[datetime]:
    return [start + timedelta(minutes=15 * i) for i in range(days * 96)]


def _as_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _as_number(moment: datetime) -> int:
    return int(moment.timestamp()) // 900


@pytest.mark.parametrize("tz", ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu",
                                "Pacific/Chatham", "UTC"])
@pytest.mark.parametrize("form", [_as_text, _as_number])
def test_each_quarter_hour_lands_on_its_local_day(tz, form):
    # Spans the spring and autumn changes of both hemispheres.
    moments = _keys(datetime(2026, 3, 27, tzinfo=UTC), 12) + _keys(datetime(2026, 10, 1, tzinfo=UTC), 40)
    rows = [(form(m), 1 + i % 3) for i, m in enumerate(moments)]
    expected: Counter[date] = Counter()
    for (_key, n), moment in zip(rows, moments, strict=True):
        expected[to_local(moment, tz).date()] += n
    assert per_local_day(rows, tz) == expected


def test_a_comment_late_in_the_utc_day_counts_for_the_next_local_day():
    assert per_local_day([("2026-02-03 23:45", 2)], "Pacific/Auckland") == Counter({date(2026, 2, 4): 2})
    assert per_local_day([("2026-02-03 00:15", 1)], "America/Chicago") == Counter({date(2026, 2, 2): 1})
