"""The activity chart's days: counted in SQL by stretches of the UTC day, a few rows per day, and put on the
course's local days exactly as Python's time zones say, clock changes and old imports included."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from coursesite.dashboard.charts import chart_counts_of
from coursesite.dashboard.facts import load_students
from coursesite.extensions import db
from coursesite.models import Comment
from coursesite.participation.sqltime import day_stretches, local_day_key
from coursesite.text.timefmt import to_local
from tests import factories as f

NOW = datetime(2031, 12, 1, 15, tzinfo=UTC)


def _moments(zone: str) -> list[datetime]:
    """Either side of each local midnight in summer and winter, every hour of the days the clocks change, and
    some from years ago (an imported blog's)."""
    changes = day_stretches(zone, NOW.date()).irregular
    moments = []
    for day in (date(2031, 7, 14), date(2031, 11, 20), date(2022, 7, 14), date(2022, 12, 2)):
        midnight = datetime.combine(day, datetime.min.time()).replace(tzinfo=to_local(NOW, zone).tzinfo)
        midnight = midnight.astimezone(UTC)
        moments += [midnight + timedelta(minutes=m) for m in (-61, -16, -1, 0, 14, 59, 181)]
    for day in changes:
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        moments += [start + timedelta(minutes=15 * q) for q in range(0, 96, 3)]
    return moments


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"])
def test_comments_and_essays_land_on_the_course_s_local_day(app, zone):
    course = f.make_course(f.make_user(password=None), timezone=zone)
    writer, reader = f.make_author(course), f.make_author(course)
    assignment = f.make_assignment(course)
    essay = f.make_post(course, writer, assignment_id=assignment.id, published_at=NOW - timedelta(days=1))
    moments = _moments(zone)
    for moment in moments:
        f.make_thread_comment(essay, reader, "Seen.", at=moment)
    for moment in moments[:7]:
        f.make_post(course, writer, assignment_id=assignment.id, published_at=moment)
    db.session.flush()
    counted = chart_counts_of(course, load_students(course)[0], NOW)
    expected = Counter(to_local(m, zone).date() for m in moments)
    assert counted.comments_per_day == expected
    assert counted.essays_per_day == Counter(to_local(m, zone).date() for m in [*moments[:7], NOW - timedelta(days=1)])


def test_a_term_of_comments_comes_back_in_a_few_rows_per_day(app):
    zone = "America/New_York"
    course = f.make_course(f.make_user(password=None), timezone=zone)
    writer, reader = f.make_author(course), f.make_author(course)
    essay = f.make_post(course, writer, assignment_id=f.make_assignment(course).id)
    start = datetime(2031, 10, 28, tzinfo=UTC)  # the clocks go back on November 2
    for quarter in range(0, 10 * 96, 5):  # ten days, at every fifth quarter hour
        f.make_thread_comment(essay, reader, "Seen.", at=start + timedelta(minutes=15 * quarter))
    db.session.flush()
    key = local_day_key(Comment.created_at, zone, NOW.date(), db.session.get_bind().dialect.name)
    rows = db.session.execute(select(key, func.count()).where(Comment.post_id == essay.id).group_by(key)).all()
    # Nine ordinary days in two stretches or three (local midnight at 04:00 or 05:00 UTC); the day the clocks
    # change by quarter hour.
    assert len(rows) <= 9 * 3 + 96 // 5 + 1
    assert sum(n for _key, n in rows) == 10 * 96 // 5


def test_the_days_the_clocks_change_are_the_irregular_ones():
    stretches = day_stretches("America/New_York", date(2031, 12, 1))
    assert stretches.irregular == (date(2030, 11, 3), date(2031, 3, 9), date(2031, 11, 2))
    assert stretches.splits == (4 * 60, 5 * 60)  # local midnight in summer and in winter, in UTC
    assert day_stretches("UTC", date(2031, 12, 1)).splits == ()
