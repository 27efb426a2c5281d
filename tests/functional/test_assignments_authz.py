"""Walks the assignment routes' authorization specs for every role.

Interim: the foundation's test_authorization.py walks every area's specs the same way; at merge this
module can go.
"""

import pytest
from flask import url_for

from tests.functional.authz_specs import ROLES, build_world
from tests.functional.authz_specs.assignments import SPECS

from ..factories import make_assignment
from .helpers import fast_passwords, login_client  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.method} {s.endpoint}")
def test_route_answers_each_role_as_specified(app, spec):
    w = build_world()
    answers = {}
    for role in ROLES:
        client = login_client(app, None if role == "anonymous" else getattr(w, role))
        with app.test_request_context():
            url = url_for(spec.endpoint, **spec.args(w))
        data = spec.data(w) if callable(spec.data) else spec.data
        answers[role] = client.open(url, method=spec.method, data=data).status_code
    assert answers == {role: spec.expected(role) for role in ROLES}


def test_every_assignment_route_has_a_spec(app):
    specified = {(s.endpoint, s.method) for s in SPECS}
    mine = {"courses.assignments", "courses.assignment", "courses.new_assignment", "courses.edit_assignment",
            "courses.assignment_deadlines", "courses.assignment_exceptions", "courses.my_work", "courses.copy_course"}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in mine:
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (rule.endpoint, method) in specified


def test_assignment_of_another_course_is_not_found(app):
    w = build_world()
    client = login_client(app, w.instructor)
    elsewhere = make_assignment(w.members_course)
    for suffix in ("", "/edit", "/deadlines", "/exceptions"):
        assert client.get(f"/c/{w.course.slug}/assignments/{elsewhere.id}{suffix}").status_code == 404
