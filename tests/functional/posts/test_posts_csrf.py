"""With CSRF protection on: JSON saves need the header, and a refused form keeps the text."""

from __future__ import annotations

import re

import pytest

from coursesite.extensions import db
from tests import factories as f
from tests.functional.writing_helpers import essay_form, posts_of, text


@pytest.fixture
def app_config(base_config, tmp_path):
    return {**base_config, "WTF_CSRF_ENABLED": True, "UPLOAD_FOLDER": str(tmp_path / "uploads")}


def csrf_of(html: str) -> str:
    match = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    return match.group(1)


@pytest.fixture
def signed_in(client):
    course = f.make_course()
    student = f.make_member(course)
    db.session.commit()
    login_page = client.get("/auth/login").get_data(as_text=True)
    client.post("/auth/login", data={"email": student.email, "password": f.DEFAULT_PASSWORD,
                                     "csrf_token": csrf_of(login_page)})
    return course, student


def test_autosave_needs_the_token_in_the_header(client, signed_in):
    course, student = signed_in
    post = f.make_post(course, student, status="draft", version=1)
    db.session.commit()
    url = f"/c/{course.slug}/posts/{post.id}/autosave"
    refused = client.post(url, json={"title": "T", "body": "b", "version": 1})
    assert refused.status_code == 400 and refused.is_json
    token = csrf_of(client.get(f"/c/{course.slug}/posts/{post.id}/edit").get_data(as_text=True))
    accepted = client.post(url, json={"title": "T", "body": "b", "version": 1}, headers={"X-CSRFToken": token})
    assert accepted.status_code == 200


def test_a_rejected_token_re_shows_the_form_with_the_text_kept(client, signed_in):
    course, _ = signed_in
    response = client.post(f"/c/{course.slug}/posts/new",
                           data=essay_form(title="Hours of work", body="A long essay typed for hours.",
                                           csrf_token="expired-or-forged"))
    assert response.status_code == 400
    html = text(response)
    assert "This form came from an old session or another page, so it was not saved" in html
    assert 'value="Hours of work"' in html and "A long essay typed for hours." in html
    assert posts_of(course) == []
    # The re-shown form carries a fresh token: pressing the button again works.
    again = client.post(f"/c/{course.slug}/posts/new", data=essay_form(title="Hours of work",
                                                                       csrf_token=csrf_of(html)))
    assert again.status_code == 302 and len(posts_of(course)) == 1


def test_preview_and_upload_need_the_token(client, signed_in):
    course, _ = signed_in
    assert client.post(f"/c/{course.slug}/preview", json={"body": "x"}).status_code == 400
    assert client.post(f"/c/{course.slug}/uploads", data={}, headers={"Accept": "application/json"}).status_code == 400
