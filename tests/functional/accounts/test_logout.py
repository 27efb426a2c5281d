"""Logging out ends the login on the server: a copy of the cookies taken before it opens nothing afterwards."""

from __future__ import annotations

from coursesite.extensions import db
from tests import factories as f
from tests.functional.accounts.test_account import reset_link
from tests.functional.helpers import login_client

DOMAIN = "coursesite.test"


def copy_of(client, app, *names):
    """Another browser holding a copy of `names` cookies of this one (taken from a shared computer)."""
    thief = app.test_client()
    for name in names:
        thief.set_cookie(name, client.get_cookie(name, domain=DOMAIN).value, domain=DOMAIN)
    return thief


def test_a_session_cookie_copied_before_logout_opens_nothing_after_it(app, client, auth):
    user = f.make_user()
    auth.login(user)
    copied = copy_of(client, app, "session")
    assert copied.get("/auth/account").status_code == 200
    auth.logout()
    assert copied.get("/auth/account").status_code == 302
    assert client.get("/auth/account").status_code == 302


def test_a_remember_me_cookie_copied_before_logout_opens_nothing_after_it(app, client):
    user = f.make_user()
    client.post("/auth/login", data={"email": user.email, "password": f.DEFAULT_PASSWORD, "remember": "y"})
    copied = copy_of(client, app, "remember_token")
    assert copied.get("/auth/account").status_code == 200
    client.post("/auth/logout")
    assert client.get_cookie("remember_token", domain=DOMAIN) is None
    assert copy_of(copied, app, "remember_token").get("/auth/account").status_code == 302
    assert copied.get("/auth/account").status_code == 302  # its session, opened by the cookie, ended too


def test_logout_ends_the_login_on_every_device(app, client, auth):
    user = f.make_user()
    auth.login(user)
    phone = login_client(app, user)
    response = auth.logout()
    assert phone.get("/auth/account").status_code == 302
    assert "Your login on other devices has ended too." in client.get("/").get_data(as_text=True)
    assert response.headers["Clear-Site-Data"] == '"storage"'


def test_logging_in_again_after_logout_works_and_only_the_new_login_counts(app, client, auth):
    user = f.make_user()
    auth.login(user)
    before = copy_of(client, app, "session")
    auth.logout()
    assert auth.login(user).status_code == 302
    assert client.get("/auth/account").status_code == 200
    assert before.get("/auth/account").status_code == 302


def test_logout_keeps_the_password_and_a_reset_link_already_sent(client, auth, outbox):
    user = f.make_user()
    client.post("/auth/reset", data={"email": user.email})
    link = reset_link(outbox[-1])
    auth.login(user)
    auth.logout()
    db.session.refresh(user)
    assert user.check_password(f.DEFAULT_PASSWORD)
    assert client.get(link).status_code == 200  # asked for before logging out, still good


def test_a_visitor_logging_out_changes_nothing(client):
    response = client.post("/auth/logout")
    assert response.status_code == 302
