import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import Grade, GradeChange, utcnow
from tests import factories as f
from tests.conftest import AuthActions
from tests.functional.grading_world import build_grading_world


@pytest.fixture
def w(app, auth):
    world = build_grading_world()
    auth.login(world.instructor)
    return world


def url(w, student=None):
    student = student or w.students[0]
    return f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}/grade/{student.id}"


def grade_of(w, student=None) -> Grade | None:
    student = student or w.students[0]
    return db.session.scalar(select(Grade).where(Grade.assignment_id == w.assignment.id,
                                                 Grade.student_id == student.id)
                             .execution_options(populate_existing=True))


def changes_count() -> int:
    return db.session.scalar(select(func.count(GradeChange.id)))


def with_rubric(w):
    return f.make_criteria(w.assignment, ("Thesis", 4), ("Evidence", 4), ("Style", 2))


def test_essay_beside_the_form_with_the_computed_comment_score(client, w):
    post = f.make_post(w.course, w.students[0], title="Bread and Bombers", body="Gail Halvorsen dropped candy.",
                       assignment_id=w.assignment.id)
    peer = f.make_post(w.course, w.students[1], assignment_id=w.assignment.id)
    f.make_comment(peer, w.students[0], body="This is a careful and generous reading.",
                   created_at=w.assignment.comments_due_at.replace(microsecond=0) - timedelta(hours=1))
    page = client.get(url(w)).get_data(as_text=True)
    assert "Bread and Bombers" in page and "<p>Gail Halvorsen dropped candy.</p>" in page
    assert "1 of 2 qualifying comments → 5 of 10" in page
    assert post.title in page


def test_no_essay_says_so(client, w):
    assert "No essay." in client.get(url(w)).get_data(as_text=True)
    f.make_post(w.course, w.students[0], status="draft", assignment_id=w.assignment.id)
    assert "has a draft for this assignment" in client.get(url(w)).get_data(as_text=True)


def test_saving_a_rubric_grade_records_who_and_when(client, w):
    thesis, evidence, style = with_rubric(w)
    response = client.post(url(w), data={f"criterion_{thesis.id}": "4", f"criterion_{evidence.id}": "3,5",
                                         f"criterion_{style.id}": "1", "feedback": "**Strong** thesis.",
                                         "version": "0", "action": "save"})
    assert response.status_code == 302
    grade = grade_of(w)
    assert grade.post_score == 8.5
    assert grade.rubric_scores == {str(thesis.id): 4, str(evidence.id): 3.5, str(style.id): 1}
    assert grade.graded_by_id == w.instructor.id and grade.graded_at is not None
    assert grade.feedback_html == "<p><strong>Strong</strong> thesis.</p>\n"
    change = db.session.scalar(select(GradeChange).where(GradeChange.grade_id == grade.id))
    assert change.changed_by_id == w.instructor.id
    assert change.changes["essay_score"] == [None, 8.5]
    page = client.get(url(w)).get_data(as_text=True)
    assert "essay score — → 8.5" in page and "Evidence — → 3.5" in page and "feedback written" in page


def test_scores_out_of_range_and_override_without_reason_are_field_errors(client, w):
    thesis, evidence, style = with_rubric(w)
    response = client.post(url(w), data={f"criterion_{thesis.id}": "5", f"criterion_{evidence.id}": "abc",
                                         f"criterion_{style.id}": "-1", "comment_override": "8",
                                         "override_reason": "", "feedback": "Kept text", "version": "0"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count("Enter a score from 0 to") == 2
    assert "Enter a number, like 7 or 7.5." in page
    assert "Say why the computed comment score is replaced." in page
    assert "Kept text" in page and 'value="abc"' in page
    assert grade_of(w) is None and changes_count() == 0


def test_single_score_and_override_with_reason(client, w):
    response = client.post(url(w), data={"essay_score": "7", "comment_override": "9",
                                         "override_reason": "Comments lost in the outage", "version": "0"})
    assert response.status_code == 302
    grade = grade_of(w)
    assert (grade.post_score, grade.comment_score_override, grade.override_reason) == (
        7, 9, "Comments lost in the outage")
    client.post(url(w), data={"essay_score": "7", "comment_override": "", "override_reason": "ignored",
                              "version": str(grade.version)})
    grade = grade_of(w)
    assert grade.comment_score_override is None and grade.override_reason is None
    assert grade.version == 2


def test_essay_score_above_the_points_is_refused(client, w):
    page = client.post(url(w), data={"essay_score": "11", "version": "0"}).get_data(as_text=True)
    assert "Enter a score from 0 to 10." in page
    assert grade_of(w) is None


def test_feedback_is_sanitized(client, w):
    client.post(url(w), data={"essay_score": "7", "version": "0",
                              "feedback": "<script>alert(1)</script> [x](javascript:alert(1)) fine"})
    html = grade_of(w).feedback_html
    assert "<script" not in html and 'href="javascript' not in html and "fine" in html


def test_two_graders_the_second_is_told_and_loses_nothing(app, client, w):
    thesis, evidence, style = with_rubric(w)
    ta_client = app.test_client()
    AuthActions(ta_client).login(w.ta)
    # Both open the form on an ungraded essay (version 0); the TA saves first.
    assert ta_client.post(url(w), data={f"criterion_{thesis.id}": "2", f"criterion_{evidence.id}": "2",
                                        f"criterion_{style.id}": "2", "feedback": "TA's note", "version": "0"}
                          ).status_code == 302
    mine = {f"criterion_{thesis.id}": "4", f"criterion_{evidence.id}": "4", f"criterion_{style.id}": "1",
            "feedback": "Instructor's careful feedback", "version": "0"}
    response = client.post(url(w), data=mine)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Someone else saved this grade while you were editing" in page
    assert "Sam Whitfield" in page and "TA's note" in page  # their saved values
    assert "Instructor&#39;s careful feedback" in page  # what I typed, still in the form
    assert grade_of(w).post_score == 6 and grade_of(w).feedback == "TA's note"
    new_version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    assert new_version == "1"
    # Saving again, knowingly, replaces the TA's grade; both changes are in the history.
    assert client.post(url(w), data={**mine, "version": new_version}).status_code == 302
    assert grade_of(w).post_score == 9 and changes_count() == 2


def test_a_stale_form_with_no_grade_saved_is_refused_politely(client, w):
    page = client.post(url(w), data={"essay_score": "7", "version": "3"}).get_data(as_text=True)
    assert "This form was out of date" in page
    assert grade_of(w) is None


def test_save_and_next_ungraded_goes_by_name(client, w):
    amara, benjamin, chen = w.students
    f.make_grade(w.assignment, chen)
    response = client.post(url(w, amara), data={"essay_score": "7", "version": "0", "action": "next"})
    assert response.headers["Location"].endswith(f"/grade/{benjamin.id}")
    response = client.post(url(w, benjamin), data={"essay_score": "6", "version": "0", "action": "next"})
    assert response.headers["Location"].endswith(f"/assignments/{w.assignment.id}/grading")


def test_next_ungraded_skips_graded_and_excused(client, w):
    amara, benjamin, chen = w.students
    f.make_grade(w.assignment, amara)
    f.make_excusal(w.assignment, benjamin)
    nxt = f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}/next"
    assert client.get(nxt).headers["Location"].endswith(f"/grade/{chen.id}")
    f.make_grade(w.assignment, chen)
    assert client.get(nxt).headers["Location"].endswith("/grading")


def test_queue_shows_each_student_state(client, w):
    amara, benjamin, chen = w.students
    f.make_post(w.course, amara, assignment_id=w.assignment.id,
                published_at=w.assignment.post_due_at + timedelta(hours=5))
    f.make_post(w.course, benjamin, status="draft", assignment_id=w.assignment.id)
    f.make_grade(w.assignment, amara, post_score=8)
    f.make_excusal(w.assignment, chen)
    page = client.get(f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}/grading").get_data(as_text=True)
    assert "1 of 3 students graded" in page
    assert "Late by 5 h" in page and "Draft only" in page and "Excused" in page
    assert "8 of 20" in page  # 8 + computed comment score 0 of 10


def test_the_queue_has_a_section_column_only_in_a_course_with_sections(client, auth, w):
    page = client.get(f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}/grading").get_data(as_text=True)
    assert '<th scope="col">Section</th>' in page
    assert '<td data-label="Section" title="Section B"><span class="section-name">Section B</span></td>' in page
    course = f.make_course()
    assignment = f.make_assignment(course, title="Sources")
    for name in ("Zoe Zed", "Amy Ash"):
        f.make_member(course, name=name)
    db.session.commit()
    auth.logout()
    auth.login(f.instructor_of(course))
    page = client.get(f"/c/{course.slug}/dashboard/assignments/{assignment.id}/grading").get_data(as_text=True)
    table = page.split("<table", 1)[1]
    assert "Amy Ash" in table and "Zoe Zed" in table
    assert "Section" not in table and "—</td>" not in table


def test_queue_greys_essays_not_due_yet_instead_of_calling_them_missing(client, w):
    amara, benjamin, chen = w.students
    w.assignment.post_due_at = utcnow() + timedelta(days=2)
    f.make_post(w.course, benjamin, status="draft", assignment_id=w.assignment.id)
    db.session.flush()
    queue = f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}/grading"
    page = client.get(queue).get_data(as_text=True)
    assert page.count('<span class="muted">Not due yet</span>') == 2  # Amara and Chen
    assert "Draft, not due yet" in page
    assert "No essay" not in page and "Draft only" not in page
    w.assignment.post_due_at = utcnow() - timedelta(minutes=5)
    db.session.flush()
    page = client.get(queue).get_data(as_text=True)
    assert page.count("No essay") == 2 and "Draft only" in page and "Not due yet" not in page


def test_excused_student_is_flagged_on_the_grading_page(client, w):
    f.make_excusal(w.assignment, w.students[0])
    assert "This student is excused" in client.get(url(w)).get_data(as_text=True)


def test_a_score_given_before_the_rubric_is_pointed_out(client, w):
    f.make_grade(w.assignment, w.students[0], post_score=7)
    with_rubric(w)
    assert "The saved essay score, 7, was given without this rubric." in client.get(url(w)).get_data(as_text=True)


def test_grading_after_the_release_says_the_student_sees_it_at_once(client, w):
    page = client.get(url(w)).get_data(as_text=True)
    assert "Only this student (once grades are released)" in page
    w.assignment.grades_released_at = utcnow()
    db.session.commit()
    page = client.get(url(w)).get_data(as_text=True)
    assert "this student sees the grade and feedback as soon as you save" in page
    response = client.post(url(w), data={"essay_score": "7", "version": "0"}, follow_redirects=True)
    name = w.students[0].display_name
    assert f"The grade of {name} is saved. {w.assignment.title}’s grades are released, so {name} sees it now." in (
        response.get_data(as_text=True))
