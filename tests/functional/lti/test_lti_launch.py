"""LTI 1.3 launches from an LMS in the test process (tests/lti_platform.py): the OIDC login, the checked
launch, who the person and the course are, and every launch that must be refused without creating anything."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.lti.models import LtiAccount, LtiContext, LtiResourceLink
from coursesite.models import Course, Enrollment, User
from tests import factories as f
from tests import lti_platform as lp


@pytest.fixture
def linked_course(lms):
    """A course already opened from the LMS course ctx-7."""
    instructor = f.make_user("Ines Instructor")
    course = f.make_course(instructor, title="History 101")
    platform_id = db.session.scalar(select(LtiAccount.platform_id).limit(1)) or _platform_id()
    db.session.add(LtiContext(platform_id=platform_id, context_id="ctx-7", course_id=course.id, ags_scopes=[]))
    db.session.commit()
    return course


def _platform_id() -> int:
    from coursesite.lti.models import LtiPlatform

    return db.session.scalar(select(LtiPlatform.id))


def counts() -> tuple[int, ...]:
    db.session.expire_all()
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in
                 (User, Enrollment, Course, LtiAccount, LtiContext, LtiResourceLink))


def signed_in_user_id(client) -> int | None:
    with client.session_transaction() as session:
        value = session.get("_user_id")
    return int(value.partition(":")[0]) if value else None


# The OIDC login and the tool's key set


def test_login_redirects_to_the_lms_with_a_state_cookie_and_a_nonce(client, lms):
    response = lms.login(client)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == lp.AUTH_LOGIN_URL
    query = parse_qs(location.query)
    assert query["redirect_uri"] == ["http://coursesite.test/lti/launch"]
    assert query["client_id"] == [lp.CLIENT_ID] and query["login_hint"] == ["hint-1"]
    assert query["response_mode"] == ["form_post"] and query["nonce"][0]
    state = query["state"][0]
    assert client.get_cookie(f"lti1p3-{state}", domain="coursesite.test").value == state


def test_login_is_accepted_as_a_cross_site_post_too(client, lms):
    data = {"iss": lp.ISSUER, "login_hint": "h", "client_id": lp.CLIENT_ID, "lti1p3_new_window": "1"}
    assert client.post("/lti/login", data=data).status_code == 302


def test_login_first_checks_cookies_and_offers_a_new_window(client, lms):
    response = client.post("/lti/login", data={"iss": lp.ISSUER, "login_hint": "h", "client_id": lp.CLIENT_ID})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Open in a new window" in page and 'target="_blank"' in page
    assert "lti1p3_new_window=1" in page and "login_hint=h" in page


def test_login_from_an_unknown_lms_is_refused(client, lms):
    response = lms.login(client, iss="https://evil.example")
    assert response.status_code == 400
    assert "not registered" in response.get_data(as_text=True)


def test_jwks_publishes_public_keys_only(client, app):
    keys = client.get("/lti/jwks").get_json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256" and keys[0]["kid"]
    assert "d" not in keys[0] and "p" not in keys[0]


def test_rotating_the_key_publishes_the_new_and_the_retired_one_only(client, app):
    runner = app.test_cli_runner()
    first = client.get("/lti/jwks").get_json()["keys"][0]["kid"]
    assert runner.invoke(args=["lti", "rotate-key"]).exit_code == 0
    second = [k["kid"] for k in client.get("/lti/jwks").get_json()["keys"]]
    assert len(second) == 2 and first in second
    assert runner.invoke(args=["lti", "rotate-key"]).exit_code == 0
    third = [k["kid"] for k in client.get("/lti/jwks").get_json()["keys"]]
    assert len(third) == 2 and first not in third and second[0] in third


def test_private_key_is_stored_encrypted(client, app):
    from coursesite.lti.models import LtiToolKey

    client.get("/lti/jwks")
    key = db.session.scalar(select(LtiToolKey))
    assert "PRIVATE KEY" not in key.private_pem_encrypted


def test_cli_lists_registered_platforms(app, lms):
    output = app.test_cli_runner().invoke(args=["lti", "list"]).output
    assert lp.ISSUER in output and lp.CLIENT_ID in output and lp.DEPLOYMENT_ID in output


# A good launch


def test_instructor_first_launch_links_a_course_they_teach(client, lms):
    instructor = f.make_user("Ines Instructor", email="ines@school.edu")
    course = f.make_course(instructor, title="History 101")
    db.session.add(LtiAccount(platform_id=_platform_id(), sub="lms-ines", user_id=instructor.id))
    db.session.commit()
    response = lms.launch(client, sub="lms-ines", roles=[lp.INSTRUCTOR])
    assert response.status_code == 302 and response.headers["Location"].endswith("/lti/link-course")
    page = client.get("/lti/link-course").get_data(as_text=True)
    assert "History 101" in page and "A new course" in page
    linked = client.post("/lti/link-course", data={"course": str(course.id)})
    assert linked.status_code == 302
    context = db.session.scalar(select(LtiContext).where(LtiContext.context_id == "ctx-7"))
    assert context.course_id == course.id


def test_instructor_first_launch_may_create_the_course(client, lms):
    lms.launch(client, sub="lms-new-teacher", roles=[lp.INSTRUCTOR])
    assert client.post("/lti/link-course", data={"course": "new"}).status_code == 302
    course = db.session.scalar(select(Course).where(Course.title == "History 101"))
    user = db.session.scalar(select(User).join(LtiAccount).where(LtiAccount.sub == "lms-new-teacher"))
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.course_id == course.id))
    assert enrollment.user_id == user.id and enrollment.role == "instructor"


def test_student_launch_joins_and_lands_on_the_essay_editor_of_the_linked_assignment(client, lms, linked_course):
    assignment = f.make_assignment(linked_course, title="Essay on Ghana")
    context = db.session.scalar(select(LtiContext))
    db.session.add(LtiResourceLink(context_id=context.id, resource_link_id="link-1", assignment_id=assignment.id))
    db.session.commit()
    response = lms.launch(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/c/{linked_course.slug}/posts/new?assignment={assignment.id}")
    user_id = signed_in_user_id(client)
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == user_id))
    assert enrollment.course_id == linked_course.id and enrollment.role == "student"
    editor = client.get(response.headers["Location"])
    assert editor.status_code == 200 and "Essay on Ghana" in editor.get_data(as_text=True)


def test_staff_launch_lands_on_the_assignment_page(client, lms, linked_course):
    assignment = f.make_assignment(linked_course, title="Essay on Ghana")
    context = db.session.scalar(select(LtiContext))
    db.session.add(LtiResourceLink(context_id=context.id, resource_link_id="link-1", assignment_id=assignment.id))
    db.session.commit()
    response = lms.launch(client, sub="lms-ta", roles=[lp.INSTRUCTOR, lp.TA])
    assert response.headers["Location"].endswith(f"/c/{linked_course.slug}/assignments/{assignment.id}")
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == signed_in_user_id(client)))
    assert enrollment.role == "ta"


def test_second_launch_is_the_same_account(client, lms, linked_course):
    lms.launch(client)
    first = signed_in_user_id(client)
    lms.launch(client)
    assert signed_in_user_id(client) == first
    assert db.session.scalar(select(func.count()).select_from(LtiAccount)) == 1


def test_verified_email_matches_a_member_of_the_course_roster(client, lms, linked_course):
    member = f.make_member(linked_course, name="Lee Learner")
    lms.launch(client, sub="lms-lee", email=member.email, email_verified=True)
    assert signed_in_user_id(client) == member.id


def test_email_without_verification_does_not_match(client, lms, linked_course):
    member = f.make_member(linked_course, name="Lee Learner")
    lms.launch(client, sub="lms-lee", email=member.email)
    assert signed_in_user_id(client) not in (None, member.id)


def test_verified_email_of_someone_outside_the_course_does_not_match(client, lms, linked_course):
    outsider = f.make_user("Olga Outsider", is_admin=True)
    lms.launch(client, sub="lms-olga", email=outsider.email, email_verified=True)
    assert signed_in_user_id(client) not in (None, outsider.id)
    created = db.session.get(User, signed_in_user_id(client))
    assert not created.is_admin and created.email is None


def test_lms_administrator_without_a_course_role_is_not_let_in(client, lms, linked_course):
    before = counts()
    response = lms.launch(client, sub="lms-admin", roles=[lp.ADMIN])
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "not a member" in page.lower() or "not (or no longer)" in page
    assert "Ask the course" in page
    assert counts() == before  # no account, no enrollment
    assert signed_in_user_id(client) is None


def test_removed_member_is_not_let_back_in_by_a_launch(client, lms, linked_course):
    lms.launch(client, sub="lms-lee")
    user_id = signed_in_user_id(client)
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == user_id))
    from coursesite.coursework.courses import end_enrollment

    end_enrollment(enrollment)
    db.session.commit()
    response = lms.launch(client, sub="lms-lee")
    assert response.status_code == 403 and "Ask the course" in response.get_data(as_text=True)


def test_student_of_an_unlinked_course_is_told_to_wait(client, lms):
    response = lms.launch(client, sub="lms-early", context_id="ctx-unlinked")
    assert response.status_code == 409
    assert "not set up in Coursesite yet" in response.get_data(as_text=True)


# Refused launches: a clear page, and nothing created


def _refused(client, lms, status: int, words: str, **launch):
    lms.launch(client, sub="warmup")  # the key set fetched once; the tables as a good launch leaves them
    client.post("/auth/logout")
    before = counts()
    response = lms.launch(client, sub="lms-someone-new", **launch)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert words in response.get_data(as_text=True)
    assert counts() == before
    assert signed_in_user_id(client) is None
    return response


def test_expired_launch(client, lms, linked_course):
    def expire(body):
        body["iat"], body["exp"] = int(time.time()) - 900, int(time.time()) - 600
    _refused(client, lms, 401, "expired", tamper=expire)


def test_launch_without_expiry(client, lms, linked_course):
    _refused(client, lms, 401, "signature", tamper=lambda body: body.pop("exp"))


def test_wrongly_signed_launch(client, lms, linked_course):
    other_pem, _ = lp.platform_key("impostor")
    _refused(client, lms, 401, "not signed by a key", sign=lambda body: lms.sign(body, pem=other_pem))


def test_launch_signed_with_an_unknown_key_id(client, lms, linked_course):
    _refused(client, lms, 401, "signature", sign=lambda body: lms.sign(body, kid="unknown"))


def test_unsigned_launch(client, lms, linked_course):
    _refused(client, lms, 401, "signature", sign=lambda body: jwt_none(body))


def jwt_none(body) -> str:
    import base64

    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
    return f"{part({'alg': 'none', 'kid': 'lms-key-1'})}.{part(body)}."


def test_wrong_audience(client, lms, linked_course):
    def other_audience(body):
        body["aud"] = "another-tool"
    _refused(client, lms, 403, "not registered", tamper=other_audience)


def test_unknown_deployment(client, lms, linked_course):
    def other_deployment(body):
        body[lp.LTI + "deployment_id"] = "deployment-unknown"
    _refused(client, lms, 403, "deployment", tamper=other_deployment)


def test_replayed_launch(client, lms, linked_course):
    assert lms.launch(client, sub="lms-lee").status_code == 302
    client.post("/auth/logout")
    before = counts()
    response = client.post("/lti/launch", data=lms.last_post)
    assert response.status_code == 400 and "already used" in response.get_data(as_text=True)
    assert counts() == before and signed_in_user_id(client) is None


def test_launch_without_its_state_cookie(client, lms, linked_course, app):
    login = lms.login(client)
    auth = parse_qs(urlsplit(login.headers["Location"]).query)
    token = lms.sign(lms.claims(auth["nonce"][0]))
    fresh = app.test_client()  # another browser: no state cookie
    response = fresh.post("/lti/launch", data={"id_token": token, "state": auth["state"][0]})
    assert response.status_code == 400 and "new window" in response.get_data(as_text=True)


def test_post_without_id_token(client, lms):
    response = client.post("/lti/launch", data={"state": "x"})
    assert response.status_code == 400


def test_key_set_down_is_reported_not_a_500(client, lms, linked_course):
    lms.mock.replace(responses.GET, lp.KEY_SET_URL, body=requests.ConnectionError("down"))
    before = counts()
    response = lms.launch(client)
    assert response.status_code == 502 and "keys could not be read" in response.get_data(as_text=True)
    assert counts() == before


@pytest.mark.parametrize("garbage", ["<html>maintenance</html>", '{"keys": "none"}', "[1, 2]", '{"no": "keys"}'])
def test_key_set_garbage_is_reported_not_a_500(client, lms, linked_course, garbage):
    lms.mock.replace(responses.GET, lp.KEY_SET_URL, body=garbage)
    response = lms.launch(client)
    assert response.status_code == 502 and "keys could not be read" in response.get_data(as_text=True)


# Inside the LMS's frame


def test_launched_pages_may_be_framed_by_the_lms_only(client, lms, linked_course):
    assert "frame-ancestors 'none'" in client.get("/").headers["Content-Security-Policy"]
    response = lms.launch(client)
    page = client.get(response.headers["Location"])
    policy = page.headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {lp.ISSUER}" in policy


def test_launched_session_cookie_is_samesite_none_over_https_only(app, client, lms, linked_course):
    response = lms.launch(client)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "SameSite=Lax" in cookie  # plain-http development keeps working
    app.config["PREFERRED_URL_SCHEME"] = "https"
    response = lms.launch(client)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "SameSite=None" in cookie and "Secure" in cookie


def test_ordinary_sessions_keep_samesite_lax_over_https(app, client):
    app.config["PREFERRED_URL_SCHEME"] = "https"
    user = f.make_user("Sam Student")
    db.session.commit()
    response = client.post("/auth/login", data={"email": user.email, "password": f.DEFAULT_PASSWORD})
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "SameSite=Lax" in cookie


# Registration by site admins


def test_admin_registers_an_lms_and_sees_the_values_to_paste(client, auth, app):
    admin = f.make_user("Ada Admin", is_admin=True)
    db.session.commit()
    auth.login(admin)
    assert "/lti/platforms" in client.get("/").get_data(as_text=True)
    page = client.get("/lti/platforms").get_data(as_text=True)
    for value in ("http://coursesite.test/lti/login", "http://coursesite.test/lti/launch",
                  "http://coursesite.test/lti/jwks", "Canvas", "Moodle", "Blackboard", "D2L"):
        assert value in page
    data = {"issuer": "https://canvas.instructure.com", "client_id": "10000000000042",
            "auth_login_url": "https://sso.canvaslms.com/api/lti/authorize_redirect",
            "auth_token_url": "https://sso.canvaslms.com/login/oauth2/token",
            "key_set_url": "https://sso.canvaslms.com/api/lti/security/jwks",
            "deployment_ids": "12:abc\n13:def\n12:abc"}
    response = client.post("/lti/platforms", data=data, follow_redirects=True)
    assert "is registered, with deployment 12:abc, 13:def" in response.get_data(as_text=True)
    from coursesite.lti.models import LtiPlatform

    platform = db.session.scalar(select(LtiPlatform).where(LtiPlatform.client_id == "10000000000042"))
    assert platform.deployment_ids == ["12:abc", "13:def"]


def test_registration_refuses_bad_addresses_and_changes_nothing(client, auth):
    admin = f.make_user("Ada Admin", is_admin=True)
    db.session.commit()
    auth.login(admin)
    before = counts()
    data = {"issuer": "https://lms.example", "client_id": "c", "auth_login_url": "javascript:alert(1)",
            "auth_token_url": "not a url", "key_set_url": "https://lms.example/jwks", "deployment_ids": " "}
    page = client.post("/lti/platforms", data=data).get_data(as_text=True)
    assert page.count("Enter the full address") == 2 and "at least one deployment id" in page
    assert counts() == before


def test_cli_register_refuses_a_bad_url(app):
    result = app.test_cli_runner().invoke(args=[
        "lti", "register", "--issuer", "https://x", "--client-id", "c", "--auth-login-url", "ftp://x",
        "--auth-token-url", "https://x/t", "--key-set-url", "https://x/k", "--deployment-id", "d"])
    assert result.exit_code != 0 and "full address" in result.output


def test_the_cookie_check_and_refusal_pages_may_be_framed_by_the_lms(client, lms):
    check = client.post("/lti/login", data={"iss": lp.ISSUER, "login_hint": "h"})
    assert "frame-ancestors *" in check.headers["Content-Security-Policy"]
    refused = client.post("/lti/launch", data={"state": "x"})
    assert "frame-ancestors *" in refused.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in client.get("/lti/jwks").headers.get("Content-Security-Policy", "'none'")


def test_student_launch_of_an_assignment_not_open_yet_lands_on_its_page(client, lms, linked_course):
    from datetime import timedelta

    from coursesite.models import utcnow

    later = f.make_assignment(linked_course, title="Next week", opens_at=utcnow() + timedelta(days=3))
    context = db.session.scalar(select(LtiContext))
    db.session.add(LtiResourceLink(context_id=context.id, resource_link_id="link-1", assignment_id=later.id))
    db.session.commit()
    response = lms.launch(client)
    assert response.headers["Location"].endswith(f"/c/{linked_course.slug}/assignments/{later.id}")


def test_anonymous_launch_is_refused_and_creates_nothing(client, lms, linked_course):
    lms.launch(client, sub="warmup")
    client.post("/auth/logout")
    before = counts()
    response = lms.launch(client, tamper=lambda body: body.pop("sub"))
    assert response.status_code == 400
    assert any(words in response.get_data(as_text=True) for words in ("names no user", "lacks something"))
    assert counts() == before and signed_in_user_id(client) is None


def test_launch_outside_a_course_is_refused(client, lms, linked_course):
    response = lms.launch(client, tamper=lambda body: body.pop(lp.LTI + "context"))
    assert response.status_code == 400 and "no course" in response.get_data(as_text=True)


def test_an_lms_clock_a_little_ahead_is_no_reason_to_refuse(client, lms, linked_course):
    def ahead(body):
        body["iat"] = int(time.time()) + 30
    assert lms.launch(client, tamper=ahead).status_code == 302
