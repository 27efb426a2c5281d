"""Times shown the WordPress way in the course's zone; typed times read in that zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursesite.text import timefmt

NY = "America/New_York"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_wp_datetime_in_course_zone():
    assert timefmt.wp_datetime(utc(2017, 4, 3, 16, 23), NY) == "April 3, 2017 at 12:23 pm"
    assert timefmt.wp_datetime(utc(2017, 4, 3, 4, 5), NY) == "April 3, 2017 at 12:05 am"
    assert timefmt.wp_datetime(utc(2017, 4, 3, 4, 5), "Asia/Tokyo") == "April 3, 2017 at 1:05 pm"


def test_wp_date_crosses_midnight_by_zone():
    assert timefmt.wp_date(utc(2017, 1, 1, 2, 0), NY) == "December 31, 2016"


def test_wp_datetime_crosses_midnight_by_zone():
    assert timefmt.wp_datetime(utc(2017, 1, 1, 2, 0), NY) == "December 31, 2016 at 9:00 pm"


def test_iso_local_carries_the_offset():
    assert timefmt.iso_local(utc(2017, 4, 3, 16, 23), NY) == "2017-04-03T12:23:00-04:00"
    assert timefmt.iso_local(utc(2017, 1, 3, 17, 23), NY) == "2017-01-03T12:23:00-05:00"


def test_deadlines_near_and_far_read_the_same_way():
    now = utc(2017, 4, 3, 12, 0)  # Monday 8:00 am EDT
    assert timefmt.deadline_text(utc(2017, 4, 3, 21, 0), NY, now=now) == "Mon, Apr 3 at 5:00 pm EDT"
    assert timefmt.deadline_text(utc(2017, 4, 7, 21, 0), NY, now=now) == "Fri, Apr 7 at 5:00 pm EDT"
    assert timefmt.deadline_text(utc(2017, 4, 21, 21, 0), NY, now=now) == "Fri, Apr 21 at 5:00 pm EDT"
    assert timefmt.deadline_text(utc(2017, 3, 31, 21, 0), NY, now=now) == "Fri, Mar 31 at 5:00 pm EDT"


def test_a_deadline_in_another_year_gives_the_year_in_the_course_zone():
    assert timefmt.deadline_text(utc(2017, 1, 6, 22, 0), NY, now=utc(2016, 12, 1)) == "Fri, Jan 6, 2017 at 5:00 pm EST"
    # 1 am UTC on January 1st is still December 31st in New York: the same year as a December "now".
    assert timefmt.deadline_text(utc(2017, 1, 1, 1, 0), NY, now=utc(2016, 12, 1)) == "Sat, Dec 31 at 8:00 pm EST"


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=45), "45 s"),
        (timedelta(minutes=5), "5 min"),
        (timedelta(hours=2, minutes=5), "2 h 5 min"),
        (timedelta(hours=2), "2 h"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=3, hours=4, minutes=59), "3 days 4 h"),
        (timedelta(hours=-2, minutes=-5), "2 h 5 min"),
    ],
)
def test_elapsed_text(delta, text):
    assert timefmt.elapsed_text(delta) == text


def test_local_to_utc_plain_time():
    assert timefmt.local_to_utc(datetime(2017, 4, 7, 17, 0), NY) == utc(2017, 4, 7, 21, 0)


def test_local_to_utc_refuses_a_time_skipped_by_dst():
    with pytest.raises(timefmt.NonexistentLocalTime, match="does not exist in America/New_York"):
        timefmt.local_to_utc(datetime(2017, 3, 12, 2, 30), NY)


def test_local_to_utc_needs_a_choice_for_a_time_that_happens_twice():
    typed = datetime(2017, 11, 5, 1, 30)
    with pytest.raises(timefmt.AmbiguousLocalTime, match="happens twice"):
        timefmt.local_to_utc(typed, NY)
    assert timefmt.local_to_utc(typed, NY, fold=0) == utc(2017, 11, 5, 5, 30)  # EDT, the first
    assert timefmt.local_to_utc(typed, NY, fold=1) == utc(2017, 11, 5, 6, 30)  # EST, the second


def test_unknown_zone_is_refused():
    assert not timefmt.is_timezone("Mars/Olympus_Mons")
    assert timefmt.is_timezone(NY)
    with pytest.raises(timefmt.LocalTimeError):
        timefmt.local_to_utc(datetime(2017, 1, 1), "Mars/Olympus_Mons")


ZONES = st.sampled_from([NY, "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "UTC", "America/Santiago"])


@given(moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31)), zone=ZONES)
def test_a_shown_time_read_back_is_the_same_moment(moment, zone):
    """Whatever instant we show, typing the shown wall-clock time back gives that instant."""
    instant = moment.replace(tzinfo=UTC, microsecond=0)
    local = timefmt.to_local(instant, zone)
    try:
        back = timefmt.local_to_utc(local.replace(tzinfo=None), zone)
    except timefmt.AmbiguousLocalTime:
        back = timefmt.local_to_utc(local.replace(tzinfo=None), zone, fold=local.fold)
    assert back == instant


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Pacific/Kiritimati", NY])
def test_a_time_at_the_end_of_the_calendar_is_still_shown(zone):
    """East of UTC, the zone's offset would carry it past year 9999: it is shown in UTC instead of failing."""
    last = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    assert timefmt.wp_datetime(last, zone).startswith("December 31, 9999")
    assert timefmt.iso_local(last, zone).startswith("9999-12-31T")
    assert "9999" in timefmt.deadline_text(last, zone)
