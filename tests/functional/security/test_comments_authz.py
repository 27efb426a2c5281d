"""Walks the comments authorization specs until the shared matrix (test_authorization.py) exists.

The shared harness (tests/functional/authz_specs/__init__.py with Spec and build_world) comes from the
foundation work; until it is in this tree, a stand-in world with the same fields is built here. Once
test_authorization.py exists, this module skips itself: the shared matrix walks the same specs.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import tests.functional.authz_specs as specs_package
from coursesite.extensions import db
from coursesite.people import accounts
from tests import factories as f

SHARED_MATRIX = Path(__file__).with_name("test_authorization.py")
ROLES = ("anonymous", "student", "outsider", "ta", "instructor", "admin")


@dataclass
class LocalSpec:
    endpoint: str
    method: str
    kwargs: Any
    anonymous: int
    student: int
    outsider: int
    ta: int
    instructor: int
    admin: int
    data: Any = None


if not hasattr(specs_package, "Spec"):
    specs_package.Spec = LocalSpec
SPECS = importlib.import_module("tests.functional.authz_specs.comments").SPECS


def build_world() -> SimpleNamespace:
    course = f.make_course(visibility="public")
    instructor = f.instructor_of(course)
    members_course = f.make_course(instructor=instructor, visibility="members")
    ta = f.make_member(course, "ta")
    student = f.make_member(course)
    other_student = f.make_member(course)
    for person, role in ((ta, "ta"), (student, "student"), (other_student, "student")):
        accounts.enroll(person, members_course, role=role)
    other_course = f.make_course()
    outsider = f.make_member(other_course)
    admin = f.make_user(is_admin=True)
    assignment = f.make_assignment(course)
    post = f.make_post(course, student, assignment_id=assignment.id)
    draft = f.make_post(course, student, status="draft")
    peer_post = f.make_post(course, other_student, assignment_id=assignment.id)
    comment = f.make_thread_comment(post, other_student, "A comment by the other student.")
    enrollment = accounts.enroll(student, course)
    db.session.commit()
    return SimpleNamespace(course=course, members_course=members_course, assignment=assignment, post=post,
                           draft=draft, peer_post=peer_post, comment=comment, enrollment=enrollment,
                           student=student, other_student=other_student, outsider=outsider, ta=ta,
                           instructor=instructor, admin=admin)


CASES = [(spec, role) for spec in SPECS for role in ROLES]


@pytest.mark.skipif(SHARED_MATRIX.exists(), reason="the shared authorization matrix walks these specs")
@pytest.mark.parametrize(("spec", "role"), CASES, ids=[f"{s.endpoint}-{s.method}-{r}" for s, r in CASES])
def test_comments_route_answers_each_role(client, auth, app, spec, role):
    from flask import url_for

    w = build_world()
    if role != "anonymous":
        assert auth.login(getattr(w, role)).status_code == 302
    with app.test_request_context():
        url = url_for(spec.endpoint, **spec.kwargs(w))
    data = spec.data(w) if callable(spec.data) else spec.data
    response = client.open(url, method=spec.method, data=data or {})
    assert response.status_code == getattr(spec, role)


@pytest.mark.skipif(SHARED_MATRIX.exists(), reason="the shared authorization matrix checks completeness")
def test_every_comments_route_has_a_spec(app):
    declared = {(s.endpoint, s.method) for s in SPECS}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("comments."):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (rule.endpoint, method) in declared
