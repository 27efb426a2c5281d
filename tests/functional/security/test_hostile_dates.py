"""Dates far outside any course (year 9999, year 1) in every date field: a field error, nothing saved.

Year 9999 in a course's zone moves past the end of Python's datetimes when turned into UTC; year 1 before
their start. Every date field says which years it takes instead.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Assignment, Extension, Post, SectionDeadline
from tests import factories as f
from tests.functional.authz_specs import build_world
from tests.payloads import DATE_PAYLOADS

MESSAGE = "Enter a date between"
ASSIGNMENT_FORM = {"title": "Dated", "prompt": "Write.", "post_due_at": "2031-01-10T17:00",
                   "comments_due_at": "2031-01-14T17:00", "late_policy": "accept", "peer_mode": "open",
                   "peer_scope": "course", "required_comments": "2", "min_comment_words": "50",
                   "min_post_words": "0", "post_points": "10", "comment_points": "0", "grace_minutes": "0",
                   "penalty_percent_per_day": "0", "penalty_cap_percent": "100", "comments_counted_per_essay": "1"}


@pytest.fixture
def world(auth):
    w = build_world()
    return w


def _assignments(w) -> int:
    return len(db.session.scalars(select(Assignment).where(Assignment.course_id == w.course.id)).all())


@pytest.mark.parametrize("value", DATE_PAYLOADS)
@pytest.mark.parametrize("name", ["opens_at", "post_due_at", "comments_due_at"])
def test_assignment_dates(client, auth, world, name, value):
    auth.login(world.instructor)
    before = _assignments(world)
    response = client.post(f"/c/{world.course.slug}/assignments/new", data={**ASSIGNMENT_FORM, name: value})
    assert response.status_code == 200
    assert MESSAGE in response.get_data(as_text=True)
    assert _assignments(world) == before
    edit = f"/c/{world.course.slug}/assignments/{world.assignment.id}/edit"
    kept = getattr(world.assignment, name)
    response = client.post(edit, data={**ASSIGNMENT_FORM, name: value})
    assert response.status_code == 200 and MESSAGE in response.get_data(as_text=True)
    db.session.refresh(world.assignment)
    assert getattr(world.assignment, name) == kept


@pytest.mark.parametrize("value", DATE_PAYLOADS)
@pytest.mark.parametrize("name", ["post_due_at", "comments_due_at"])
def test_extension_dates(client, auth, world, name, value):
    auth.login(world.instructor)
    url = f"/c/{world.course.slug}/assignments/{world.assignment.id}/exceptions"
    response = client.post(url, data={"students": str(world.student.id), "action": "extend", name: value})
    assert response.status_code == 200
    assert MESSAGE in response.get_data(as_text=True)
    assert db.session.scalars(select(Extension)).all() == []


@pytest.mark.parametrize("value", DATE_PAYLOADS)
@pytest.mark.parametrize("kind", ["post", "comments"])
def test_section_deadlines(client, auth, world, kind, value):
    auth.login(world.instructor)
    url = f"/c/{world.course.slug}/assignments/{world.assignment.id}/deadlines"
    response = client.post(url, data={f"section_{world.section.id}_{kind}": value})
    assert response.status_code == 200
    assert MESSAGE in response.get_data(as_text=True)
    assert db.session.scalars(select(SectionDeadline)).all() == []


@pytest.mark.parametrize("value", DATE_PAYLOADS)
def test_an_essays_publication_time(client, auth, world, value):
    auth.login(world.student)
    before = len(db.session.scalars(select(Post)).all())
    response = client.post(f"/c/{world.course.slug}/posts/new",
                           data={"title": "Later", "body": "Text.", "action": "publish", "version": "0",
                                 "assignment_id": "0", "publish_at": value})
    assert response.status_code in (200, 422)
    assert MESSAGE in response.get_data(as_text=True)
    assert len(db.session.scalars(select(Post)).all()) == before


def test_a_date_inside_the_range_is_still_saved(client, auth, world):
    auth.login(world.instructor)
    response = client.post(f"/c/{world.course.slug}/assignments/new",
                           data={**ASSIGNMENT_FORM, "opens_at": "2030-12-01T09:00"})
    assert response.status_code == 302


def test_copying_a_course_cannot_move_dates_past_the_range(client, auth, world):
    """The copy moves dates by whole weeks; the range keeps every copied date a real one."""
    f.make_assignment(world.course, post_due_at=None, comments_due_at=None)
    auth.login(world.instructor)
    response = client.post(f"/c/{world.course.slug}/copy",
                           data={"title": "Next", "slug": "next-course", "term": "", "weeks": "260"})
    assert response.status_code == 302
