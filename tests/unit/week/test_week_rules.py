"""The words of a reminder and the week a staff digest belongs to."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from coursesite.participation.deadline_rules import EssayState
from coursesite.weekly.reminders import comments_text, essay_text
from coursesite.weekly.staff_digest import week_of

ESSAY = SimpleNamespace(title="One road to independence", required_comments=3)


def test_comment_reminder_says_how_many_of_how_many_and_when():
    assert comments_text(ESSAY, 1, "Fri, Dec 11 at 5:00 pm EST") == (
        "You have 1 of 3 comments for “One road to independence”; due Fri, Dec 11 at 5:00 pm EST.")
    assert "1 of 1 comment for" in comments_text(SimpleNamespace(title="T", required_comments=1), 1, "x")


def test_essay_reminder_tells_a_draft_from_nothing_yet():
    assert essay_text(ESSAY, EssayState.DRAFT, "x").startswith("Your essay for “One road to independence” is still")
    assert essay_text(ESSAY, EssayState.NOT_STARTED, "x").startswith("You have not published your essay")


@pytest.mark.parametrize(("moment", "monday"), [
    (datetime(2026, 12, 7, 4, 59, tzinfo=UTC), date(2026, 11, 30)),  # Sunday 11:59 pm in New York
    (datetime(2026, 12, 7, 5, 0, tzinfo=UTC), date(2026, 12, 7)),  # Monday, midnight there
    (datetime(2026, 12, 13, 23, 0, tzinfo=UTC), date(2026, 12, 7)),
])
def test_a_digest_week_starts_on_monday_in_the_courses_zone(moment, monday):
    assert week_of(SimpleNamespace(timezone="America/New_York"), moment) == monday
