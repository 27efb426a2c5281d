"""Walk every route for every role (see authz_specs/): each gets the status docs/design.md#who-may-do-what allows."""

from __future__ import annotations

import pytest
from flask import url_for

from tests.functional.authz_specs import ROLES, Spec, build_world, load_specs

SPECS = load_specs()
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _resolve(value, world):
    return value(world) if callable(value) else value


def _url(app, spec: Spec, world) -> str:
    with app.test_request_context():
        return url_for(spec.endpoint, **spec.args(world), **(_resolve(spec.query, world) or {}))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("spec", SPECS, ids=[f"{s.id} {i}" for i, s in enumerate(SPECS)])
def test_route_answers_each_role_as_specified(app, client, auth, spec: Spec, role: str):
    world = build_world()
    user = world.user(role)
    if user is not None:
        assert auth.login(user).status_code == 302, f"could not log in as {role}"
    url = _url(app, spec, world)
    kwargs = {}
    if spec.json is not None:
        kwargs["json"] = _resolve(spec.json, world)
    elif spec.data is not None:
        kwargs["data"] = _resolve(spec.data, world)
    response = client.open(url, method=spec.method, **kwargs)
    expected = spec.expected(role)
    assert response.status_code == expected, f"{spec.method} {url} as {role}: {response.status_code}, not {expected}"
    if role == "anonymous" and expected == 302 and spec.method == "GET" and not spec.endpoint.startswith("auth."):
        assert (spec.visitor_sent_to or "/auth/login") in response.headers["Location"], "a visitor is sent to log in"


def _registered(app) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - IGNORED_METHODS
    }


def test_every_route_and_method_has_a_spec(app):
    declared = {(spec.endpoint, spec.method) for spec in SPECS}
    missing = sorted(_registered(app) - declared)
    assert not missing, f"add these to tests/functional/authz_specs/<area>.py: {missing}"


def test_every_spec_names_a_registered_route(app):
    stale = sorted({(spec.endpoint, spec.method) for spec in SPECS} - _registered(app))
    assert not stale, f"these Specs name no route: {stale}"


def test_every_spec_says_what_each_role_gets():
    unset = [spec.id for spec in SPECS if any(spec.expected(role) == 0 for role in ROLES)]
    assert not unset, f"give every role a status: {unset}"
