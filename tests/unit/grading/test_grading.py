from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursesite.grading.rules import (
    EXCUSED,
    AssignmentRules,
    Criterion,
    ScoreError,
    assignment_result,
    comment_score,
    course_total,
    essay_late_by,
    essay_score,
    grade_entry_errors,
    late_penalty,
    points_text,
    rubric_score,
    with_override,
)

RULES = AssignmentRules(post_points=10, comment_points=10, required_comments=3)
PENALTY = AssignmentRules(post_points=10, late_policy="penalty", grace_minutes=60, penalty_percent_per_day=10,
                          penalty_cap_percent=50)
CRITERIA = [Criterion(1, "Thesis", 4), Criterion(2, "Evidence", 4), Criterion(3, "Style", 2)]
points = st.floats(min_value=0, max_value=1000, allow_nan=False)


def test_comment_score_explains_how_it_was_reached():
    score = comment_score(2, 3, 10)
    assert score.explanation == "2 of 3 qualifying comments → 6.67 of 10"
    assert score.value == pytest.approx(20 / 3)


def test_nothing_required_earns_full_points():
    assert comment_score(0, 0, 10).value == 10
    assert comment_score(0, 0, 10).explanation == "No comments required → 10 of 10"


def test_more_comments_than_required_are_capped():
    score = comment_score(5, 3, 10)
    assert score.value == 10
    assert score.explanation == "5 qualifying comments, 3 required → 10 of 10"


@given(st.integers(min_value=0, max_value=50), st.integers(min_value=0, max_value=20), points)
def test_comment_score_stays_between_zero_and_the_points(n, k, pts):
    assert 0 <= comment_score(n, k, pts).value <= pts + 1e-9


@given(st.integers(min_value=0, max_value=50), st.integers(min_value=1, max_value=20), points)
def test_one_more_comment_never_lowers_the_score(n, k, pts):
    assert comment_score(n + 1, k, pts).value >= comment_score(n, k, pts).value


def test_override_needs_a_reason():
    with pytest.raises(ScoreError) as error:
        with_override(comment_score(1, 3, 10), 8, "   ")
    assert error.value.field == "override_reason"
    assert with_override(comment_score(1, 3, 10), 8, "Site was down").value == 8


def test_override_must_be_in_range():
    with pytest.raises(ScoreError) as error:
        with_override(comment_score(1, 3, 10), 11, "Extra credit")
    assert error.value.field == "comment_override"


def test_no_override_keeps_the_computed_score_and_ignores_a_reason():
    assert with_override(comment_score(3, 3, 10), None, "anything").value == 10


def test_rubric_score_sums_the_criteria():
    assert rubric_score(CRITERIA, {1: 4, 2: 3.5, 3: 1}) == 8.5
    assert rubric_score(CRITERIA, {}) is None


@pytest.mark.parametrize("awarded, field", [({1: 5, 2: 1, 3: 1}, "criterion_1"), ({1: 4, 2: -1, 3: 1}, "criterion_2"),
                                            ({1: 4, 2: 4}, "criterion_3")])
def test_rubric_score_refuses_out_of_range_and_partial_scores(awarded, field):
    with pytest.raises(ScoreError) as error:
        rubric_score(CRITERIA, awarded)
    assert error.value.field == field


@given(st.lists(st.floats(min_value=0, max_value=1), min_size=3, max_size=3))
def test_rubric_score_is_within_the_rubric_total(shares):
    awarded = {c.id: c.points * share for c, share in zip(CRITERIA, shares, strict=True)}
    assert 0 <= rubric_score(CRITERIA, awarded) <= 10


def test_single_score_is_checked_against_the_essay_points():
    assert essay_score(RULES, single=7.5) == 7.5
    assert essay_score(RULES) is None
    with pytest.raises(ScoreError):
        essay_score(RULES, single=10.5)
    with pytest.raises(ScoreError):
        essay_score(RULES, single=float("nan"))


def test_an_essay_worth_nothing_scores_zero_without_typing():
    assert essay_score(AssignmentRules(post_points=0, comment_points=10)) == 0


def test_grade_entry_errors_collects_every_field():
    errors = grade_entry_errors(RULES, CRITERIA, {1: 5, 2: None, 3: 1}, None, 12, "")
    assert set(errors) == {"criterion_1", "criterion_2", "comment_override"}
    errors = grade_entry_errors(RULES, [], {}, 3, 5, "")
    assert set(errors) == {"override_reason"}
    assert grade_entry_errors(RULES, [], {}, 3, 5, "Lost comments") == {}


def test_rubric_adding_up_to_more_than_the_essay_is_a_form_error():
    errors = grade_entry_errors(RULES, [Criterion(1, "All", 12)], {1: 11}, None, None, "")
    assert list(errors) == [""]


def test_late_penalty_per_started_day_after_grace():
    assert late_penalty(timedelta(minutes=59), PENALTY).percent == 0
    assert late_penalty(timedelta(minutes=61), PENALTY).percent == 10
    assert late_penalty(timedelta(days=1, minutes=60), PENALTY).percent == 10
    assert late_penalty(timedelta(days=1, minutes=61), PENALTY).percent == 20
    capped = late_penalty(timedelta(days=9), PENALTY)
    assert capped.percent == 50
    assert "capped at 50%" in capped.explanation
    assert capped.apply(8) == 4


def test_closed_policy_gives_no_credit_to_late_essays():
    closed = AssignmentRules(post_points=10, late_policy="closed")
    assert late_penalty(timedelta(minutes=1), closed).apply(9) == 0
    assert late_penalty(None, closed).apply(9) == 9


def test_accept_policy_only_notes_lateness():
    penalty = late_penalty(timedelta(hours=2), AssignmentRules(post_points=10))
    assert penalty.percent == 0
    assert penalty.explanation == "Late by 2 h: late essays are accepted without penalty."


@given(st.integers(min_value=0, max_value=60 * 24 * 30), st.integers(min_value=0, max_value=60 * 24 * 30))
def test_penalty_grows_with_lateness_and_stays_under_the_cap(a, b):
    early, late = sorted((a, b))
    p_early = late_penalty(timedelta(minutes=early), PENALTY).percent
    p_late = late_penalty(timedelta(minutes=late), PENALTY).percent
    assert 0 <= p_early <= p_late <= PENALTY.penalty_cap_percent


def test_essay_late_by_reads_the_due_date():
    from datetime import UTC, datetime

    due = datetime(2026, 10, 2, 21, 0, tzinfo=UTC)
    assert essay_late_by(due, due) is None
    assert essay_late_by(due, due + timedelta(hours=3)) == timedelta(hours=3)
    assert essay_late_by(None, due) is None
    assert essay_late_by(due, None) is None


def test_result_combines_penalty_and_comments():
    rules = replace(PENALTY, comment_points=10, required_comments=2)
    result = assignment_result(rules, essay=8, qualifying=1, late_by=timedelta(days=1, hours=2))
    assert result.essay_after_penalty == 6.4  # 8 - 20%
    assert result.comment_value == 5
    assert result.total == 11.4
    assert result.cell() == 11.4
    assert result.cell("essay") == 6.4


def test_excused_is_ex_and_ungraded_is_blank():
    assert assignment_result(RULES, essay=8, excused=True).cell() == EXCUSED
    assert assignment_result(RULES, essay=None, qualifying=3).cell() is None
    assert assignment_result(RULES, essay=None, qualifying=3).cell("comments") is None


def test_override_replaces_the_computed_comment_score_in_the_total():
    result = assignment_result(RULES, essay=7, qualifying=0, override=9, reason="Lost comments")
    assert result.total == 16
    assert result.comments.overridden


def test_course_total_skips_excused_and_ungraded():
    results = [assignment_result(RULES, essay=10, qualifying=3), assignment_result(RULES, essay=5, excused=True),
               assignment_result(RULES, essay=None)]
    assert course_total(results) == (20, 20)


@given(points, st.integers(min_value=0, max_value=10), points, st.integers(min_value=0, max_value=10 ** 6))
def test_total_never_exceeds_the_points_possible(essay_share, n, comment_points, late_minutes):
    rules = AssignmentRules(post_points=10, comment_points=comment_points, required_comments=3,
                            late_policy="penalty", penalty_percent_per_day=15)
    essay = min(10.0, essay_share)
    result = assignment_result(rules, essay=essay, qualifying=n, late_by=timedelta(minutes=late_minutes))
    assert 0 <= result.total <= rules.possible + 0.01


@pytest.mark.parametrize("value, text", [(10.0, "10"), (6.666, "6.67"), (7.5, "7.5"), (0.0, "0"), (0.001, "0")])
def test_points_text(value, text):
    assert points_text(value) == text
