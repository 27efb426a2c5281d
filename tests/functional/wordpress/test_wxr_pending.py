"""Uploads waiting for "Import now": one per person and course, a few per person and on the site, a day at most."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import PendingImport, utcnow
from coursesite.wordpress import pending
from tests import factories as f
from tests.functional.wordpress.test_wxr_views import _upload
from tests.functional.wxr_support import course_posts

GONE = "That preview is no longer available. Upload the file again."


def waiting() -> list[tuple[int, int]]:
    return list(db.session.execute(select(PendingImport.course_id, PendingImport.user_id).order_by(PendingImport.id)))


def token_of(course, user) -> str:
    return db.session.scalar(select(PendingImport.token).where(PendingImport.course_id == course.id,
                                                               PendingImport.user_id == user.id))


def confirm(client, course, token):
    return client.post(f"/c/{course.slug}/import/confirm", data={"token": token}, follow_redirects=True)


@pytest.fixture
def teacher(app):
    return f.make_user("Teacher")


def test_a_new_preview_replaces_the_earlier_one_for_the_course(client, auth, teacher):
    course = f.make_course(instructor=teacher)
    auth.login(teacher)
    _upload(client, course)
    first = token_of(course, teacher)
    _upload(client, course, include_drafts="y")
    assert waiting() == [(course.id, teacher.id)]
    assert GONE in confirm(client, course, first).get_data(as_text=True)
    assert course_posts(course) == []
    assert "Imported 5 essays" in confirm(client, course, token_of(course, teacher)).get_data(as_text=True)
    assert waiting() == []


def test_another_persons_preview_of_the_course_stays(client, auth, teacher):
    course = f.make_course(instructor=teacher)
    admin = f.make_user("Admin", is_admin=True)
    auth.login(admin)
    _upload(client, course)
    auth.logout()
    auth.login(teacher)
    _upload(client, course)
    assert waiting() == [(course.id, admin.id), (course.id, teacher.id)]


def test_a_person_keeps_three_previews_the_oldest_go_first(client, auth, teacher):
    courses = [f.make_course(instructor=teacher) for _ in range(pending.KEPT_PER_PERSON + 1)]
    auth.login(teacher)
    for course in courses:
        _upload(client, course)
    assert waiting() == [(course.id, teacher.id) for course in courses[1:]]
    assert GONE in confirm(client, courses[0], "whatever it was").get_data(as_text=True)


def test_the_site_keeps_a_bounded_number_of_previews(client, auth, monkeypatch):
    monkeypatch.setattr(pending, "KEPT_ON_SITE", 2)
    people = [f.make_user(f"Teacher {n}") for n in range(3)]
    courses = [f.make_course(instructor=person) for person in people]
    for person, course in zip(people, courses, strict=True):
        auth.login(person)
        _upload(client, course)
        auth.logout()
    assert waiting() == [(course.id, person.id) for person, course in zip(people[1:], courses[1:], strict=True)]


def test_a_preview_older_than_a_day_is_gone(client, auth, teacher):
    course, other = f.make_course(instructor=teacher), f.make_course()
    auth.login(teacher)
    _upload(client, course)
    old = db.session.scalar(select(PendingImport))
    old.created_at = utcnow() - pending.KEPT_FOR - timedelta(minutes=1)
    db.session.commit()
    assert GONE in confirm(client, course, old.token).get_data(as_text=True)
    auth.logout()
    auth.login(f.instructor_of(other))
    _upload(client, other)
    assert waiting() == [(other.id, f.instructor_of(other).id)]
