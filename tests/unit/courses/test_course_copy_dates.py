"""Moving a course's dates by whole weeks keeps weekday and wall-clock time, across DST changes."""

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from coursesite.courses.course_copy import shift_weeks
from coursesite.text.timefmt import to_local

NY = "America/New_York"


def test_friday_5pm_stays_friday_5pm_when_the_clocks_change():
    due = datetime(2026, 10, 23, 21, 0, tzinfo=UTC)  # Friday 5:00 pm EDT
    moved = shift_weeks(due, 2, NY)  # Friday November 6: EST
    assert moved == datetime(2026, 11, 6, 22, 0, tzinfo=UTC)
    assert to_local(moved, NY).strftime("%A %H:%M") == "Friday 17:00"


def test_negative_weeks_and_none():
    assert shift_weeks(datetime(2026, 11, 6, 22, 0, tzinfo=UTC), -2, NY) == datetime(2026, 10, 23, 21, 0, tzinfo=UTC)
    assert shift_weeks(None, 3, NY) is None


def test_time_landing_in_a_dst_gap_moves_forward():
    # Sunday March 1, 2026 2:30 am EST; one week on, 2:30 am does not exist (the clocks skip to 3:00).
    moved = shift_weeks(datetime(2026, 3, 1, 7, 30, tzinfo=UTC), 1, NY)
    assert to_local(moved, NY).strftime("%Y-%m-%d %H:%M") == "2026-03-08 03:30"


def test_repeated_hour_keeps_which_one():
    second = datetime(2025, 11, 2, 6, 30, tzinfo=UTC)  # the second 1:30 am of 2025 (EST)
    assert shift_weeks(second, 52, NY) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)),
       st.integers(min_value=-104, max_value=104))
def test_weekday_is_always_kept(value, weeks):
    moved = shift_weeks(value, weeks, NY)
    assert to_local(moved, NY).weekday() == to_local(value, NY).weekday()
