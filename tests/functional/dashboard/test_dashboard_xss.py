"""Hostile text through every grading field: assignment and criterion titles, names, reasons, feedback."""

import pytest

from coursesite.coursework.courses import section_named
from coursesite.extensions import db
from tests import factories as f
from tests.functional.grading_world import build_grading_world
from tests.payloads import XSS_PAYLOADS, assert_page_is_safe


def safe_get(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.get_data(as_text=True)
    assert_page_is_safe(html, path)
    return html


@pytest.mark.parametrize("index", range(len(XSS_PAYLOADS)))
def test_payload_is_text_on_every_grading_page(app, client, auth, index):
    payload = XSS_PAYLOADS[index]
    w = build_grading_world()
    student = w.students[0]
    w.assignment.title = payload
    student.display_name = payload
    second = f.make_member(w.course, "student", "Second Student", section=section_named(w.course, payload))
    essay = f.make_post(w.course, student, assignment_id=w.assignment.id, title=payload)
    # A comment between students on an assignment's essay: the Activity page draws the named grid.
    f.make_thread_comment(essay, second, "A comment long enough to be drawn in the grid of who comments.")
    db.session.flush()
    auth.login(w.instructor)
    base = f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}"

    response = client.post(f"{base}/rubric", data={"mode": "rubric", "action": "save", "criteria-0-title": payload,
                                                   "criteria-0-description": payload, "criteria-0-points": "10"})
    assert response.status_code == 302
    page = safe_get(client, f"{base}/grade/{student.id}")
    criterion = "criterion_" + page.split('name="criterion_')[1].split('"')[0]
    grade = {criterion: "8", "comment_override": "5", "override_reason": payload,
             "feedback": payload, "version": "0"}
    # First with an error (a score out of range): the form is shown again, payloads kept as text.
    response = client.post(f"{base}/grade/{student.id}", data={**grade, criterion: "11"})
    assert response.status_code == 200
    assert_page_is_safe(response.get_data(as_text=True), "grade form with errors")
    assert client.post(f"{base}/grade/{student.id}", data=grade).status_code == 302

    for path in (f"/c/{w.course.slug}/dashboard/", f"{base}/rubric", f"{base}/grading", f"{base}/grade/{student.id}",
                 f"{base}/release"):
        safe_get(client, path)
    assert 'id="web-title"' in safe_get(client, f"/c/{w.course.slug}/dashboard/activity")  # the grid of names
    assert client.post(f"{base}/release").status_code == 302
    auth.logout()
    auth.login(student)
    safe_get(client, f"/c/{w.course.slug}/my-grades")
