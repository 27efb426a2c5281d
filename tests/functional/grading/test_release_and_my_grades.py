from datetime import timedelta

import pytest

from coursesite.extensions import db
from coursesite.models import Grade
from coursesite.text import timefmt
from tests import factories as f
from tests.functional.grading_world import build_grading_world


@pytest.fixture
def w(app):
    return build_grading_world()


def my_grades(client, w):
    return client.get(f"/c/{w.course.slug}/my-grades").get_data(as_text=True)


def release_url(w):
    return f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}/release"


def graded_amara(w):
    thesis, style = f.make_criteria(w.assignment, ("Thesis", 6), ("Style", 4))
    f.make_post(w.course, w.students[0], assignment_id=w.assignment.id,
                published_at=w.assignment.post_due_at + timedelta(hours=1))
    return f.make_grade(w.assignment, w.students[0], w.instructor, post_score=8,
                        rubric_scores={str(thesis.id): 5, str(style.id): 3}, comment_score_override=6,
                        override_reason="Two comments lost in the outage", feedback="Good *work*",
                        feedback_html="<p>Good <em>work</em></p>")


def test_students_see_nothing_before_release(client, auth, w):
    graded_amara(w)
    auth.login(w.students[0])
    page = my_grades(client, w)
    assert "The Berlin Airlift" in page and "Not released yet." in page
    assert "Good <em>work</em>" not in page and "Thesis" not in page


def test_release_asks_for_confirmation_then_students_see_everything(client, auth, w):
    graded_amara(w)
    f.make_excusal(w.assignment, w.students[1])
    auth.login(w.instructor)
    page = client.get(release_url(w)).get_data(as_text=True)
    assert "Release grades of The Berlin Airlift?" in page
    assert "1 of 3 students has a grade." in page and "1 is excused." in page and "1 without a grade" in page
    assert w.assignment.grades_released_at is None
    response = client.post(release_url(w))
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard/")
    assert w.assignment.grades_released_at is not None
    auth.logout()

    auth.login(w.students[0])
    page = my_grades(client, w)
    assert "Total: <strong>14 of 20</strong>" in page  # essay 8, comments replaced by 6
    assert "Thesis: 5 of 6" in page and "Style: 3 of 4" in page
    assert "Late by 1 h: late essays are accepted without penalty." in page
    assert "<li>Set by staff: Two comments lost in the outage</li><li>Computed: " in page  # each on its own line
    assert "<p>Good <em>work</em></p>" in page
    assert "Released so far: <strong>14 of 20 points</strong>" in page
    auth.logout()

    auth.login(w.students[1])
    assert "Excused." in my_grades(client, w)
    auth.logout()
    auth.login(w.students[2])
    page = my_grades(client, w)
    assert "Not graded yet." in page and "Good <em>work</em>" not in page


def test_late_penalty_is_shown_to_the_student(client, auth, w):
    w.assignment.late_policy, w.assignment.penalty_percent_per_day = "penalty", 10
    graded_amara(w)
    w.assignment.grades_released_at = w.assignment.post_due_at
    db.session.flush()
    auth.login(w.students[0])
    page = my_grades(client, w)
    assert "7.2 of 10" in page and "(8 before the late penalty)" in page
    assert "1 started day × 10% = 10% off the essay." in page


def test_an_extension_or_section_date_means_no_late_penalty(client, auth, w):
    """Lateness is measured from the student's own due date, on My grades, the grading page and the export."""
    w.assignment.late_policy, w.assignment.penalty_percent_per_day = "penalty", 10
    graded_amara(w)  # published an hour after the assignment's date
    f.make_extension(w.assignment, w.students[0], post_due_at=w.assignment.post_due_at + timedelta(hours=2))
    w.assignment.grades_released_at = w.assignment.post_due_at
    db.session.flush()
    auth.login(w.students[0])
    page = my_grades(client, w)
    assert "8 of 10" in page and "late penalty" not in page and "Late by" not in page
    auth.logout()
    auth.login(w.instructor)
    grading = client.get(f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}/grade/{w.students[0].id}")
    assert "Late by" not in grading.get_data(as_text=True)
    export = client.get(f"/c/{w.course.slug}/dashboard/export/grades.csv").get_data(as_text=True)
    amara = next(line for line in export.splitlines() if "Amara Okafor" in line)
    assert ",14" in amara or ",14.0" in amara  # essay 8 + comments 6, nothing off


def test_unrelease_hides_the_grades_again(client, auth, w):
    graded_amara(w)
    auth.login(w.instructor)
    client.post(release_url(w))
    assert client.post(release_url(w)).status_code == 302  # a second release changes nothing
    page = client.get(f"/c/{w.course.slug}/dashboard/").get_data(as_text=True)
    assert "✓ Released" in page and "Hide grades" in page
    client.post(f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}/unrelease")
    assert w.assignment.grades_released_at is None
    auth.logout()
    auth.login(w.students[0])
    assert "Not released yet." in my_grades(client, w)


def test_tas_cannot_release_and_do_not_see_the_button(client, auth, w):
    auth.login(w.ta)
    assert client.post(release_url(w)).status_code == 403
    page = client.get(f"/c/{w.course.slug}/dashboard/").get_data(as_text=True)
    assert "Release grades" not in page and "Export the gradebook" not in page
    assert w.assignment.grades_released_at is None


def test_site_admin_may_release_though_not_grade(client, auth, w):
    auth.login(w.admin)
    assert client.post(release_url(w)).status_code == 302
    assert w.assignment.grades_released_at is not None


def test_my_grades_is_for_members(client, auth, w):
    assert client.get(f"/c/{w.course.slug}/my-grades").status_code == 302
    auth.login(w.outsider)
    assert client.get(f"/c/{w.course.slug}/my-grades").status_code == 403


def test_a_student_sees_only_their_own_grade(client, auth, w):
    graded_amara(w)
    db.session.add(Grade(assignment_id=w.assignment.id, student_id=w.students[1].id, post_score=3,
                         feedback_html="<p>Benjamin's private note</p>"))
    w.assignment.grades_released_at = w.assignment.post_due_at
    db.session.flush()
    auth.login(w.students[0])
    page = my_grades(client, w)
    assert "Benjamin's private note" not in page and "Good <em>work</em>" in page


def test_dashboard_grading_table_shows_release_and_due_dates_one_way(client, auth, w):
    graded_amara(w)
    auth.login(w.instructor)
    client.post(release_url(w))
    page = client.get(f"/c/{w.course.slug}/dashboard/").get_data(as_text=True)
    table = page.split('id="grading-heading"', 1)[1].split("</table>", 1)[0]
    tz = w.course.timezone
    assert timefmt.deadline_text(w.assignment.post_due_at, tz) in table
    assert timefmt.deadline_text(w.assignment.grades_released_at, tz) in table
    assert timefmt.wp_date(w.assignment.grades_released_at, tz) not in table
