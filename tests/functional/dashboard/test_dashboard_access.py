"""The dashboard is guarded as a whole: staff of the course only; release and export for instructors and admins."""

import pytest

from tests.functional.grading_world import build_grading_world


@pytest.fixture
def w(app):
    return build_grading_world()


def dashboard_urls(w):
    base = f"/c/{w.course.slug}/dashboard"
    a = w.assignment.id
    return [f"{base}/", f"{base}/assignments/{a}/rubric", f"{base}/assignments/{a}/grading",
            f"{base}/assignments/{a}/grade/{w.students[0].id}"]


def export_urls(w):
    base = f"/c/{w.course.slug}/dashboard"
    return [f"{base}/export/canvas.csv", f"{base}/export/grades.csv",
            f"{base}/assignments/{w.assignment.id}/release"]


def test_visitors_are_sent_to_log_in(client, w):
    for url in dashboard_urls(w) + export_urls(w):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("who", ["student", "outsider", "other_ta", "admin"])
def test_non_staff_get_403_on_every_grading_page(client, auth, w, who):
    user = {"student": w.students[0], "outsider": w.outsider, "other_ta": w.other_ta, "admin": w.admin}[who]
    auth.login(user)
    for url in dashboard_urls(w):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("who", ["ta", "instructor"])
def test_staff_see_every_grading_page(client, auth, w, who):
    auth.login(getattr(w, who))
    for url in dashboard_urls(w):
        assert client.get(url).status_code == 200, url


def test_release_and_export_are_for_instructors_and_admins_not_tas(client, auth, w):
    for user, status in ((w.ta, 403), (w.students[0], 403), (w.instructor, 200), (w.admin, 200)):
        auth.login(user)
        for url in export_urls(w):
            assert client.get(url).status_code == status, (user.display_name, url)
        auth.logout()


def test_posting_as_a_student_changes_nothing(client, auth, w):
    auth.login(w.students[0])
    base = f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}"
    assert client.post(f"{base}/release").status_code == 403
    grade_form = {"essay_score": "10", "version": "0"}
    assert client.post(f"{base}/grade/{w.students[0].id}", data=grade_form).status_code == 403
    assert w.assignment.grades_released_at is None


def test_unknown_course_and_assignment_of_another_course_are_404(client, auth, w):
    from tests import factories as f

    auth.login(w.instructor)
    assert client.get("/c/no-such-course/dashboard/").status_code == 404
    foreign = f.make_assignment(f.make_course(w.admin))
    base = f"/c/{w.course.slug}/dashboard/assignments/{foreign.id}"
    assert client.get(f"{base}/rubric").status_code == 404
    assert client.get(f"{base}/grading").status_code == 404
    assert client.get(f"{base}/grade/{w.students[0].id}").status_code == 404


def test_grading_someone_who_is_not_a_student_of_the_course_is_404(client, auth, w):
    auth.login(w.instructor)
    base = f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}/grade"
    assert client.get(f"{base}/{w.ta.id}").status_code == 404
    assert client.get(f"{base}/{w.outsider.id}").status_code == 404
    assert client.get(f"{base}/999999").status_code == 404


def test_course_nav_links_dashboard_for_staff_and_my_grades_for_students(client, auth, w):
    blog = f"/c/{w.course.slug}/"
    auth.login(w.ta)
    page = client.get(blog).get_data(as_text=True)
    assert f'href="/c/{w.course.slug}/dashboard/"' in page and "My grades" not in page
    auth.logout()
    auth.login(w.students[0])
    page = client.get(blog, follow_redirects=True).get_data(as_text=True)  # a student's home: This week
    assert f'href="/c/{w.course.slug}/my-grades"' in page and ">Dashboard<" not in page
