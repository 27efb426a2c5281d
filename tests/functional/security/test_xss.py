"""Every XSS payload through every user-controlled field of accounts and courses, then every page that shows it."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Course, Enrollment, User
from tests import factories as f
from tests.payloads import XSS_PAYLOADS, assert_page_is_safe, executable_markup, visible_text


def login(app, user):
    client = app.test_client()
    response = client.post("/auth/login", data={"email": user.email, "password": f.DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def check(client, path: str, expected: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == expected, path
    html = response.get_data(as_text=True)
    assert_page_is_safe(html, path)
    assert "test-secret" not in html, f"{path}: the secret key was rendered"
    return html


def test_the_payload_list_is_broad():
    assert len(XSS_PAYLOADS) >= 50 and len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS)
    assert all(len(payload) <= 80 for payload in XSS_PAYLOADS)


def test_the_checker_catches_what_it_should():
    assert executable_markup('<p><img src=x onerror="alert(1)"></p>')
    assert executable_markup('<a href=" java\tscript:alert(1)">x</a>')
    assert executable_markup("<script>alert(1)</script>")
    ours = '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><script src="/static/js/site.js"></script>'
    assert not executable_markup(ours)


@pytest.mark.parametrize("index", range(len(XSS_PAYLOADS)))
def test_payload_is_shown_as_text_everywhere(app, index):
    payload = XSS_PAYLOADS[index]
    instructor = f.make_user("Instructor", can_create_courses=True)
    teacher = login(app, instructor)
    slug = f"xss-{index}"

    # Course title and term (creation), then description in the settings.
    response = teacher.post("/courses/new", data={"title": payload, "term": payload, "slug": slug,
                                                  "timezone": "UTC", "visibility": "public"})
    assert response.status_code == 302
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    assert course.title == payload.strip()
    response = teacher.post(f"/c/{slug}/settings", data={
        "title": payload, "term": payload, "slug": slug, "timezone": "UTC", "visibility": "public",
        "description": payload, "comment_moderation": "off", "comment_edit_minutes": "15"})
    assert response.status_code == 302

    # A student signs up with the payload as name, joins, and picks it as course display name.
    student = app.test_client()
    response = student.post("/auth/signup", data={"email": "pupil@example.org", "display_name": payload,
                                                  "password": "long enough pw", "confirm": "long enough pw",
                                                  "join_code": course.join_code})
    assert response.status_code == 302
    # A course display name needs a letter or digit (people/pseudonyms.py): some payloads have none.
    pseudonym = f"Pen {payload}"
    assert student.post(f"/c/{slug}/welcome", data={"course_name": pseudonym}).status_code == 302
    pupil = db.session.scalar(select(User).where(User.email == "pupil@example.org"))
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == pupil.id))

    # The instructor gives the student the payload as section name and display name.
    response = teacher.post(f"/c/{slug}/roster/{enrollment.id}",
                            data={"role": "student", "section": payload, "course_name": pseudonym})
    assert response.status_code == 302

    for path in ("/", f"/c/{slug}/", f"/c/{slug}/settings", f"/c/{slug}/roster", f"/c/{slug}/roster/{enrollment.id}",
                 f"/c/{slug}/roster/import"):
        check(teacher, path)
    for path in ("/", "/auth/account", f"/c/{slug}/welcome", f"/c/{slug}/week/", f"/c/{slug}/blog/"):
        check(student, path)
    blog = check(app.test_client(), f"/c/{slug}/")
    if payload == "{{7*7}}":
        assert "{{7*7}}" in visible_text(blog)

    # A members-only course shows its title to a signed-in outsider on the 403 page.
    course.visibility = "members"
    db.session.flush()
    check(login(app, f.make_user()), f"/c/{slug}/", expected=403)

    # Forms re-shown with errors keep the payload as typed, escaped.
    response = teacher.post("/courses/new", data={"title": payload, "term": payload, "slug": "Not A Slug",
                                                  "timezone": "UTC", "visibility": "public"})
    assert response.status_code == 200
    assert_page_is_safe(response.get_data(as_text=True), "new course with errors")
    response = app.test_client().post("/auth/signup", data={"email": "x@example.org", "display_name": payload,
                                                            "password": "short", "join_code": payload[:16]})
    assert_page_is_safe(response.get_data(as_text=True), "signup with errors")

    # A roster file carrying the payload as name and section: the preview shows it as text.
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["email", "name", "section"], ["csv.person@example.org", payload, payload]])
    response = teacher.post(f"/c/{slug}/roster/import", content_type="multipart/form-data",
                            data={"file": (io.BytesIO(buffer.getvalue().encode()), "roster.csv")})
    assert response.status_code == 200
    assert_page_is_safe(response.get_data(as_text=True), "roster import preview")
