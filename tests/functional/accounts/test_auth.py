"""Accounts as a person meets them: sign up, log in and out, remember me, rate limits."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import Enrollment, User
from tests import factories as f

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


def test_signup_with_join_code_cannot_take_the_instructors_name(client):
    """Signing up with the course's code enrols at once: under the instructor's name (a look-alike letter
    included) the new account would sign essays and comments as the instructor."""
    course = f.make_course(instructor=f.make_user(name="Dr. Rosa Alvarez"))
    before = user_count()
    response = client.post("/auth/signup", data=signup_data(display_name="Dr. R\u043esa Alvarez",
                                                            join_code=course.join_code))
    assert response.status_code == 200
    assert f"someone on the staff of {course.title}" in text(response)
    assert user_count() == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-email"}, "Invalid email address."),
        ({"password": "short", "confirm": "short"}, "Use at least 10 characters."),
        ({"password": "p" * 201, "confirm": "p" * 201}, "Use at most 200 characters."),
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


def test_a_new_secret_key_ends_sessions_unless_the_old_one_is_kept_as_a_fallback(app, client, auth):
    user = f.make_user(name="Rita Rotate")
    auth.login(user)
    old = app.secret_key
    app.secret_key = "a-new-secret-key-of-enough-length-0123456789"
    assert "Rita Rotate" not in text(client.get("/"))
    app.config["SECRET_KEY_FALLBACKS"] = [old]
    assert "Rita Rotate" in text(client.get("/"))


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


@pytest.mark.parametrize("email", ["known@example.org", "nobody@example.org", "invited@example.org"])
def test_a_failed_login_checks_one_password_hash_whether_or_not_the_account_exists(client, monkeypatch, email):
    """Each sign-in pays for one password-hash check, so its time does not tell whether an account exists."""
    from coursesite.models import user as user_module

    f.make_user(email="known@example.org")
    f.make_user(email="invited@example.org").password_hash = None
    db.session.flush()
    checked = []
    real_check = user_module.check_password_hash
    monkeypatch.setattr(user_module, "check_password_hash", lambda *args: checked.append(1) or real_check(*args))
    response = client.post("/auth/login", data={"email": email, "password": "wrong password here"})
    assert response.status_code == 200 and LOGIN_FAILED in text(response)
    assert len(checked) == 1


def test_user_without_password_cannot_log_in(client):
    user = f.make_user(email="invited@example.org")
    user.password_hash = None
    db.session.flush()
    response = client.post("/auth/login", data={"email": "invited@example.org", "password": ""})
    assert response.status_code == 200


@pytest.mark.parametrize("session_id", [["1"], 7, "abc", "-3:x", "999999:deadbeef", ""])
def test_a_session_naming_no_account_is_a_visitor(client, session_id):
    course = f.make_course(visibility="public")
    with client.session_transaction() as session:
        session["_user_id"] = session_id
    response = client.get(f"/c/{course.slug}/")
    assert response.status_code == 200 and "Log in" in response.get_data(as_text=True)


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
    assert response.headers["Location"] == "/week/"  # the landing page, never the unsafe target


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


@pytest.mark.parametrize("limits_on", [True, False])
def test_the_app_starts_with_rate_limits_on_or_off(base_config, tmp_path, monkeypatch, limits_on):
    from coursesite import create_app
    from coursesite.extensions import limiter

    monkeypatch.setenv("COURSESITE_INSTANCE_PATH", str(tmp_path))
    # The one Limiter takes the settings of the app it last served; later tests' apps must get theirs back.
    shared_state = dict(vars(limiter))
    try:
        app = create_app({**base_config, "RATELIMIT_ENABLED": limits_on})
        assert app.test_client().get("/auth/login").status_code == 200
    finally:
        vars(limiter).update(shared_state)


def test_reset_mails_to_one_account_are_capped_whatever_the_address(app, client, outbox):
    """Requests from many addresses cannot fill a person's inbox: past the cap the answer is the same and no mail
    goes; another account is not affected."""
    app.config["RESET_MAIL_LIMIT"] = "3 per hour"
    f.make_user(email="target@example.org")
    f.make_user(email="other@example.org")
    answers = []
    for n in range(5):
        response = client.post("/auth/reset", data={"email": "target@example.org"},
                               environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}, follow_redirects=True)
        answers.append((response.status_code, "a link to reset the password is on its way" in text(response)))
    assert answers == [(200, True)] * 5
    assert [m["To"] for m in outbox] == ["target@example.org"] * 3
    assert client.post("/auth/reset", data={"email": "other@example.org"}).status_code == 302
    assert [m["To"] for m in outbox][-1] == "other@example.org"
