"""Accounts as a person meets them: sign up, log in and out, the account page, password reset."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import Enrollment, User

from .. import factories as f

LOGIN_FAILED = "That email and password do not match an account."


def user_count() -> int:
    return db.session.scalar(select(func.count(User.id)))


def signup_data(**changes) -> dict:
    data = {
        "email": "new.student@example.org",
        "display_name": "Nadia Student",
        "password": "a long enough password",
        "confirm": "a long enough password",
        "join_code": "",
    }
    return {**data, **changes}


def text(response) -> str:
    return response.get_data(as_text=True)


# --- sign up -------------------------------------------------------------------------------------


def test_signup_creates_account_and_logs_in(client):
    response = client.post("/auth/signup", data=signup_data())
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.student@example.org"))
    assert user is not None and user.display_name == "Nadia Student"
    assert user.check_password("a long enough password")
    assert "Nadia Student" in text(client.get("/"))


def test_signup_duplicate_email_is_case_insensitive(client):
    f.make_user(email="taken@example.org")
    before = user_count()
    response = client.post("/auth/signup", data=signup_data(email="  TAKEN@Example.ORG "))
    assert response.status_code == 200
    assert "An account with this email already exists" in text(response)
    assert user_count() == before


def test_signup_with_join_code_enrolls_and_shows_welcome(client):
    course = f.make_course(visibility="public")
    response = client.post("/auth/signup", data=signup_data(join_code=course.join_code.lower()))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/c/{course.slug}/welcome")
    user = db.session.scalar(select(User).where(User.email == "new.student@example.org"))
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == user.id))
    assert enrollment.course_id == course.id and enrollment.role == "student"
    welcome = text(client.get(f"/c/{course.slug}/welcome"))
    assert "This course blog is public." in welcome


def test_signup_with_wrong_join_code_keeps_text_and_writes_nothing(client):
    before = user_count()
    response = client.post("/auth/signup", data=signup_data(join_code="NOPE1234"))
    page = text(response)
    assert response.status_code == 200
    assert "No course has this join code" in page
    assert 'value="new.student@example.org"' in page
    assert 'value="Nadia Student"' in page
    assert 'value="NOPE1234"' in page
    assert user_count() == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-email"}, "Invalid email address."),
        ({"password": "short", "confirm": "short"}, "Use at least 10 characters."),
        ({"confirm": "something else entirely"}, "The passwords differ."),
        ({"display_name": "   "}, "This field is required."),
    ],
)
def test_signup_field_errors_write_nothing(client, changes, message):
    before = user_count()
    response = client.post("/auth/signup", data=signup_data(**changes))
    assert response.status_code == 200
    assert message in text(response)
    assert 'aria-invalid="true"' in text(response)
    assert user_count() == before


# --- log in ----------------------------------------------------------------------------------------


def test_login_and_logout(client, auth):
    user = f.make_user(name="Lena Login")
    response = auth.login(user)
    assert response.status_code == 302
    assert "Lena Login" in text(client.get("/"))
    response = auth.logout()
    assert response.status_code == 302
    assert "You are logged out." in text(client.get("/"))
    assert "Lena Login" not in text(client.get("/"))


def test_login_is_case_insensitive_on_email(client):
    f.make_user(email="mixed@example.org")
    response = client.post("/auth/login", data={"email": " Mixed@Example.org", "password": f.DEFAULT_PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("email", ["known@example.org", "nobody@example.org"])
def test_login_failure_wording_is_the_same_for_unknown_and_wrong_password(client, email):
    f.make_user(email="known@example.org")
    response = client.post("/auth/login", data={"email": email, "password": "wrong password here"})
    assert response.status_code == 200
    assert LOGIN_FAILED in text(response)
    assert 'value="' + email + '"' in text(response)


def test_user_without_password_cannot_log_in(client):
    user = f.make_user(email="invited@example.org")
    user.password_hash = None
    db.session.flush()
    response = client.post("/auth/login", data={"email": "invited@example.org", "password": ""})
    assert response.status_code == 200


def test_logout_needs_post(client, auth):
    user = f.make_user()
    auth.login(user)
    assert client.get("/auth/logout").status_code == 405
    assert user.display_name in text(client.get("/"))


def test_remember_me_sets_a_lasting_cookie(client):
    user = f.make_user()
    client.post("/auth/login", data={"email": user.email, "password": f.DEFAULT_PASSWORD, "remember": "y"})
    cookie = client.get_cookie("remember_token", domain="coursesite.test")
    assert cookie is not None and cookie.expires is not None
    assert cookie.http_only


def test_without_remember_me_no_lasting_cookie(client):
    user = f.make_user()
    client.post("/auth/login", data={"email": user.email, "password": f.DEFAULT_PASSWORD})
    assert client.get_cookie("remember_token", domain="coursesite.test") is None


def test_remember_cookie_alone_logs_back_in(app, client):
    user = f.make_user(name="Rhea Remember")
    client.post("/auth/login", data={"email": user.email, "password": f.DEFAULT_PASSWORD, "remember": "y"})
    remember = client.get_cookie("remember_token", domain="coursesite.test").value
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember, domain="coursesite.test")
    assert "Rhea Remember" in text(fresh.get("/"))


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "https://evil.com",
        "http://evil.com/c/x/",
        "/\\evil.com",
        "\\\\evil.com",
        "/\t/evil.com",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "evil.com",
        "///evil.com",
    ],
)
def test_login_ignores_unsafe_next(client, target):
    user = f.make_user()
    response = client.post(
        "/auth/login", query_string={"next": target}, data={"email": user.email, "password": f.DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_follows_same_site_next(client):
    user = f.make_user()
    response = client.post(
        "/auth/login",
        query_string={"next": "/c/some-course/?page=2"},
        data={"email": user.email, "password": f.DEFAULT_PASSWORD},
    )
    assert response.headers["Location"] == "/c/some-course/?page=2"


def test_members_course_sends_visitor_to_login_and_back(client):
    course = f.make_course(visibility="members")
    student = f.make_member(course)
    response = client.get(f"/c/{course.slug}/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    login_url = response.headers["Location"]
    response = client.post(login_url, data={"email": student.email, "password": f.DEFAULT_PASSWORD})
    assert response.headers["Location"] == f"/c/{course.slug}/"


# --- rate limit ------------------------------------------------------------------------------------


@pytest.fixture
def app_config(base_config, tmp_path):
    return {**base_config, "LOGIN_RATE_LIMIT": "3 per 5 minutes", "UPLOAD_FOLDER": str(tmp_path)}


def test_login_rate_limit_is_per_account_and_address(client):
    target = f.make_user(email="target@example.org")
    classmate = f.make_user(email="classmate@example.org")
    for _ in range(3):
        response = client.post("/auth/login", data={"email": target.email, "password": "wrong password!"})
        assert response.status_code == 200
    response = client.post("/auth/login", data={"email": target.email, "password": f.DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert "Too many requests" in text(response)
    # Another account from the same classroom address still gets in.
    response = client.post("/auth/login", data={"email": classmate.email, "password": f.DEFAULT_PASSWORD})
    assert response.status_code == 302


def test_reset_requests_are_limited_per_account_and_address(client, outbox):
    f.make_user(email="forgetful@example.org")
    f.make_user(email="classmate@example.org")
    for _ in range(5):
        assert client.post("/auth/reset", data={"email": "forgetful@example.org"}).status_code == 302
    assert client.post("/auth/reset", data={"email": "forgetful@example.org"}).status_code == 429
    assert client.post("/auth/reset", data={"email": "classmate@example.org"}).status_code == 302
    assert len(outbox) == 6


def test_successful_logins_do_not_count_toward_the_limit(client, auth):
    user = f.make_user()
    for _ in range(5):
        assert auth.login(user).status_code == 302
        auth.logout()


# --- account page ----------------------------------------------------------------------------------


def test_account_needs_login(client):
    response = client.get("/auth/account")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_change_name(client, auth):
    user = f.make_user(name="Old Name")
    auth.login(user)
    response = client.post(
        "/auth/account", data={"profile-display_name": "  New Name ", "profile-notify_email": "instant"}
    )
    assert response.status_code == 302
    assert user.display_name == "New Name" and user.notify_email == "instant"


def test_change_name_blank_is_refused(client, auth):
    user = f.make_user(name="Kept Name")
    auth.login(user)
    response = client.post("/auth/account", data={"profile-display_name": " ", "profile-notify_email": "digest"})
    assert response.status_code == 200
    assert "This field is required." in text(response)
    assert user.display_name == "Kept Name"


def test_change_password(app, client, auth):
    user = f.make_user()
    auth.login(user)
    other_device = app.test_client()
    other_device.post("/auth/login", data={"email": user.email, "password": f.DEFAULT_PASSWORD})
    response = client.post(
        "/auth/account",
        data={
            "password-current_password": f.DEFAULT_PASSWORD,
            "password-password": "a brand new password",
            "password-confirm": "a brand new password",
        },
    )
    assert response.status_code == 302
    assert user.check_password("a brand new password")
    # This browser stays logged in; a session opened with the old password ends.
    assert client.get("/auth/account").status_code == 200
    assert other_device.get("/auth/account").status_code == 302


def test_change_password_keeps_this_browser_remembered(app, client):
    user = f.make_user()
    client.post("/auth/login", data={"email": user.email, "password": f.DEFAULT_PASSWORD, "remember": "y"})
    old_cookie = client.get_cookie("remember_token", domain="coursesite.test").value
    client.post(
        "/auth/account",
        data={
            "password-current_password": f.DEFAULT_PASSWORD,
            "password-password": "a brand new password",
            "password-confirm": "a brand new password",
        },
    )
    new_cookie = client.get_cookie("remember_token", domain="coursesite.test").value
    assert new_cookie != old_cookie
    for cookie, expected in ((new_cookie, 200), (old_cookie, 302)):
        fresh = app.test_client()
        fresh.set_cookie("remember_token", cookie, domain="coursesite.test")
        assert fresh.get("/auth/account").status_code == expected


def test_change_password_needs_current_password(client, auth):
    user = f.make_user()
    auth.login(user)
    response = client.post(
        "/auth/account",
        data={
            "password-current_password": "not my password",
            "password-password": "a brand new password",
            "password-confirm": "a brand new password",
        },
    )
    assert response.status_code == 200
    assert "That is not your current password." in text(response)
    assert user.check_password(f.DEFAULT_PASSWORD)


# --- password reset --------------------------------------------------------------------------------


def reset_link(message) -> str:
    match = re.search(r"http://coursesite\.test(/auth/reset/\S+)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


def request_reset(client, email: str):
    return client.post("/auth/reset", data={"email": email})


def test_password_reset_by_email_link_works_once(client, outbox):
    user = f.make_user(email="forgetful@example.org")
    response = request_reset(client, "Forgetful@example.org")
    assert response.status_code == 302
    assert len(outbox) == 1 and outbox[0]["To"] == "forgetful@example.org"
    link = reset_link(outbox[0])
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": "my new password 1", "confirm": "my new password 1"})
    assert response.status_code == 302
    assert user.check_password("my new password 1")
    client.post("/auth/logout")
    # Second use of the same link fails.
    response = client.post(link, data={"password": "another password 2", "confirm": "another password 2"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/reset")
    assert user.check_password("my new password 1")
    assert "expired or was already used" in text(client.get("/auth/reset"))


def test_password_reset_for_unknown_email_says_the_same_and_sends_nothing(client, outbox):
    response = request_reset(client, "ghost@example.org")
    assert response.status_code == 302
    assert outbox == []
    assert "If an account has that email" in text(client.get("/auth/login"))


def test_expired_reset_link_fails(app, client, outbox):
    user = f.make_user()
    request_reset(client, user.email)
    link = reset_link(outbox[0])
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    response = client.post(link, data={"password": "my new password 1", "confirm": "my new password 1"})
    assert response.status_code == 302
    assert user.check_password(f.DEFAULT_PASSWORD)


def test_forged_reset_link_fails(client):
    response = client.get("/auth/reset/not-a-real-token")
    assert response.status_code == 302


def test_invited_person_without_password_can_ask_for_a_reset(client, outbox):
    user = f.make_user(email="invited@example.org")
    user.password_hash = None
    db.session.flush()
    request_reset(client, user.email)
    assert len(outbox) == 1


def test_imported_guest_author_gets_no_reset_mail(client, outbox):
    user = f.make_user(email="guest@example.org")
    user.is_guest = True
    db.session.flush()
    request_reset(client, user.email)
    assert outbox == []


def test_invitation_link_sets_up_account_once(client):
    from coursesite.services import tokens

    user = f.make_user(name="Ivy Invited", email="ivy@example.org")
    user.password_hash = None
    db.session.flush()
    link = f"/auth/invitation/{tokens.make_token(user, 'invite')}"
    page = text(client.get(link))
    assert "ivy@example.org" in page and 'value="Ivy Invited"' in page
    response = client.post(
        link, data={"display_name": "Ivy I.", "password": "ivy's own password", "confirm": "ivy's own password"}
    )
    assert response.status_code == 302
    assert user.display_name == "Ivy I." and user.check_password("ivy's own password")
    client.post("/auth/logout")
    assert client.get(link).status_code == 302
