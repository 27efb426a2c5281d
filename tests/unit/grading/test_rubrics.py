from coursesite.grading.rubrics import CriterionRow, LevelRow, check_rubric


def row(title="Thesis", points=5.0, **fields):
    return CriterionRow(title=title, points=points, **fields)


def test_a_rubric_adding_up_to_the_essay_points_is_kept_in_order():
    kept, errors = check_rubric([row("B", 4, position=2), row("A", 6, position=1)], "rubric", 10)
    assert errors == {}
    assert [r.title for r in kept] == ["A", "B"]


def test_empty_title_and_negative_points_are_field_errors():
    _, errors = check_rubric([row("  ", 5), row("Style", -1), row("Evidence", None)], "rubric", 10)
    assert errors[(0, "title")]
    assert errors[(1, "points")] == "Points must be more than 0."
    assert errors[(2, "points")]


def test_a_rubric_without_criteria_is_refused():
    _, errors = check_rubric([CriterionRow(), row(remove=True)], "rubric", 10)
    assert list(errors) == [(None, None)]
    assert "single score" in errors[(None, None)]


def test_criteria_must_add_up_to_the_essay_points():
    _, errors = check_rubric([row("A", 4), row("B", 4)], "rubric", 10)
    assert "add up to 8 points" in errors[(None, None)]


def test_single_score_drops_saved_criteria_but_not_new_typing():
    kept, errors = check_rubric([row("Old", 10, id=3)], "single", 10)
    assert kept == [] and errors == {}
    _, errors = check_rubric([row("New", 10)], "single", 10)
    assert (None, None) in errors


def test_blank_and_removed_rows_are_ignored():
    kept, errors = check_rubric([row("A", 10), CriterionRow(), row("B", 3, remove=True)], "rubric", 10)
    assert errors == {}
    assert [r.title for r in kept] == ["A"]


def test_unknown_mode_is_refused():
    _, errors = check_rubric([row("A", 10)], "bogus", 10)
    assert (None, None) in errors


def test_levels_need_a_name_distinct_points_within_the_criterion_and_blank_ones_are_ignored():
    levels = (LevelRow("Excellent", 6), LevelRow("excellent", 4), LevelRow("", 2), LevelRow("Weak", 7), LevelRow())
    _, errors = check_rubric([CriterionRow(title="Thesis", points=6, levels=levels),
                              CriterionRow(title="Style", points=4)], "rubric", 10)
    assert errors == {
        (0, "levels-1-name"): "Two levels have this name: give each its own.",
        (0, "levels-2-name"): "Name the level, e.g. Good.",
        (0, "levels-3-points"): "At most the criterion's 6 points.",
    }
    kept, errors = check_rubric([CriterionRow(title="Thesis", points=6, levels=(LevelRow("Good", 4), LevelRow())),
                                 CriterionRow(title="Style", points=4)], "rubric", 10)
    assert errors == {} and kept[0].typed_levels == [LevelRow("Good", 4)]
