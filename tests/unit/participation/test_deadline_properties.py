"""Properties of the lateness rules that must hold for every deadline, policy and publication time."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from coursesite.participation.deadline_rules import (
    DueDates,
    EssayFacts,
    EssayState,
    LatePolicy,
    effective_deadlines,
    essay_status,
    penalty_percent,
)

START = datetime(2026, 1, 1, tzinfo=UTC)
moments = st.integers(min_value=0, max_value=200 * 24 * 60).map(lambda m: START + timedelta(minutes=m))
maybe_moments = st.none() | moments
due_dates = st.builds(DueDates, maybe_moments, maybe_moments)
policies = st.builds(
    LatePolicy,
    kind=st.sampled_from(["accept", "penalty", "closed"]),
    grace=st.integers(min_value=0, max_value=3 * 24 * 60).map(lambda m: timedelta(minutes=m)),
    percent_per_day=st.floats(min_value=0, max_value=100, allow_nan=False),
    cap_percent=st.floats(min_value=0, max_value=100, allow_nan=False),
)
extra = st.integers(min_value=0, max_value=7 * 24 * 60)


def published_status(deadlines, policy, published):
    now = published + timedelta(days=400)
    return essay_status(deadlines, policy, now, EssayFacts(published, 1))


@given(due_dates, st.none() | due_dates, due_dates, extra, policies, moments)
def test_extension_never_makes_an_on_time_essay_late(assignment, section, extension, minutes, policy, published):
    before = published_status(effective_deadlines(assignment, section, None, minutes), policy, published)
    after = published_status(effective_deadlines(assignment, section, extension, minutes), policy, published)
    if before.state is EssayState.ON_TIME:
        assert after.state is EssayState.ON_TIME
    assert after.penalty_percent <= before.penalty_percent


@given(due_dates, st.none() | due_dates, extra, policies, moments)
def test_accommodation_never_makes_an_on_time_essay_late(assignment, section, minutes, policy, published):
    before = published_status(effective_deadlines(assignment, section), policy, published)
    after = published_status(effective_deadlines(assignment, section, None, minutes), policy, published)
    assert (after.late_by or timedelta(0)) <= (before.late_by or timedelta(0))


@given(due_dates, extra, policies, moments, moments)
def test_lateness_is_monotone_in_publish_time(assignment, minutes, policy, first, second):
    earlier, later = sorted((first, second))
    deadlines = effective_deadlines(assignment, extra_minutes=minutes)
    a = published_status(deadlines, policy, earlier)
    b = published_status(deadlines, policy, later)
    assert (a.late_by or timedelta(0)) <= (b.late_by or timedelta(0))
    assert a.penalty_percent <= b.penalty_percent
    if b.state is EssayState.ON_TIME:
        assert a.state is EssayState.ON_TIME


@given(moments, policies, moments)
def test_penalty_never_exceeds_the_cap(due, policy, published):
    penalty = penalty_percent(due, published, policy)
    assert 0 <= penalty <= 100
    if policy.kind == "penalty":
        assert penalty <= policy.cap_percent
    if policy.kind == "accept":
        assert penalty == 0


@given(due_dates, policies, moments, maybe_moments, st.booleans())
def test_joining_after_the_deadline_never_means_missing(assignment, policy, now, joined, has_draft):
    deadlines = effective_deadlines(assignment)
    if deadlines.post is not None and joined is not None and joined > deadlines.post:
        status = essay_status(deadlines, policy, now, EssayFacts(draft_post_id=1 if has_draft else None),
                              joined_at=joined)
        assert not status.is_missing


@given(due_dates, policies, moments, maybe_moments)
def test_excused_is_always_excused(assignment, policy, now, published):
    status = essay_status(effective_deadlines(assignment), policy, now, EssayFacts(published, 1), excused=True)
    assert status.state is EssayState.EXCUSED and status.penalty_percent == 0
