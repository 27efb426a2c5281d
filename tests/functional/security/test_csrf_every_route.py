"""With CSRF protection on, as in production: a POST without its token changes nothing, on every route.

Routes are read from the app's URL map, so routes added later are covered without listing them here.
- Plain POST routes (buttons, JSON) must be refused before the view: 400 and nothing written.
- Views marked @form_checks_csrf check the token in their FlaskForm: the form is shown again with the
  token error, and nothing is written. Each must be reachable by someone in the small world below; a
  new URL argument name goes into `url_values`.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask import url_for
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import CourseInvitation
from coursesite.people import tokens
from coursesite.security import CSRF_REFUSED_KEPT
from tests import factories as f

MISSING_TOKEN = CSRF_REFUSED_KEPT  # in words a student understands, above the re-shown form
ROLES = ("anonymous", "student", "instructor", "admin")


@pytest.fixture
def app_config(base_config, tmp_path):
    return {**base_config, "WTF_CSRF_ENABLED": True, "UPLOAD_FOLDER": str(tmp_path / "uploads")}


class World:
    def __init__(self):
        self.instructor = f.make_user("Ines Instructor", can_create_courses=True)
        self.course = f.make_course(self.instructor)
        self.student = f.make_member(self.course, name="Stu Student")
        f.make_section(self.course)  # so the section due dates page has its form
        self.admin = f.make_user("Ada Admin", is_admin=True)
        self.guest = f.make_user("Gus Guest")
        self.guest.is_guest = True
        self.assignment = f.make_assignment(self.course)
        self.post = f.make_post(self.course, self.student, assignment_id=self.assignment.id)
        self.comment = f.make_comment(self.post, self.instructor)
        # The site admin is invited to the course, so the invitation's page has someone to show it to.
        self.invitation = CourseInvitation(course_id=self.course.id, user_id=self.admin.id, role="ta")
        db.session.add(self.invitation)
        from coursesite.permissions import membership

        self.enrollment = membership(self.student, self.course)
        db.session.commit()

    def user(self, role: str):
        return None if role == "anonymous" else getattr(self, role)

    def url_values(self, endpoint: str, arguments) -> dict:
        known = {
            "slug": self.course.slug,
            "enrollment_id": self.enrollment.id,
            "assignment_id": self.assignment.id,
            "post_id": self.post.id,
            "post_slug": self.post.slug,
            "comment_id": self.comment.id,
            "user_id": self.student.id,
            "student_id": self.student.id,
            "invitation_id": self.invitation.id,
            "token": tokens.make_token(self.guest, "invite") if endpoint.endswith("invitation")
            else tokens.make_token(self.student, "reset"),
        }
        return {name: known.get(name, 1 if name.endswith("_id") else "x") for name in arguments}


@pytest.fixture
def world(app):
    return World()


def log_in_as(client, user) -> None:
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True


def database_state() -> list:
    """Every row of every table: a POST without a token must leave this exactly as it was."""
    db.session.expire_all()
    return [sorted(map(repr, db.session.execute(select(table)).all())) for table in db.metadata.sorted_tables]


def post_routes(app) -> list:
    return sorted((r for r in app.url_map.iter_rules() if "POST" in r.methods), key=lambda r: r.rule)


def checks_its_own_form(app, rule) -> bool:
    return getattr(app.view_functions[rule.endpoint], "csrf_checked_by_form", False)


# Posted to by an LMS from its own site, so no token can come with them: the LMS-signed id_token, the nonce and
# the state protect them (tests/functional/lti/test_lti_launch.py refuses every forged launch).
CROSS_SITE_POSTS = {"lti.login", "lti.launch"}


def is_cross_site_post(app, rule) -> bool:
    return getattr(app.view_functions[rule.endpoint], "csrf_exempt_cross_site", False)


def test_only_the_lti_login_and_launch_take_posts_from_other_sites(app):
    assert {r.endpoint for r in post_routes(app) if is_cross_site_post(app, r)} == CROSS_SITE_POSTS


class FormFields(HTMLParser):
    """The fields of the first POST form that submits to `target`, with what a person would send."""

    def __init__(self, target: str):
        super().__init__()
        self.target, self.fields, self.in_form, self.done, self.select = target, {}, False, False, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and (a.get("method") or "").lower() == "post":
            self.in_form = a.get("action") in (None, "", self.target)
        elif not self.in_form:
            return
        elif tag == "input" and a.get("name") and not a["name"].endswith("csrf_token"):
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in a and a["name"] in self.fields:
                return
            sample = {"email": "probe@example.org", "password": "probe password 12", "number": "5"}
            self.fields[a["name"]] = a.get("value") or sample.get(kind, "Probe text")
        elif tag == "textarea" and a.get("name"):
            self.fields[a["name"]] = "Probe text"
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and (self.select not in self.fields or "selected" in a):
            self.fields[self.select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True
        elif tag == "select":
            self.select = None


def test_post_routes_refuse_a_missing_token_before_the_view(app, client, world):
    checked = []
    for rule in post_routes(app):
        if checks_its_own_form(app, rule) or is_cross_site_post(app, rule):
            continue
        url = url_for(rule.endpoint, _external=False, **world.url_values(rule.endpoint, rule.arguments))
        for role in ROLES:
            log_in_as(client, world.user(role))
            before = database_state()
            response = client.post(url, data={"probe": "1"})
            assert response.status_code == 400, f"{role} POST {url} without a token: {response.status_code}"
            assert database_state() == before, f"{role} POST {url} without a token changed the database"
            checked.append(url)
    assert any("/logout" in url for url in checked), "the walk found no plain POST route"


def test_form_views_show_the_token_error_and_write_nothing(app, client, world):
    reached = set()
    form_rules = [r for r in post_routes(app) if checks_its_own_form(app, r)]
    for rule in form_rules:
        url = url_for(rule.endpoint, _external=False, **world.url_values(rule.endpoint, rule.arguments))
        for role in ROLES:
            log_in_as(client, world.user(role))
            page = client.get(url) if "GET" in rule.methods else None
            shown = page is not None and page.status_code == 200  # else the form is on another page (the essay's)
            fields = FormFields(url)
            if shown:
                fields.feed(page.get_data(as_text=True))
            before = database_state()
            response = client.post(url, data=fields.fields)
            assert database_state() == before, f"{role} POST {url} without a token changed the database"
            assert response.status_code < 500
            if not shown and response.status_code == 400:
                assert MISSING_TOKEN in response.get_data(as_text=True), f"{role} {url}: no token error shown"
                reached.add(rule.endpoint)
            if shown:
                # The form comes back (200, or 400 saying the request was refused) with the text kept.
                assert response.status_code in (200, 400), f"{role} POST {url} without a token: {response.status_code}"
                assert MISSING_TOKEN in response.get_data(as_text=True), f"{role} {url}: no token error shown"
                reached.add(rule.endpoint)
    unreached = {r.endpoint for r in form_rules} - reached
    assert not unreached, f"no role could open these forms; give their URL arguments real values: {unreached}"
    assert {"auth.login", "auth.signup", "courses.settings"} <= reached


def test_the_same_post_with_its_token_is_accepted(client, world):
    """The control: the walk above fails for the missing token, not because the requests were wrong."""
    log_in_as(client, world.instructor)
    page = client.get(url_for("courses.settings", slug=world.course.slug)).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*\svalue="([^"]+)"', page).group(1)
    old_code = world.course.join_code
    data = {"csrf_token": token, "confirm": "yes"}
    response = client.post(url_for("courses.new_join_code", slug=world.course.slug), data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert world.course.join_code != old_code
