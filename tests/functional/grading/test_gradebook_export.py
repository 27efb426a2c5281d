import csv
import io

import pytest

from coursesite.coursework.courses import section_named
from coursesite.extensions import db
from coursesite.permissions import membership
from tests import canvas_rules
from tests import factories as f
from tests.functional.grading_world import add_class, build_grading_world


@pytest.fixture
def w(app, auth):
    world = build_grading_world()
    auth.login(world.instructor)
    return world


def export(client, w, kind="canvas.csv", **args):
    return client.get(f"/c/{w.course.slug}/dashboard/export/{kind}", query_string=args)


def rows_of(response):
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def release(w):
    w.assignment.grades_released_at = w.assignment.post_due_at
    db.session.flush()


def test_canvas_export_follows_canvas_header_rules(client, w):
    amara, benjamin, chen = w.students
    f.make_grade(w.assignment, amara, post_score=8)
    f.make_excusal(w.assignment, benjamin)
    release(w)
    response = export(client, w)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{w.course.slug}-canvas-gradebook-')
    assert disposition.endswith('.csv"')
    rows = rows_of(response)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "The Berlin Airlift (4512)"]
    assert rows[1] == ["Points Possible", "", "", "", "", "20"]
    assert rows[2:] == [["Amara Okafor", "9001", "S-1", "", "Section A", "8"],
                        ["Benjamin Hart", "", "", "", "Section B", "EX"],
                        ["Chen Wei", "", "", "", "Section A", ""]]
    parsed = canvas_rules.parse(response.get_data().decode("utf-8"))
    assert [(t, i) for t, i, _ in parsed.assignments] == [("The Berlin Airlift", "4512")]


def test_unreleased_assignments_only_on_request(client, w):
    f.make_grade(w.assignment, w.students[0], post_score=8)
    assert rows_of(export(client, w))[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows_of(export(client, w, unreleased=1))[0][5] == "The Berlin Airlift (4512)"


def test_the_dashboard_warns_that_nothing_released_makes_a_file_of_names_only(client, w):
    dashboard = f"/c/{w.course.slug}/dashboard/"
    f.make_grade(w.assignment, w.students[0], post_score=8)
    page = client.get(dashboard).get_data(as_text=True)
    assert "No assignment’s grades are released yet" in page
    release(w)
    assert "No assignment’s grades are released yet" not in client.get(dashboard).get_data(as_text=True)


def test_separate_columns(client, w):
    f.make_grade(w.assignment, w.students[0], post_score=8, comment_score_override=4, override_reason="r")
    release(w)
    rows = rows_of(export(client, w, separate=1))
    assert rows[0][5:] == ["The Berlin Airlift: essay", "The Berlin Airlift: comments"]
    assert rows[1][5:] == ["10", "10"]
    assert rows[2][5:] == ["8", "4"]


def test_a_course_with_no_grades_still_gives_valid_csv(client, w):
    rows = rows_of(export(client, w))
    assert rows[:2] == [["Student", "ID", "SIS User ID", "SIS Login ID", "Section"],
                        ["Points Possible", "", "", "", ""]]
    plain = rows_of(export(client, w, "grades.csv"))
    assert plain[0] == ["Email", "Name", "Section", "Total", "Total possible"]
    assert len(plain) == 4


def test_plain_csv(client, w):
    amara = w.students[0]
    f.make_grade(w.assignment, amara, post_score=8)
    release(w)
    response = export(client, w, "grades.csv")
    assert response.headers["Content-Disposition"].startswith(f'attachment; filename="{w.course.slug}-grades-')
    rows = rows_of(response)
    assert rows[0] == ["Email", "Name", "Section", "The Berlin Airlift: essay", "The Berlin Airlift: comments",
                       "The Berlin Airlift: total", "Total", "Total possible"]
    assert rows[1] == [amara.email, "Amara Okafor", "Section A", "8", "0", "8", "8", "20"]


def test_hostile_names_are_defused_in_the_file(client, w):
    amara = w.students[0]
    amara.display_name = "=HYPERLINK(\"http://evil.example\",\"click\")"
    section_named(w.course, "@risk")
    f.make_grade(w.assignment, amara, post_score=8)
    release(w)
    rows = rows_of(export(client, w))
    assert rows[2][0] == '="=HYPERLINK(""http://evil.example"",""click"")"'


def test_ended_enrollments_are_left_out(client, w):
    from coursesite.coursework.courses import end_enrollment

    chen = w.students[2]
    enrollment = membership(chen, w.course)
    end_enrollment(enrollment)
    names = [row[0] for row in rows_of(export(client, w))[2:]]
    assert "Chen Wei" not in names


@pytest.mark.parametrize("path", ["dashboard/", "dashboard/export/canvas.csv", "dashboard/export/grades.csv",
                                  "dashboard/assignments/{a}/grading", "dashboard/assignments/{a}/release",
                                  "dashboard/assignments/{a}/grade/{s}", "dashboard/assignments/{a}/rubric",
                                  "my-grades"])
def test_fixed_number_of_queries_whatever_the_class_size(client, auth, w, count_queries, path):
    if path == "my-grades":
        auth.logout()
        auth.login(w.students[0])
    url = f"/c/{w.course.slug}/" + path.format(a=w.assignment.id, s=w.students[0].id)
    enrolled, counts = len(w.students), []
    if path == "dashboard/":  # seen once first, so that both counted views find the templates compiled
        add_class(w.course, w.assignment, w.students[0], 2, start=enrolled)
        enrolled += 2
        release(w)
        client.get(url)
    for class_size in (10, 200):
        add_class(w.course, w.assignment, w.students[0], class_size - enrolled, start=enrolled)
        enrolled = class_size
        release(w)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
    # The comment score is one statement (participation/counts.py), lateness each student's own due dates
    # (participation/deadlines.py: two); the dashboard's home adds the matrix and what needs attention (pinned
    # exactly in test_dashboard_matrix.py).
    assert counts[1] <= 24, counts


def test_the_canvas_files_with_unreleased_assignments_have_a_column_for_each(client, w):
    """Nobody is graded yet: the released-only file has no column, the file asked with unreleased has one."""
    for args in ({}, {"separate": 1}):
        assert rows_of(export(client, w, **args))[0][5:] == []
    assert rows_of(export(client, w, unreleased=1))[:2] == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "The Berlin Airlift (4512)"],
        ["Points Possible", "", "", "", "", "20"]]
    assert rows_of(export(client, w, separate=1, unreleased=1))[0][5:] == [
        "The Berlin Airlift: essay", "The Berlin Airlift: comments"]


def test_each_file_has_its_own_name(client, w):
    slug = w.course.slug
    names = {}
    for kind, args in [("canvas.csv", {}), ("canvas.csv", {"unreleased": 1}), ("canvas.csv", {"separate": 1}),
                       ("canvas.csv", {"separate": 1, "unreleased": 1}), ("grades.csv", {}),
                       ("grades.csv", {"unreleased": 1})]:
        disposition = export(client, w, kind, **args).headers["Content-Disposition"]
        names[disposition.split('filename="', 1)[1].rsplit("-", 3)[0]] = disposition
    assert sorted(names) == sorted([
        f"{slug}-canvas-gradebook", f"{slug}-canvas-gradebook-with-unreleased", f"{slug}-canvas-gradebook-separate",
        f"{slug}-canvas-gradebook-separate-with-unreleased", f"{slug}-grades", f"{slug}-grades-with-unreleased"])


def test_the_export_says_how_many_students_canvas_can_match_only_by_name(client, w):
    page = client.get(f"/c/{w.course.slug}/dashboard/").get_data(as_text=True)
    notice = page.split('id="lms-ids-missing"', 1)[1].split("</p>", 1)[0]
    assert "2 of 3 students have no Canvas or SIS id" in notice  # only Amara has ids
    assert f'href="/c/{w.course.slug}/roster/import"' in notice
    for student in w.students[1:]:
        membership(student, w.course).sis_login_id = f"login-{student.id}"
    db.session.flush()
    page = client.get(f"/c/{w.course.slug}/dashboard/").get_data(as_text=True)
    assert 'id="lms-ids-missing"' not in page


def test_a_class_without_any_canvas_ids_is_told_so(client, w):
    membership(w.students[0], w.course).canvas_user_id = None
    membership(w.students[0], w.course).sis_user_id = "  "
    db.session.flush()
    page = client.get(f"/c/{w.course.slug}/dashboard/").get_data(as_text=True)
    assert "None of the 3 students has a Canvas or SIS id" in page
