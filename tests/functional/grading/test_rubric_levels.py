"""Rubric criteria have levels ("Excellent 10 / Good 7 / Weak 3"): the editor takes them as structured rows,
grading picks a level or types points within the criterion's maximum, and all of it works without
JavaScript (plain form posts here)."""

import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import Grade, RubricCriterion
from tests import factories as f
from tests.functional.grading_world import build_grading_world


@pytest.fixture
def w(app, auth):
    world = build_grading_world()
    auth.login(world.instructor)
    return world


def rubric_url(w):
    return f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}/rubric"


def grade_url(w, student=None):
    return f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}/grade/{(student or w.students[0]).id}"


def criterion(n, title, points, *levels):
    data = {f"criteria-{n}-title": title, f"criteria-{n}-points": points}
    for m, (name, level_points) in enumerate(levels):
        data[f"criteria-{n}-levels-{m}-name"] = name
        data[f"criteria-{n}-levels-{m}-points"] = level_points
    return data


def saved_levels(w):
    return [(c.title, c.levels) for c in db.session.scalars(
        select(RubricCriterion).where(RubricCriterion.assignment_id == w.assignment.id)
        .order_by(RubricCriterion.position).execution_options(populate_existing=True))]


def with_levels(w):
    thesis, style = f.make_criteria(w.assignment, ("Thesis", 6), ("Style", 4))
    thesis.levels = [{"name": "Excellent", "points": 6}, {"name": "Good", "points": 4.5}, {"name": "Weak", "points": 2}]
    db.session.flush()
    return thesis, style


def test_the_editor_saves_each_criterion_s_levels_and_shows_them_again(client, w):
    data = {"mode": "rubric", "action": "save",
            **criterion(0, "Thesis", "6", ("Excellent", "6"), ("Good", "4.5"), ("Weak", "2")),
            **criterion(1, "Style", "4")}
    assert client.post(rubric_url(w), data=data).status_code == 302
    thesis = [{"name": "Excellent", "points": 6}, {"name": "Good", "points": 4.5}, {"name": "Weak", "points": 2}]
    assert saved_levels(w) == [("Thesis", thesis), ("Style", [])]
    page = client.get(rubric_url(w)).get_data(as_text=True)
    assert 'name="criteria-0-levels-1-name" type="text" value="Good"' in page
    assert 'name="criteria-0-levels-3-name"' in page  # room for a fourth level


def test_a_level_worth_more_than_its_criterion_or_without_a_name_is_refused(client, w):
    data = {"mode": "rubric", "action": "save",
            **criterion(0, "Thesis", "6", ("Excellent", "8"), ("", "4")), **criterion(1, "Style", "4")}
    response = client.post(rubric_url(w), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "At most the criterion&#39;s 6 points." in page or "At most the criterion's 6 points." in page
    assert "Name the level, e.g. Good." in page
    assert db.session.scalar(select(func.count(RubricCriterion.id))) == 0


def test_grading_picks_a_level_and_shows_it_picked_again(client, w):
    thesis, style = with_levels(w)
    page = client.get(grade_url(w)).get_data(as_text=True)
    assert "Good: 4.5" in page and 'type="radio"' in page
    response = client.post(grade_url(w), data={f"criterion_{thesis.id}_level": "1", f"criterion_{style.id}": "3",
                                               "version": "0", "action": "save"})
    assert response.status_code == 302
    grade = db.session.scalar(select(Grade).execution_options(populate_existing=True))
    assert grade.rubric_scores == {str(thesis.id): 4.5, str(style.id): 3}
    assert grade.post_score == 7.5
    page = client.get(grade_url(w)).get_data(as_text=True)
    assert f'checked id="criterion_{thesis.id}_level-1"' in page


def test_a_level_picked_by_mistake_is_taken_back_with_no_level(client, w):
    thesis, style = with_levels(w)
    page = client.get(grade_url(w)).get_data(as_text=True)
    no_level = f'checked id="criterion_{thesis.id}_level-3" name="criterion_{thesis.id}_level" type="radio" value=""'
    assert no_level in page
    client.post(grade_url(w), data={f"criterion_{thesis.id}_level": "0", f"criterion_{style.id}": "3",
                                    "version": "0", "action": "save"})
    grade = db.session.scalar(select(Grade).execution_options(populate_existing=True))
    assert grade.rubric_scores[str(thesis.id)] == 6
    # The level stays picked on the form; "No level" beside it, and other points typed, replace it.
    response = client.post(grade_url(w), data={f"criterion_{thesis.id}_level": "", f"criterion_{thesis.id}": "3.5",
                                               f"criterion_{style.id}": "3", "version": str(grade.version),
                                               "action": "save"})
    assert response.status_code == 302
    grade = db.session.scalar(select(Grade).execution_options(populate_existing=True))
    assert grade.rubric_scores[str(thesis.id)] == 3.5
    page = client.get(grade_url(w)).get_data(as_text=True)
    assert f'checked id="criterion_{thesis.id}_level-3"' in page and 'value="3.5"' in page


def test_points_can_be_typed_instead_of_a_level_within_the_criterion_s_maximum(client, w):
    thesis, style = with_levels(w)
    ok = client.post(grade_url(w), data={f"criterion_{thesis.id}": "5", f"criterion_{style.id}": "3",
                                         "version": "0", "action": "save"})
    assert ok.status_code == 302
    grade = db.session.scalar(select(Grade).execution_options(populate_existing=True))
    assert grade.rubric_scores[str(thesis.id)] == 5
    too_many = client.post(grade_url(w), data={f"criterion_{thesis.id}": "7", f"criterion_{style.id}": "3",
                                               "version": str(grade.version), "action": "save"})
    assert too_many.status_code == 200 and "Enter a score from 0 to 6." in too_many.get_data(as_text=True)


def test_a_level_and_other_typed_points_together_are_refused(client, w):
    thesis, style = with_levels(w)
    response = client.post(grade_url(w), data={f"criterion_{thesis.id}_level": "0", f"criterion_{thesis.id}": "3",
                                               f"criterion_{style.id}": "3", "version": "0", "action": "save"})
    assert response.status_code == 200
    assert "You picked a level of Thesis and typed other points" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Grade.id))) == 0


def test_a_level_conflict_and_points_out_of_range_are_shown_together(client, w):
    # One round trip: the grader sees every problem of the form, not the next one after each fix.
    thesis, style = with_levels(w)
    response = client.post(grade_url(w), data={f"criterion_{thesis.id}_level": "0", f"criterion_{thesis.id}": "3",
                                               f"criterion_{style.id}": "9", "version": "0", "action": "save"})
    page = response.get_data(as_text=True)
    assert "You picked a level of Thesis and typed other points" in page
    assert "Enter a score from 0 to 4." in page


def test_a_rubric_saved_before_levels_existed_is_graded_by_typing_points(client, w):
    thesis, style = f.make_criteria(w.assignment, ("Thesis", 6), ("Style", 4))
    page = client.get(grade_url(w)).get_data(as_text=True)
    assert 'type="radio"' not in page.split('id="grade-heading"')[1]
    response = client.post(grade_url(w), data={f"criterion_{thesis.id}": "5", f"criterion_{style.id}": "3",
                                               "version": "0", "action": "save"})
    assert response.status_code == 302


def test_my_grades_names_the_level_given(client, auth, w):
    thesis, style = with_levels(w)
    f.make_grade(w.assignment, w.students[0], w.instructor, post_score=7.5,
                 rubric_scores={str(thesis.id): 4.5, str(style.id): 3})
    w.assignment.grades_released_at = w.assignment.post_due_at
    auth.logout()
    auth.login(w.students[0])
    page = client.get(f"/c/{w.course.slug}/my-grades").get_data(as_text=True)
    assert "Thesis: 4.5 of 6 (Good)" in page and "Style: 3 of 4</li>" in page
