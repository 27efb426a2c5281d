"""Numbers no row or page can have, sent to every route: in the address, the query string and the form.

Every route comes from app.url_map (test_authorization.py holds that each has a Spec to borrow its other
arguments and its form from), so a new route is covered when it is added. Any exception fails the test
(the test app re-raises them), as would a 500.
"""

from __future__ import annotations

import pytest
from flask import url_for
from werkzeug.routing import IntegerConverter

from tests.functional.authz_specs import ROLES, build_world, load_specs
from tests.payloads import HUGE_NUMBER, NUMBER_PAYLOADS

SPECS = load_specs()
IGNORED_METHODS = {"HEAD", "OPTIONS"}
# Names the site reads as numbers from a query string or a form, wherever they are sent.
NUMBER_ARGS = ("page", "section", "assignment", "rev", "replytocom")
NUMBER_FIELDS = ("notification_id", "parent_id", "post_id", "reviewer_id", "pair_id", "version", "assignment_id",
                 "students", "weeks", "comment_edit_minutes", "extra_minutes", "required_comments")
REFUSED = {400, 401, 403, 404, 405, 422}


def _first_spec(endpoint: str, method: str):
    return next(spec for spec in SPECS if spec.endpoint == endpoint and spec.method == method)


def _number_routes(app) -> list[tuple[str, str, list[str]]]:
    routes = []
    for rule in app.url_map.iter_rules():
        numbers = [name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)]
        for method in sorted(rule.methods - IGNORED_METHODS):
            if numbers:
                routes.append((rule.endpoint, method, numbers))
    return routes


def _resolve(value, world):
    return value(world) if callable(value) else value


def _login(auth, world, role):
    user = world.user(role)
    if user is not None:
        assert auth.login(user).status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_a_huge_id_in_any_address_is_refused_not_a_server_error(app, client, auth, role):
    world = build_world()
    _login(auth, world, role)
    routes = _number_routes(app)
    assert len(routes) > 20, "the walk found the routes with numbers in them"
    for endpoint, method, numbers in routes:
        spec = _first_spec(endpoint, method)
        for name in numbers:
            with app.test_request_context():
                url = url_for(endpoint, **{**spec.args(world), name: HUGE_NUMBER})
            data = _resolve(spec.data, world)
            response = client.open(url, method=method, data=data)
            assert response.status_code in REFUSED | {302}, f"{method} {url} as {role}: {response.status_code}"
            if response.status_code == 302:
                assert "/auth/login" in response.headers["Location"], f"{method} {url} as {role}"


def _acting_role(spec) -> str:
    """The most capable role the route lets through, so the numbers reach the view, not just the guard."""
    for role in ("instructor", "student", "admin", "ta", "outsider", "anonymous"):
        if spec.expected(role) < 400 and not (role == "anonymous" and spec.expected(role) == 302):
            return role
    return "instructor"


@pytest.mark.parametrize("spec", SPECS, ids=[f"{s.id} {i}" for i, s in enumerate(SPECS)])
def test_hostile_numbers_in_query_and_form_are_refused_or_ignored(app, client, auth, spec):
    world = build_world()
    _login(auth, world, _acting_role(spec))
    for value in NUMBER_PAYLOADS:
        query = {**(_resolve(spec.query, world) or {}), **{name: value for name in NUMBER_ARGS}}
        with app.test_request_context():
            url = url_for(spec.endpoint, **spec.args(world), **query)
        kwargs = {}
        if spec.json is not None:
            body = _resolve(spec.json, world)
            kwargs["json"] = {**body, "version": value} if isinstance(body, dict) else body
        elif spec.method == "POST":
            data = dict(_resolve(spec.data, world) or {})
            data.update({name: value for name in NUMBER_FIELDS})
            kwargs["data"] = data
        response = client.open(url, method=spec.method, **kwargs)
        assert response.status_code < 500, f"{spec.method} {url} with {value!r}: {response.status_code}"


@pytest.mark.parametrize("body", [
    '{"title": "t", "body": "b", "version": 1e999}',
    '{"title": "t", "body": "b", "version": Infinity}',
    '{"title": "t", "body": "b", "version": NaN}',
    '{"title": "t", "body": "b", "version": 99999999999999999999999}',
    '{"title": "t", "body": "b", "version": true}',
    '{"title": "t", "body": "b", "version": -1}',
    '[1, 2]',
    '"a string"',
])
def test_autosave_refuses_a_version_no_essay_has_and_json_that_is_no_object(app, client, auth, body):
    world = build_world()
    auth.login(world.student)
    with app.test_request_context():
        url = url_for("posts.autosave", slug=world.course.slug, post_id=world.draft.id)
    before = world.draft.body
    response = client.post(url, data=body, content_type="application/json")
    assert response.status_code == 400
    assert "reload the page" in response.get_json()["message"]
    assert world.draft.body == before


@pytest.mark.parametrize("body", ['[1, 2]', '"a string"', "{"])
def test_preview_reads_json_that_is_no_object_as_an_empty_essay(app, client, auth, body):
    world = build_world()
    auth.login(world.student)
    with app.test_request_context():
        url = url_for("posts.preview", slug=world.course.slug)
    response = client.post(url, data=body, content_type="application/json")
    assert response.status_code == 200
    assert response.get_json()["word_count"] == 0


PAST_ANY_PAGE = [HUGE_NUMBER, "9223372036854775808", "2147483648", "12345678901"]


@pytest.mark.parametrize("page", PAST_ANY_PAGE)
@pytest.mark.parametrize("where", ["", "search", "author/{student}/", "dashboard/"])
def test_a_page_number_past_any_page_is_not_found(client, auth, page, where):
    world = build_world()
    auth.login(world.instructor)
    url = f"/c/{world.course.slug}/" + where.format(student=world.student.id)
    response = client.get(url, query_string={"page": page, "q": "essay"})
    assert response.status_code == 404, f"{url} page={page!r}"


@pytest.mark.parametrize("page", [p for p in NUMBER_PAYLOADS if p not in PAST_ANY_PAGE])
@pytest.mark.parametrize("where", ["", "search", "author/{student}/"])
def test_a_page_that_is_no_number_shows_the_first(client, page, where):
    world = build_world()
    url = f"/c/{world.course.slug}/" + where.format(student=world.student.id)
    response = client.get(url, query_string={"page": page, "q": "essay"})
    assert response.status_code == 200, f"{url} page={page!r}"
    assert "Student essay" in response.get_data(as_text=True)


def test_the_first_page_is_still_page_1(client):
    world = build_world()
    assert "Student essay" in client.get(f"/c/{world.course.slug}/", query_string={"page": "1"}).text
