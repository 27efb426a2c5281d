"""A comment sent after the login ended (a logout in another browser ends every login) leads back to the essay's
form after logging in again, never to the comment address, which only takes forms; a form's page reloaded after a
refused comment is the essay's form too."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import Comment
from tests import factories as f
from tests.functional.comment_helpers import seminar
from tests.functional.helpers import login_client

HOST = "http://coursesite.test"


def next_of(location: str) -> str | None:
    parts = urlsplit(location)
    assert parts.path == "/auth/login", location
    return parse_qs(parts.query).get("next", [None])[0]


def test_a_comment_sent_after_a_logout_elsewhere_returns_to_the_form_after_logging_in(app, client, auth):
    s = seminar()
    auth.login(s.bob)
    login_client(app, s.bob).post("/auth/logout")  # Bob logs out on his phone: this login ends too

    response = client.post(s.create_url(), data={"body": "Typed before the logout."},
                           headers={"Referer": HOST + s.essay_url()})
    assert response.status_code == 302
    back_to = next_of(response.headers["Location"])
    assert back_to == f"{s.essay_url()}#respond"
    assert db.session.scalar(select(func.count(Comment.id))) == 0
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Log in again to post your comment." in login_page

    logged_in = client.post(response.headers["Location"], data={"email": s.bob.email, "password": f.DEFAULT_PASSWORD})
    assert logged_in.headers["Location"] == back_to
    assert client.get(s.essay_url()).status_code == 200


def test_any_form_sent_after_the_login_ended_returns_to_the_page_it_was_on(app, client, auth):
    s = seminar(visibility="members")  # the course itself asks for a login before the view runs
    auth.login(s.bob)
    login_client(app, s.bob).post("/auth/logout")
    response = client.post(s.create_url(), data={"body": "Typed before the logout."},
                           headers={"Referer": HOST + s.essay_url() + "?replytocom=7"})
    assert next_of(response.headers["Location"]) == s.essay_url() + "?replytocom=7"
    assert "Log in again, then send the form once more." in client.get(response.headers["Location"]).get_data(
        as_text=True)


def test_a_form_sent_from_another_site_after_the_login_ended_is_not_sent_back_there(app, client, auth):
    s = seminar()
    auth.login(s.bob)
    login_client(app, s.bob).post("/auth/logout")
    for referrer in ("https://evil.example/c/x/", "//evil.example/", ""):
        response = client.post(f"/c/{s.course.slug}/comments/1/edit", data={"body": "x"},
                               headers={"Referer": referrer} if referrer else {})
        assert response.status_code == 302
        assert next_of(response.headers["Location"]) is None, referrer


def test_a_page_asked_for_before_logging_in_is_still_where_the_login_leads(client):
    s = seminar(visibility="members")
    response = client.get(s.essay_url())
    assert next_of(response.headers["Location"]) in (s.essay_url(), HOST + s.essay_url())
    assert "Please log in to see that page." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_reloading_the_address_of_a_refused_comment_shows_the_essays_form(client, auth):
    s = seminar()
    auth.login(s.bob)
    refused = client.post(s.create_url(), data={"body": ""})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    # The form posts to "#respond": the browser shows the answer scrolled to the message and the text.
    assert f'action="{s.create_url()}#respond"' in html
    assert 'aria-describedby="comment-error comment-words' in html
    reloaded = client.get(s.create_url())
    assert reloaded.status_code == 302
    assert reloaded.headers["Location"].endswith(f"{s.essay_url()}#respond")


def test_a_form_sent_from_a_page_that_only_answered_a_form_returns_to_nothing_it_cannot_open(app, client, auth):
    """A confirmation page shown in answer to a form (its address takes only forms) is no page to come back to."""
    s = seminar()
    auth.login(s.bob)
    login_client(app, s.bob).post("/auth/logout")
    response = client.post(s.create_url(), data={"body": "x"}, headers={"Referer": HOST + "/auth/logout"})
    assert next_of(response.headers["Location"]) == f"{s.essay_url()}#respond"  # the comment form knows its page
    response = client.post(f"/c/{s.course.slug}/comments/1/delete", headers={"Referer": HOST + "/auth/logout"})
    assert next_of(response.headers["Location"]) is None
    response = client.post(f"/c/{s.course.slug}/comments/1/delete", headers={"Referer": HOST + s.essay_url()[:-1]})
    assert next_of(response.headers["Location"]) == s.essay_url()[:-1]  # redirects to the slash: still a page
