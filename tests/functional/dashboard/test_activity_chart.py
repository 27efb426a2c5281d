"""The dashboard's activity chart spans the course's latest run of activity, whatever came long before."""

from collections import Counter
from datetime import date, timedelta

from flask import get_template_attribute

from coursesite.dashboard.charts import MAX_DAYS, ChartCounts, PairCounts, activity_chart

TERM_START = date(2026, 1, 12)


def counts(essays: dict[date, int], comments: dict[date, int]) -> ChartCounts:
    return ChartCounts("America/New_York", Counter(essays), Counter(comments), PairCounts(Counter()), Counter(), {})


def term(weeks: int = 10) -> dict[date, int]:
    return {TERM_START + timedelta(days=7 * week): 3 for week in range(weeks)}


def pictures(chart) -> str:
    return str(get_template_attribute("dashboard/_charts.html", "pictures")(chart, None))


def test_an_essay_imported_from_years_ago_neither_widens_the_chart_nor_hides_in_it(app):
    essays = {**term(), date(2017, 4, 3): 1, date(2017, 4, 5): 2}
    chart = activity_chart(counts(essays, {TERM_START + timedelta(days=1): 4, date(2017, 4, 4): 5}))
    assert chart.first_day == TERM_START
    assert chart.days[-1][0] == TERM_START + timedelta(weeks=9)
    assert chart.width < 36 + 70 * 16  # ten weeks of days, not the longest span the chart allows
    assert (chart.total_posts, chart.total_comments) == (30, 4)
    assert (chart.left_out_posts, chart.left_out_comments) == (3, 5)
    with app.test_request_context():
        text = pictures(chart)
    assert "3 essays and 5 comments from before January 12, 2026 are not shown." in text
    assert "between January 12 and March 16" in text


def test_breaks_within_a_term_stay_in_the_chart(app):
    essays = term(4)
    essays[TERM_START + timedelta(weeks=6)] = 1  # after a two-week break
    chart = activity_chart(counts(essays, {}))
    assert chart.first_day == TERM_START and (chart.left_out_posts, chart.left_out_comments) == (0, 0)
    with app.test_request_context():
        assert "not shown" not in pictures(chart)


def test_a_long_run_of_activity_is_cut_to_the_last_days_and_says_so(app):
    start = date(2026, 1, 1)
    chart = activity_chart(counts({start + timedelta(days=i): 1 for i in range(MAX_DAYS + 10)}, {}))
    assert len(chart.days) == MAX_DAYS and chart.left_out_posts == 10
    with app.test_request_context():
        assert "10 essays from before January 11, 2026 are not shown." in pictures(chart)


def test_comments_are_counted_on_the_course_s_day_not_utc(app):
    """Counted in SQL by quarter hour: 03:30 UTC is still the evening before in New York; in Kathmandu
    (UTC+5:45) 18:15 UTC is already the next day."""
    from datetime import UTC, datetime

    from coursesite.dashboard.charts import chart_counts
    from coursesite.dashboard.facts import load_course_facts
    from tests import factories as f

    for zone, moments, days in (
        ("America/New_York", [(3, 30), (4, 15)], [date(2031, 5, 1), date(2031, 5, 2)]),
        ("Asia/Kathmandu", [(18, 0), (18, 15)], [date(2031, 5, 2), date(2031, 5, 3)]),
    ):
        course = f.make_course(f.make_user(password=None), timezone=zone)
        writer, reader = f.make_author(course), f.make_author(course)
        a = f.make_assignment(course)
        essay = f.make_post(course, writer, assignment_id=a.id)
        for hour, minute in moments:
            f.make_thread_comment(essay, reader, "Seen.", at=datetime(2031, 5, 2, hour, minute, tzinfo=UTC))
        counted = chart_counts(load_course_facts(course, datetime(2031, 6, 1, tzinfo=UTC)))
        assert counted.comments_per_day == Counter(dict.fromkeys(days, 1)), zone
        assert counted.pairs.get(reader.id, writer.id) == 2
