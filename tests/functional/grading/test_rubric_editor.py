import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import RubricCriterion
from tests import factories as f
from tests.functional.grading_world import build_grading_world


@pytest.fixture
def w(app, auth):
    world = build_grading_world()
    auth.login(world.instructor)
    return world


def url(w):
    return f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}/rubric"


def rows(*criteria, mode="rubric", action="save"):
    data = {"mode": mode, "action": action}
    for n, (title, points, *rest) in enumerate(criteria):
        data[f"criteria-{n}-title"] = title
        data[f"criteria-{n}-points"] = points
        data[f"criteria-{n}-description"] = f"About {title}" if title else ""
        if rest:
            data.update({f"criteria-{n}-{k}": v for k, v in rest[0].items()})
    return data


def saved(w):
    return [(c.title, c.points) for c in db.session.scalars(
        select(RubricCriterion).where(RubricCriterion.assignment_id == w.assignment.id)
        .order_by(RubricCriterion.position))]


def test_new_rubric_page_offers_blank_rows_and_single_score(client, w):
    page = client.get(url(w)).get_data(as_text=True)
    assert "Scoring of The Berlin Airlift" in page
    assert 'name="criteria-2-title"' in page
    assert 'checked id="mode-1" name="mode" type="radio" value="single"' in page


def test_saving_criteria_in_the_order_asked(client, w):
    response = client.post(url(w), data=rows(("Evidence", "4", {"position": "2"}), ("Thesis", "4", {"position": "1"}),
                                             ("Style", "2", {"position": "3"}), ("", "")))
    assert response.status_code == 302
    assert saved(w) == [("Thesis", 4), ("Evidence", 4), ("Style", 2)]
    page = client.get(url(w)).get_data(as_text=True)
    assert 'checked id="mode-0"' in page and 'value="Thesis"' in page


def test_empty_title_and_negative_points_are_field_errors_and_nothing_is_written(client, w):
    response = client.post(url(w), data=rows(("", "5"), ("Style", "-5"), ("Evidence", "lots")))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Give the criterion a title." in page
    assert "Points must be more than 0." in page
    assert "Enter a number, like 7 or 7.5." in page
    assert 'value="lots"' in page  # what was typed is kept
    assert saved(w) == []


def test_a_rubric_with_no_criteria_is_refused(client, w):
    page = client.post(url(w), data=rows(("", ""))).get_data(as_text=True)
    assert "Add at least one criterion, or choose a single score." in page
    assert saved(w) == []


def test_criteria_must_add_up_to_the_essay_points(client, w):
    page = client.post(url(w), data=rows(("Thesis", "4"), ("Style", "2"))).get_data(as_text=True)
    assert "add up to 6 points, but the essay is worth 10" in page
    assert saved(w) == []


def test_add_a_row_keeps_typing_and_writes_nothing(client, w):
    page = client.post(url(w), data=rows(("Thesis", "4"), action="add")).get_data(as_text=True)
    assert 'value="Thesis"' in page and 'name="criteria-1-title"' in page
    assert saved(w) == []


def test_edit_remove_and_switch_to_single_score(client, w):
    thesis, style = f.make_criteria(w.assignment, ("Thesis", 6), ("Style", 4))
    data = rows(("Thesis and argument", "10", {"criterion_id": str(thesis.id)}),
                ("Style", "4", {"criterion_id": str(style.id), "remove": "y"}))
    assert client.post(url(w), data=data).status_code == 302
    assert saved(w) == [("Thesis and argument", 10)]
    assert db.session.get(RubricCriterion, thesis.id) is not None  # edited in place: grades keep their link
    assert client.post(url(w), data={**rows(("Thesis and argument", "10", {"criterion_id": str(thesis.id)}),
                                            mode="single"), "confirm": "yes"}).status_code == 302
    assert saved(w) == []


def test_graded_essays_are_mentioned_before_changing_the_rubric(client, w):
    f.make_grade(w.assignment, w.students[0], post_score=7)
    assert "1 essay already has a score" in client.get(url(w)).get_data(as_text=True)


def test_a_criterion_keeps_at_least_the_points_saved_grades_give_it(client, w):
    thesis, style = f.make_criteria(w.assignment, ("Thesis", 6), ("Style", 4))
    grades = [f.make_grade(w.assignment, student, post_score=a + b, rubric_scores={str(thesis.id): a, str(style.id): b})
              for student, (a, b) in zip(w.students, ((6, 4), (5.5, 2), (3, 1)), strict=False)]

    def rubric(thesis_points, style_points):
        return rows(("Thesis", thesis_points, {"criterion_id": str(thesis.id)}),
                    ("Style", style_points, {"criterion_id": str(style.id)}))

    response = client.post(url(w), data=rubric("5", "5"))
    assert response.status_code == 200
    assert ("2 saved grades give Thesis up to 6 points, more than 5: change those grades first, "
            "or keep at least 6 points.") in response.get_data(as_text=True)
    assert saved(w) == [("Thesis", 6), ("Style", 4)]  # no student is shown "6 of 5"
    page = client.post(url(w), data=rubric("7", "3")).get_data(as_text=True)
    assert "1 saved grade gives Style up to 4 points, more than 3: change that grade first" in page
    assert saved(w) == [("Thesis", 6), ("Style", 4)]
    grades[0].rubric_scores, grades[0].post_score = {str(thesis.id): 6, str(style.id): 3}, 9
    db.session.flush()
    assert client.post(url(w), data=rubric("7", "3")).status_code == 302
    assert saved(w) == [("Thesis", 7), ("Style", 3)]


def test_tas_may_edit_the_rubric(client, auth, w):
    auth.logout()
    auth.login(w.ta)
    assert client.post(url(w), data=rows(("Everything", "10"))).status_code == 302
    assert db.session.scalar(select(func.count(RubricCriterion.id))) >= 1


def test_adding_rows_stops_at_the_limit(client, w):
    data = rows(*[(f"C{n}", "0.25") for n in range(40)], action="add")
    page = client.post(url(w), data=data).get_data(as_text=True)
    assert "A rubric has at most 40 criteria." in page
    assert saved(w) == []
