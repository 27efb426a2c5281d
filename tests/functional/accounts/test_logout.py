"""Logging out ends the login on the server: a copy of the cookies taken before it opens nothing afterwards."""

from __future__ import annotations

from coursesite.extensions import db
from tests import factories as f
from tests.functional.accounts.test_account import reset_link
from tests.functional.helpers import login_client
from tests.functional.posts.test_essay_caching import essay_url

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


def test_no_page_a_signed_in_reader_sees_is_kept_by_the_browser(app, client, auth):
    """On a shared computer, Back after logging out must not show the last reader's pages from the cache."""
    course = f.make_course(visibility="public")
    student = f.make_member(course)
    post = f.make_post(course, student)
    f.make_comment(post, f.make_member(course))
    student_pages = ("/", "/auth/account", f"/c/{course.slug}/blog/", essay_url(post), f"/c/{course.slug}/my-work")
    staff_pages = (f"/c/{course.slug}/dashboard/", essay_url(post))
    for person, paths in ((student, student_pages), (f.instructor_of(course), staff_pages)):
        auth.login(person)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert response.cache_control.no_store and response.cache_control.private, path
        auth.logout()
    static = client.get("/static/css/site.css")
    static.close()
    assert not static.cache_control.no_store  # nobody's page: files stay cached for their year
    visitor = app.test_client().get(essay_url(post))
    assert visitor.cache_control.public and not visitor.cache_control.no_store
