"""The deadline and lateness rules, as a student and an instructor would read them."""

from datetime import UTC, datetime, timedelta

import pytest

from coursesite.participation.deadline_rules import (
    Deadlines,
    DueDates,
    EssayFacts,
    EssayState,
    LatePolicy,
    effective_deadlines,
    essay_status,
    late_by,
    penalty_percent,
    publishing_closed,
    time_left_text,
)
from coursesite.text.timefmt import AmbiguousLocalTime, NonexistentLocalTime, local_to_utc

FRIDAY_5PM = datetime(2026, 10, 16, 21, 0, tzinfo=UTC)  # 5:00 pm EDT
COMMENTS = FRIDAY_5PM + timedelta(days=3)
ASSIGNMENT = DueDates(FRIDAY_5PM, COMMENTS)
ACCEPT = LatePolicy()


def status_at(now, published=None, policy=ACCEPT, deadlines=None, **kwargs):
    deadlines = deadlines or effective_deadlines(ASSIGNMENT)
    essay = EssayFacts(published, 1 if published else None, kwargs.pop("draft", None))
    return essay_status(deadlines, policy, now, essay, **kwargs)


class TestEffectiveDeadlines:
    def test_assignment_dates_by_default(self):
        assert effective_deadlines(ASSIGNMENT) == Deadlines(FRIDAY_5PM, COMMENTS, "assignment")

    def test_section_dates_replace_the_assignment_dates(self):
        section = DueDates(FRIDAY_5PM + timedelta(days=1), None)
        result = effective_deadlines(ASSIGNMENT, section)
        assert (result.post, result.comments, result.source) == (FRIDAY_5PM + timedelta(days=1), COMMENTS, "section")

    def test_extension_wins_over_section(self):
        section = DueDates(FRIDAY_5PM + timedelta(days=1), None)
        extension = DueDates(FRIDAY_5PM + timedelta(days=4), None)
        result = effective_deadlines(ASSIGNMENT, section, extension)
        assert result.post == FRIDAY_5PM + timedelta(days=4)
        assert result.source == "extension"

    def test_extension_earlier_than_the_deadline_gives_no_less_time(self):
        extension = DueDates(FRIDAY_5PM - timedelta(days=1), None)
        assert effective_deadlines(ASSIGNMENT, None, extension).post == FRIDAY_5PM

    def test_accommodation_adds_to_every_deadline(self):
        result = effective_deadlines(ASSIGNMENT, extension=DueDates(FRIDAY_5PM + timedelta(days=1)),
                                     extra_minutes=90)
        assert result.post == FRIDAY_5PM + timedelta(days=1, minutes=90)
        assert result.comments == COMMENTS + timedelta(minutes=90)

    def test_no_due_date_stays_unset(self):
        assert effective_deadlines(DueDates(), extra_minutes=60).post is None


class TestStatus:
    def test_before_the_deadline(self):
        assert status_at(FRIDAY_5PM - timedelta(days=1)).state is EssayState.NOT_STARTED
        assert status_at(FRIDAY_5PM - timedelta(days=1), draft=7).state is EssayState.DRAFT

    def test_published_on_time(self):
        status = status_at(FRIDAY_5PM + timedelta(days=1), published=FRIDAY_5PM)
        assert (status.state, status.label) == (EssayState.ON_TIME, "published on time")

    def test_published_late_says_how_late(self):
        status = status_at(FRIDAY_5PM + timedelta(days=1), published=FRIDAY_5PM + timedelta(hours=2, minutes=5))
        assert status.state is EssayState.LATE
        assert status.late_by == timedelta(hours=2, minutes=5)
        assert status.label == "published late by 2 h 5 min"

    def test_grace_period_keeps_an_essay_on_time_but_lateness_counts_from_the_deadline(self):
        policy = LatePolicy(grace=timedelta(minutes=15))
        assert status_at(FRIDAY_5PM + timedelta(hours=1), FRIDAY_5PM + timedelta(minutes=15), policy).state \
            is EssayState.ON_TIME
        late = status_at(FRIDAY_5PM + timedelta(hours=1), FRIDAY_5PM + timedelta(minutes=20), policy)
        assert late.late_by == timedelta(minutes=20)

    def test_missing_after_the_deadline_even_with_a_draft(self):
        status = status_at(FRIDAY_5PM + timedelta(seconds=1), draft=3)
        assert status.state is EssayState.MISSING and status.has_draft and status.is_missing

    def test_not_missing_during_the_grace_period(self):
        policy = LatePolicy(grace=timedelta(minutes=10))
        assert status_at(FRIDAY_5PM + timedelta(minutes=5), policy=policy).state is EssayState.NOT_STARTED

    def test_excused_wins(self):
        assert status_at(FRIDAY_5PM + timedelta(days=9), excused=True).state is EssayState.EXCUSED
        assert status_at(FRIDAY_5PM + timedelta(days=9), FRIDAY_5PM + timedelta(days=2), excused=True).state \
            is EssayState.EXCUSED

    def test_student_who_joined_after_the_deadline_is_not_missing(self):
        joined = FRIDAY_5PM + timedelta(days=2)
        status = status_at(FRIDAY_5PM + timedelta(days=3), joined_at=joined)
        assert status.state is EssayState.NOT_REQUIRED and not status.is_missing
        published = status_at(FRIDAY_5PM + timedelta(days=4), FRIDAY_5PM + timedelta(days=3), joined_at=joined)
        assert (published.state, published.penalty_percent) == (EssayState.ON_TIME, 0)

    def test_student_who_joined_before_the_deadline_can_be_missing(self):
        status = status_at(FRIDAY_5PM + timedelta(days=3), joined_at=FRIDAY_5PM - timedelta(hours=1))
        assert status.state is EssayState.MISSING

    def test_closed_assignment_reports_closed_when_nothing_was_published(self):
        closed = LatePolicy(kind="closed", grace=timedelta(minutes=30))
        assert status_at(FRIDAY_5PM + timedelta(minutes=20), policy=closed).state is EssayState.NOT_STARTED
        status = status_at(FRIDAY_5PM + timedelta(minutes=31), policy=closed)
        assert status.state is EssayState.CLOSED and status.is_missing

    def test_scheduled_essay(self):
        now = FRIDAY_5PM - timedelta(days=1)
        on_time = status_at(now, published=FRIDAY_5PM - timedelta(hours=1))
        assert on_time.state is EssayState.SCHEDULED and on_time.late_by is None
        late = status_at(now, published=FRIDAY_5PM + timedelta(hours=1))
        assert late.state is EssayState.SCHEDULED and late.late_by == timedelta(hours=1)

    def test_no_due_date_is_never_late_or_missing(self):
        deadlines = effective_deadlines(DueDates())
        assert status_at(FRIDAY_5PM, deadlines=deadlines).state is EssayState.NOT_STARTED
        assert status_at(FRIDAY_5PM, FRIDAY_5PM, deadlines=deadlines).state is EssayState.ON_TIME


class TestPenalty:
    POLICY = LatePolicy(kind="penalty", grace=timedelta(minutes=10), percent_per_day=10, cap_percent=30)

    @pytest.mark.parametrize(
        ("after_deadline", "expected"),
        [
            (timedelta(minutes=10), 0),  # inside the grace period
            (timedelta(minutes=11), 10),  # a started day after grace
            (timedelta(days=1, minutes=10), 10),
            (timedelta(days=1, minutes=11), 20),
            (timedelta(days=2, minutes=11), 30),
            (timedelta(days=20), 30),  # capped
        ],
    )
    def test_percent_per_started_day_after_grace(self, after_deadline, expected):
        assert penalty_percent(FRIDAY_5PM, FRIDAY_5PM + after_deadline, self.POLICY) == expected

    def test_accept_policy_has_no_penalty(self):
        assert penalty_percent(FRIDAY_5PM, FRIDAY_5PM + timedelta(days=5), ACCEPT) == 0

    def test_closed_policy_gives_no_credit_for_a_late_essay(self):
        closed = LatePolicy(kind="closed")
        assert penalty_percent(FRIDAY_5PM, FRIDAY_5PM + timedelta(minutes=1), closed) == 100

    def test_status_carries_the_penalty(self):
        status = status_at(FRIDAY_5PM + timedelta(days=3), FRIDAY_5PM + timedelta(hours=30), self.POLICY)
        assert status.penalty_percent == 20

    def test_late_by_none_when_on_time(self):
        assert late_by(FRIDAY_5PM, FRIDAY_5PM, ACCEPT) is None
        assert late_by(None, FRIDAY_5PM, ACCEPT) is None


def test_publishing_closed_only_for_closed_policy_after_grace():
    closed = LatePolicy(kind="closed", grace=timedelta(minutes=5))
    assert not publishing_closed(FRIDAY_5PM, closed, FRIDAY_5PM + timedelta(minutes=5))
    assert publishing_closed(FRIDAY_5PM, closed, FRIDAY_5PM + timedelta(minutes=6))
    assert not publishing_closed(FRIDAY_5PM, ACCEPT, FRIDAY_5PM + timedelta(days=6))
    assert not publishing_closed(None, closed, FRIDAY_5PM)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(days=2, hours=3), "in 2 days"),
        (timedelta(days=4, hours=23, minutes=59), "in 5 days"),
        (timedelta(days=1, hours=4), "in 1 day 4 h"),
        (timedelta(hours=3, minutes=10, seconds=40), "in 3 h 10 min"),
        (timedelta(seconds=20), "now"),
        (-timedelta(hours=5), "5 h ago"),
        (-timedelta(days=9), "9 days ago"),
    ],
)
def test_time_left_text(delta, text):
    assert time_left_text(FRIDAY_5PM + delta, FRIDAY_5PM) == text


class TestDaylightSaving:
    def test_time_skipped_in_spring_is_refused(self):
        with pytest.raises(NonexistentLocalTime, match="does not exist"):
            local_to_utc(datetime(2026, 3, 8, 2, 30), "America/New_York")

    def test_time_repeated_in_autumn_needs_a_choice(self):
        typed = datetime(2026, 11, 1, 1, 30)
        with pytest.raises(AmbiguousLocalTime, match="happens twice"):
            local_to_utc(typed, "America/New_York")
        assert local_to_utc(typed, "America/New_York", fold=0) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
        assert local_to_utc(typed, "America/New_York", fold=1) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)

    def test_lateness_across_the_autumn_change_counts_real_time(self):
        # Due 1:30 am EDT; published at 1:15 am EST (45 min of real time later, though the clock reads earlier).
        due = local_to_utc(datetime(2026, 11, 1, 1, 30), "America/New_York", fold=0)
        published = local_to_utc(datetime(2026, 11, 1, 1, 15), "America/New_York", fold=1)
        status = status_at(published + timedelta(hours=1), published, deadlines=Deadlines(due, None))
        assert status.late_by == timedelta(minutes=45)

    def test_penalty_days_are_real_days_across_spring_change(self):
        due = local_to_utc(datetime(2026, 3, 7, 17, 0), "America/New_York")
        published = due + timedelta(hours=23, minutes=30)  # 5:30 pm the next (23-hour) calendar day
        policy = LatePolicy(kind="penalty", percent_per_day=10)
        assert penalty_percent(due, published, policy) == 10
