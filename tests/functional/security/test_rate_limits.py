"""Sign-up, image uploads, the editor's preview and the blog's search are rate limited per person and per
address, through Flask-Limiter's decorators, with limits from the configuration and a clear 429 (JSON for the
editor)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from coursesite.extensions import db
from tests import factories as f

TOO_FAST = "You are going a little fast"


@pytest.fixture
def app_config(base_config, tmp_path):
    return {**base_config, "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "SIGNUP_RATE_LIMIT": "2 per hour", "SIGNUP_ADDRESS_RATE_LIMIT": "3 per hour",
            "UPLOAD_RATE_LIMIT": "2 per hour", "UPLOAD_ADDRESS_RATE_LIMIT": "3 per hour",
            "PREVIEW_RATE_LIMIT": "2 per minute", "PREVIEW_ADDRESS_RATE_LIMIT": "3 per minute",
            "SEARCH_RATE_LIMIT": "2 per minute", "SEARCH_ADDRESS_RATE_LIMIT": "3 per minute"}


def png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (30, 90, 160)).save(out, "PNG")
    out.seek(0)
    return out


@pytest.fixture
def classmates(app):
    course = f.make_course()
    first, second = f.make_member(course), f.make_member(course)
    db.session.commit()
    return course, first, second


def upload(client, course):
    return client.post(f"/c/{course.slug}/uploads", data={"image": (png(), "map.png")},
                       headers={"Accept": "application/json"}, content_type="multipart/form-data")


def preview(client, course):
    return client.post(f"/c/{course.slug}/preview", json={"body": "Some *text*"})


@pytest.mark.parametrize("send", [upload, preview], ids=["upload", "preview"])
def test_a_person_and_then_their_address_are_limited_with_a_json_429(client, auth, classmates, send):
    course, first, _ = classmates
    auth.login(first)
    assert [send(client, course).status_code for _ in range(2)] == [ok_status(send)] * 2
    refused = send(client, course)  # the person's third
    assert refused.status_code == 429
    assert refused.is_json and TOO_FAST in refused.get_json()["message"]
    assert int(refused.headers["Retry-After"]) > 0


@pytest.mark.parametrize("send", [upload, preview], ids=["upload", "preview"])
def test_people_sharing_an_address_share_its_limit(client, auth, classmates, send):
    course, first, second = classmates
    auth.login(first)
    assert [send(client, course).status_code for _ in range(2)] == [ok_status(send)] * 2
    auth.logout()
    auth.login(second)  # a classmate on the same address has sent nothing yet, but the address is nearly spent
    assert send(client, course).status_code == ok_status(send)
    assert send(client, course).status_code == 429


def ok_status(send) -> int:
    return 201 if send is upload else 200


def signup(client, email):
    return client.post("/auth/signup", data={"email": email, "display_name": "Sam", "password": "short",
                                             "confirm": "short"})


def search(client, course, words="empire"):
    return client.get(f"/c/{course.slug}/search", query_string={"q": words})


def test_searching_is_limited_per_person_and_reading_goes_on(client, auth, classmates):
    course, first, _ = classmates
    auth.login(first)
    assert [search(client, course, words).status_code for words in ("empire", "war")] == [200, 200]
    refused = search(client, course, "coal")  # the person's third, whatever the words
    assert refused.status_code == 429 and TOO_FAST in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    assert client.get(f"/c/{course.slug}/blog/").status_code == 200


def test_people_sharing_an_address_share_its_search_limit(client, auth, classmates):
    course, first, second = classmates
    auth.login(first)
    assert [search(client, course).status_code for _ in range(2)] == [200, 200]
    auth.logout()
    auth.login(second)  # a classmate on the same address: one search left of the address's three
    assert search(client, course).status_code == 200
    assert search(client, course).status_code == 429


def test_visitors_searching_a_public_course_are_limited_by_address(client):
    course = f.make_course(visibility="public")
    db.session.commit()
    assert [search(client, course).status_code for _ in range(2)] == [200, 200]
    assert search(client, course).status_code == 429


def test_sign_up_is_limited_per_email_and_address(client):
    assert [signup(client, "sam@example.org").status_code for _ in range(2)] == [200, 200]
    refused = signup(client, "sam@example.org")
    assert refused.status_code == 429 and TOO_FAST in refused.get_data(as_text=True)
    assert client.get("/auth/signup").status_code == 200  # the page itself is never limited


def test_sign_up_is_limited_per_address(client):
    assert [signup(client, email).status_code for email in ("sam@example.org", "sam@example.org",
                                                            "kim@example.org")] == [200, 200, 200]
    assert signup(client, "lee@example.org").status_code == 429
