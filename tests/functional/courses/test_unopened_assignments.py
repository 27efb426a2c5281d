"""An assignment's prompt and its essays' archive stay hidden until it opens, except from staff (and admins)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coursesite.models import utcnow
from tests import factories as f
from tests.functional.authz_specs import build_world

SECRET = "Compare the two treaties"


@pytest.fixture
def world():
    w = build_world()
    w.extra["unopened"] = f.make_assignment(w.course, title="Next week's essay", prompt=SECRET,
                                            prompt_html=f"<p>{SECRET}</p>", opens_at=utcnow() + timedelta(days=3))
    return w


def _archive(w):
    return f"/c/{w.course.slug}/assignment/{w.extra['unopened'].id}/"


@pytest.mark.parametrize("role", ["anonymous", "student", "outsider"])
def test_the_archive_of_an_unopened_assignment_is_not_found_before_it_opens(client, auth, world, role):
    if world.user(role):
        auth.login(world.user(role))
    response = client.get(_archive(world))
    assert response.status_code == 404
    assert SECRET not in response.text and "Next week" not in response.text


def test_its_feed_is_not_found_before_it_opens(client, world):
    response = client.get(_archive(world) + "feed.atom")
    assert response.status_code == 404
    assert SECRET not in response.text


@pytest.mark.parametrize("role", ["ta", "instructor", "admin"])
def test_staff_and_admins_still_read_it(client, auth, world, role):
    auth.login(world.user(role))
    response = client.get(_archive(world))
    assert response.status_code == 200
    assert SECRET in response.text


def test_the_blog_sidebar_names_it_only_once_it_opens(client, auth, world):
    f.make_post(world.course, world.other_student, assignment=world.extra["unopened"], title="Early bird")
    assert "Next week" not in client.get(f"/c/{world.course.slug}/").text
    auth.login(world.instructor)
    assert "Next week" in client.get(f"/c/{world.course.slug}/").text


def test_an_opened_assignment_is_public_as_before(client, world):
    world.extra["unopened"].opens_at = utcnow() - timedelta(minutes=1)
    response = client.get(_archive(world))
    assert response.status_code == 200
    assert SECRET in response.text
    assert client.get(_archive(world) + "feed.atom").status_code == 200


def test_an_essay_written_for_it_early_does_not_name_it(client, world):
    post = f.make_post(world.course, world.other_student, assignment=world.extra["unopened"], title="Early bird")
    response = client.get(f"/c/{world.course.slug}/essays/{post.slug}/")
    assert response.status_code == 200
    assert "Next week" not in response.text
