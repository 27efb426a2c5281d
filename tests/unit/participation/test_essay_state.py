"""The dashboard's essay states: on time, late by, draft, missing, excused, not due yet."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from coursesite.participation.essay_state import EssayKind, essay_state

DUE = datetime(2026, 11, 23, 22, 0, tzinfo=UTC)
AFTER = DUE + timedelta(days=3)


def test_published_before_the_due_date_is_on_time():
    assert essay_state(DUE, DUE - timedelta(minutes=1), False, False, AFTER).kind == EssayKind.ON_TIME


def test_published_after_the_due_date_is_late_by_the_difference():
    state = essay_state(DUE, DUE + timedelta(hours=2, minutes=5), False, False, AFTER)
    assert state.kind == EssayKind.LATE
    assert state.label == "Late by 2 h 5 min"


def test_grace_period_keeps_an_essay_on_time():
    assert essay_state(DUE, DUE + timedelta(minutes=9), False, False, AFTER,
                       timedelta(minutes=10)).kind == EssayKind.ON_TIME


def test_nothing_after_the_due_date_is_missing_and_overdue():
    state = essay_state(DUE, None, False, False, AFTER)
    assert state.kind == EssayKind.MISSING and state.overdue


def test_nothing_before_the_due_date_is_not_due_yet():
    state = essay_state(DUE, None, False, False, DUE - timedelta(days=1))
    assert state.kind == EssayKind.NOT_DUE and not state.overdue


def test_a_draft_is_overdue_only_after_the_due_date():
    assert essay_state(DUE, None, True, False, AFTER).overdue
    assert not essay_state(DUE, None, True, False, DUE - timedelta(days=1)).overdue


def test_a_scheduled_essay_is_not_yet_published():
    assert essay_state(DUE, AFTER + timedelta(days=1), False, False, AFTER).kind == EssayKind.DRAFT


def test_no_due_date_means_posted_or_not_due():
    assert essay_state(None, DUE, False, False, AFTER).kind == EssayKind.SUBMITTED
    assert essay_state(None, None, False, False, AFTER).kind == EssayKind.NOT_DUE


@given(st.integers(-10_000, 10_000), st.booleans(), st.integers(0, 10_000))
def test_excused_wins_and_every_state_has_text_and_a_symbol(minutes, draft, later):
    published = DUE + timedelta(minutes=minutes)
    now = max(published, DUE) + timedelta(minutes=later)
    assert essay_state(DUE, published, draft, True, now).kind == EssayKind.EXCUSED
    state = essay_state(DUE, published, draft, False, now)
    assert state.label and state.icon
    assert (state.kind == EssayKind.LATE) == (minutes > 0)
