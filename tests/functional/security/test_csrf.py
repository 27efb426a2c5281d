"""CSRF on: forms re-show what was typed when the token is missing; buttons are refused outright."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import User
from tests import factories as f

OLD_SESSION = "This form came from an old session or another page, so it was not saved."


@pytest.fixture
def app_config(base_config, tmp_path):
    return {**base_config, "WTF_CSRF_ENABLED": True, "UPLOAD_FOLDER": str(tmp_path)}


def token_from(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="(?:[\w-]+-)?csrf_token" type="hidden" value="([^"]+)"|'
                      r'type="hidden" name="csrf_token" value="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def login(client, user) -> None:
    token = token_from(client, "/auth/login")
    response = client.post(
        "/auth/login", data={"email": user.email, "password": f.DEFAULT_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def users() -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_form_without_token_keeps_the_text_and_writes_nothing(client):
    before = users()
    response = client.post(
        "/auth/signup",
        data={
            "email": "kept@example.org",
            "display_name": "Kept Name",
            "password": "long enough password",
            "confirm": "long enough password",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert OLD_SESSION in page
    assert 'value="kept@example.org"' in page and 'value="Kept Name"' in page
    assert users() == before


def test_form_with_token_works(client):
    token = token_from(client, "/auth/signup")
    response = client.post(
        "/auth/signup",
        data={
            "email": "tokened@example.org",
            "display_name": "Tokened",
            "password": "long enough password",
            "confirm": "long enough password",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302


def test_course_settings_without_token_keep_the_text(client):
    course = f.make_course(title="Original Title")
    login(client, f.instructor_of(course))
    response = client.post(
        f"/c/{course.slug}/settings",
        data={"title": "Typed Title", "slug": course.slug, "timezone": course.timezone, "visibility": "public",
              "comment_moderation": "off", "comment_edit_minutes": "15"},
    )
    assert response.status_code == 200
    assert 'value="Typed Title"' in response.get_data(as_text=True)
    db.session.refresh(course)
    assert course.title == "Original Title"


def test_logout_without_token_is_refused(client):
    user = f.make_user(name="Still Here")
    login(client, user)
    response = client.post("/auth/logout")
    assert response.status_code == 400
    assert "not accepted" in response.get_data(as_text=True)
    assert "Still Here" in client.get("/").get_data(as_text=True)


def test_logout_with_token_works(client):
    user = f.make_user(name="Leaving Now")
    login(client, user)
    response = client.post("/auth/logout", data={"csrf_token": token_from(client, "/")})
    assert response.status_code == 302
    assert "Leaving Now" not in client.get("/").get_data(as_text=True)


def test_join_code_regeneration_needs_the_token(client):
    course = f.make_course()
    code = course.join_code
    login(client, f.instructor_of(course))
    response = client.post(f"/c/{course.slug}/settings/join-code")
    db.session.refresh(course)
    assert course.join_code == code, "a POST without a token changed the database: the join code is new"
    assert response.status_code == 400
    token = token_from(client, f"/c/{course.slug}/settings")
    data = {"csrf_token": token, "confirm": "yes"}
    assert client.post(f"/c/{course.slug}/settings/join-code", data=data).status_code == 302
    db.session.refresh(course)
    assert course.join_code != code


def test_token_in_header_is_accepted(client):
    user = f.make_user()
    login(client, user)
    token = token_from(client, "/")
    assert client.post("/auth/logout", headers={"X-CSRFToken": token}).status_code == 302


def test_unknown_address_and_wrong_method_answer_404_and_405_not_400(client):
    assert client.post("/no/such/page").status_code == 404
    response = client.post("/")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_roster_import_without_token_shows_the_preview_again_and_writes_nothing(client):
    import io

    from coursesite.models import CourseInvitation

    course = f.make_course()
    login(client, f.instructor_of(course))
    token = token_from(client, f"/c/{course.slug}/roster/import")
    preview = client.post(
        f"/c/{course.slug}/roster/import",
        data={"file": (io.BytesIO(b"email\nnewbie@example.org\n"), "roster.csv"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', preview.get_data(as_text=True)).group(1)
    before = db.session.scalar(select(func.count(CourseInvitation.id)))
    response = client.post(f"/c/{course.slug}/roster/import", data={"payload": payload})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and OLD_SESSION in page and "newbie@example.org" in page
    assert db.session.scalar(select(func.count(CourseInvitation.id))) == before
    response = client.post(f"/c/{course.slug}/roster/import", data={"payload": payload, "csrf_token": token})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(CourseInvitation.id))) == before + 1


def test_anonymising_an_account_needs_its_token(client):
    admin = f.make_user("Ada Admin", is_admin=True)
    student = f.make_user("Sam Student")
    db.session.commit()
    login(client, admin)
    url = f"/admin/accounts/{student.id}/anonymise"
    assert client.post(url, data={"confirm": "yes"}).status_code == 400
    db.session.expire_all()
    assert student.display_name == "Sam Student" and not student.is_anonymised
    token = token_from(client, f"/admin/accounts/{student.id}")
    assert client.post(url, data={"confirm": "yes", "csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert student.display_name == "Former student" and student.is_anonymised
