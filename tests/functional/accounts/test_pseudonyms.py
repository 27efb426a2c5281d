"""A course display name (pseudonym) cannot pass for another person of the course, staff above all."""

from __future__ import annotations

import pytest

from coursesite.extensions import db
from coursesite.permissions import membership
from tests import factories as f
from tests.payloads import IMPERSONATED_NAME, NAME_LOOKALIKES


@pytest.fixture
def course(app):
    course = f.make_course(title="History")
    instructor = f.instructor_of(course)
    instructor.display_name = IMPERSONATED_NAME
    f.make_member(course, role="ta", name="Tom Assistant", course_name="Mr T")
    f.make_member(course, name="Bea Student", course_name="Quiet Fox")
    return course


def welcome(client, course, name):
    return client.post(f"/c/{course.slug}/welcome", data={"course_name": name})


IMPERSONATIONS = [
    *NAME_LOOKALIKES,  # the instructor's account name, written every way that reads the same
    "Tom Assistant",  # the TA's account name
    "MR t",  # the TA's course display name
    "Quiet Fox",  # another student's course display name
    "Bea Student",
]


@pytest.mark.parametrize("name", IMPERSONATIONS)
def test_a_student_cannot_take_another_members_name(client, auth, course, name):
    student = f.make_member(course, name="Sam Newcomer")
    db.session.commit()
    auth.login(student)
    response = welcome(client, course, name)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "field__error" in page and "cannot be used here" in page
    assert membership(student, course).course_name is None


def test_staff_names_are_called_staff(client, auth, course):
    student = f.make_member(course, name="Sam Newcomer")
    auth.login(student)
    assert "someone on the course staff" in welcome(client, course, "prof ada smith").get_data(as_text=True)
    assert "another person in this course" in welcome(client, course, "quiet fox").get_data(as_text=True)


@pytest.mark.parametrize("name", ["Sam Newcomer", "A Different Fox", "Prof. Ada Smithson", ""])
def test_own_or_distinct_names_are_fine(client, auth, course, name):
    student = f.make_member(course, name="Sam Newcomer")
    auth.login(student)
    assert welcome(client, course, name).status_code == 302
    assert membership(student, course).course_name == (name or None)


def test_an_instructor_cannot_give_a_student_a_staff_name(client, auth, course):
    student = f.make_member(course, name="Sam Newcomer")
    enrollment = membership(student, course)
    auth.login(f.instructor_of(course))
    response = client.post(f"/c/{course.slug}/roster/{enrollment.id}",
                           data={"role": "student", "section": "", "course_name": "Mr. T", "extra_minutes": "0"})
    assert response.status_code == 200 and "cannot be used here" in response.get_data(as_text=True)
    db.session.refresh(enrollment)
    assert enrollment.course_name is None


def test_invisible_names_are_refused(client, auth, course):
    student = f.make_member(course, name="Sam Newcomer")
    auth.login(student)
    assert "at least one letter or digit" in welcome(client, course, "\u200b\u200b").get_data(as_text=True)


@pytest.mark.parametrize("name", ["Former student", "FORMER  STUDENT", "F\u043ermer Student"])
def test_no_one_takes_the_name_anonymised_accounts_are_shown_under(client, auth, course, name):
    """Anonymised accounts read "Former student": a live person under that name could pass for one."""
    student = f.make_member(course, name="Sam Newcomer")
    db.session.commit()
    auth.login(student)
    page = welcome(client, course, name).get_data(as_text=True)
    assert "stands for accounts that were anonymised" in page
    assert membership(student, course).course_name is None
    response = client.post("/auth/account", data={"profile-display_name": name, "profile-notify_email": "off"})
    assert "stands for accounts that were anonymised" in response.get_data(as_text=True)
    db.session.refresh(student)
    assert student.display_name == "Sam Newcomer"
    auth.logout()
    secret = "a long enough password"
    signup = client.post("/auth/signup", data={"display_name": name, "email": "new@example.edu",
                                                "password": secret, "confirm": secret})
    assert signup.status_code == 200 and "stands for accounts that were anonymised" in signup.get_data(as_text=True)
