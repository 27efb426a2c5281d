"""Every page writes a score the same way: "7 of 10", with decimals only when they say something."""

import re

import pytest

from tests import factories as f
from tests.functional.grading_world import build_grading_world


@pytest.fixture
def w(app):
    return build_grading_world()


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_staff_and_student_pages_write_a_score_alike(client, auth, w):
    amara = w.students[0]
    f.make_grade(w.assignment, amara, w.instructor, post_score=7.5)
    w.assignment.grades_released_at = w.assignment.post_due_at
    auth.login(w.instructor)
    staff = text_of(client.get(f"/c/{w.course.slug}/dashboard/students/{amara.id}").get_data(as_text=True))
    assert "essay 7.5 of 10" in staff
    assert "7.5/10" not in staff and "7.50" not in staff
    auth.logout()
    auth.login(amara)
    mine = text_of(client.get(f"/c/{w.course.slug}/my-grades").get_data(as_text=True))
    assert "7.5 of 10" in mine


def test_a_whole_score_has_no_decimals(client, auth, w):
    f.make_grade(w.assignment, w.students[0], w.instructor, post_score=7)
    auth.login(w.instructor)
    staff = text_of(client.get(f"/c/{w.course.slug}/dashboard/students/{w.students[0].id}").get_data(as_text=True))
    assert "essay 7 of 10" in staff and "7.0" not in staff
