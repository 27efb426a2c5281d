"""Every XSS payload through the assignment fields people type (title, prompt, excusal reason, a student's
course name), then every assignment page that shows them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Assignment, Enrollment
from tests import factories as f
from tests.functional.helpers import login_client
from tests.payloads import XSS_PAYLOADS, assert_page_is_safe


def check(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.get_data(as_text=True)
    assert_page_is_safe(html, path)
    return html


@pytest.mark.parametrize("index", range(len(XSS_PAYLOADS)))
def test_payload_is_shown_as_text_on_every_assignment_page(app, index):
    payload = XSS_PAYLOADS[index]
    course = f.make_course()
    section = f.make_section(course, "Section A")
    student = f.make_member(course, section=section)
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == student.id))
    enrollment.course_name = payload
    staff = login_client(app, f.instructor_of(course))
    response = staff.post(f"/c/{course.slug}/assignments/new", data={
        "title": payload, "prompt": f"{payload}\n\n{payload}", "post_due_at": "2030-05-10T17:00",
        "late_policy": "accept", "peer_mode": "open", "peer_scope": "course"})
    assert response.status_code == 302
    assignment = db.session.scalar(select(Assignment).where(Assignment.course_id == course.id))
    base = f"/c/{course.slug}/assignments/{assignment.id}"
    staff.post(f"{base}/exceptions", data={"students": str(student.id), "action": "excuse", "reason": payload})
    for path in ("/assignments/", "/my-work", "/copy"):
        check(staff, f"/c/{course.slug}{path}")
    for suffix in ("", "/edit", "/deadlines", "/exceptions"):
        check(staff, base + suffix)
    reader = login_client(app, student)
    for path in (f"/c/{course.slug}/assignments/", f"/c/{course.slug}/my-work", base):
        check(reader, path)
