"""Section due dates and per-student exceptions (extensions, excusals), one student or many at once."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Excusal, Extension, SectionDeadline
from tests import factories as f
from tests.functional.helpers import login_client

DUE = datetime(2030, 9, 20, 21, 0, tzinfo=UTC)  # Friday 5:00 pm EDT
COMMENTS_DUE = datetime(2030, 9, 24, 21, 0, tzinfo=UTC)


@pytest.fixture
def course():
    return f.make_course()


@pytest.fixture
def assignment(course):
    return f.make_assignment(course, title="Suez, 1956", opens_at=datetime(2030, 9, 1, tzinfo=UTC), post_due_at=DUE,
                             comments_due_at=COMMENTS_DUE)


def rows(model, assignment):
    return db.session.scalars(select(model).where(model.assignment_id == assignment.id)).all()


class TestSectionDeadlines:
    def test_set_and_clear_a_sections_dates(self, app, course, assignment):
        section = f.make_section(course, "Tuesday group")
        client = login_client(app, f.instructor_of(course))
        url = f"/c/{course.slug}/assignments/{assignment.id}/deadlines"
        page = client.get(url).get_data(as_text=True)
        assert "Tuesday group" in page
        response = client.post(url, data={f"section_{section.id}_post": "2030-09-21T17:00",
                                          f"section_{section.id}_comments": ""})
        assert response.status_code == 302
        (row,) = rows(SectionDeadline, assignment)
        assert row.post_due_at == datetime(2030, 9, 21, 21, 0, tzinfo=UTC) and row.comments_due_at is None
        assert 'value="2030-09-21T17:00"' in client.get(url).get_data(as_text=True)
        client.post(url, data={f"section_{section.id}_post": "", f"section_{section.id}_comments": ""})
        assert rows(SectionDeadline, assignment) == []

    def test_comments_due_before_the_sections_essays_is_refused(self, app, course, assignment):
        section = f.make_section(course)
        client = login_client(app, f.instructor_of(course))
        response = client.post(f"/c/{course.slug}/assignments/{assignment.id}/deadlines",
                               data={f"section_{section.id}_post": "2030-09-28T17:00"})
        assert "Comments are due before this section" in response.get_data(as_text=True)
        assert rows(SectionDeadline, assignment) == []

    def test_daylight_saving_gap_is_refused(self, app, course, assignment):
        section = f.make_section(course)
        client = login_client(app, f.instructor_of(course))
        response = client.post(f"/c/{course.slug}/assignments/{assignment.id}/deadlines",
                               data={f"section_{section.id}_comments": "2031-03-09T02:15"})
        assert "does not exist in America/New_York" in response.get_data(as_text=True)
        assert rows(SectionDeadline, assignment) == []

    def test_course_without_sections_says_so(self, app, course, assignment):
        page = login_client(app, f.instructor_of(course)).get(
            f"/c/{course.slug}/assignments/{assignment.id}/deadlines").get_data(as_text=True)
        assert "This course has no sections." in page


class TestExceptions:
    def url(self, course, assignment):
        return f"/c/{course.slug}/assignments/{assignment.id}/exceptions"

    def test_page_lists_students_with_their_deadlines(self, app, course, assignment):
        amara = f.make_member(course, name="Amara Okafor", extra_minutes=90)
        f.make_member(course, "ta", name="Sam the TA")
        page = login_client(app, f.instructor_of(course)).get(self.url(course, assignment)).get_data(as_text=True)
        assert "Amara Okafor" in page and "Sam the TA" not in page
        assert f'value="{amara.id}"' in page
        assert "includes 1 h 30 min extra time" in page

    def test_bulk_extension_for_several_students(self, app, course, assignment):
        first, second, third = (f.make_member(course) for _ in range(3))
        client = login_client(app, f.instructor_of(course))
        response = client.post(self.url(course, assignment), data={
            "students": [str(first.id), str(second.id)], "action": "extend",
            "post_due_at": "2030-09-23T09:00", "comments_due_at": ""}, follow_redirects=True)
        assert "Extended the deadlines of 2 students." in response.get_data(as_text=True)
        extensions = {e.user_id: e for e in rows(Extension, assignment)}
        assert set(extensions) == {first.id, second.id}
        assert extensions[first.id].post_due_at == datetime(2030, 9, 23, 13, 0, tzinfo=UTC)
        assert extensions[first.id].comments_due_at is None
        assert third.id not in extensions

    def test_bulk_excusal_and_clearing(self, app, course, assignment):
        first, second = f.make_member(course), f.make_member(course)
        client = login_client(app, f.instructor_of(course))
        client.post(self.url(course, assignment), data={
            "students": [str(first.id), str(second.id)], "action": "excuse", "reason": "Field trip"})
        assert {e.user_id for e in rows(Excusal, assignment)} == {first.id, second.id}
        page = client.get(self.url(course, assignment)).get_data(as_text=True)
        assert "excused" in page and "Field trip" in page
        client.post(self.url(course, assignment), data={"students": [str(first.id)], "action": "clear",
                                                        "confirm": "yes"})
        assert {e.user_id for e in rows(Excusal, assignment)} == {second.id}

    def test_extending_lifts_an_excusal(self, app, course, assignment):
        student = f.make_member(course)
        f.make_excusal(assignment, student)
        login_client(app, f.instructor_of(course)).post(self.url(course, assignment), data={
            "students": [str(student.id)], "action": "extend", "post_due_at": "2030-09-23T17:00"})
        assert rows(Excusal, assignment) == [] and len(rows(Extension, assignment)) == 1

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"action": "extend", "post_due_at": "2030-09-25T17:00"}, "Choose at least one student."),
            ({"action": "extend"}, "Give a new essay deadline, a new comment deadline, or both."),
            ({"action": "extend", "post_due_at": "2030-09-19T17:00"},
             "essay is due by then already: an extension needs a later date."),
            ({"action": "extend", "post_due_at": "2030-09-26T17:00"},
             "comments would still be due before the new essay deadline: give a new comment deadline too."),
            ({"action": "extend", "post_due_at": "2030-09-26T17:00", "comments_due_at": "2030-09-25T17:00"},
             "The new comment deadline is before the new essay deadline."),
            ({"action": "extend", "post_due_at": "2030-11-03T01:30"}, "happens twice"),
            ({"action": "sometime"}, "Not a valid choice."),
        ],
    )
    def test_bad_bulk_actions_write_nothing(self, app, course, assignment, data, message):
        student = f.make_member(course)
        if message != "Choose at least one student.":
            data = {**data, "students": [str(student.id)]}
        response = login_client(app, f.instructor_of(course)).post(self.url(course, assignment), data=data)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
        assert rows(Extension, assignment) == [] and rows(Excusal, assignment) == []

    def test_a_refused_extension_is_explained_beside_the_date_fields(self, app, course, assignment):
        student = f.make_member(course)
        response = login_client(app, f.instructor_of(course)).post(self.url(course, assignment), data={
            "students": [str(student.id)], "action": "extend"})
        page = response.get_data(as_text=True)
        message = "Give a new essay deadline, a new comment deadline, or both."
        assert page.index("What to do for the chosen students") < page.index(message) < page.index("New essay deadline")
        assert "Please correct the fields marked below." in page
        two = login_client(app, f.instructor_of(course)).post(self.url(course, assignment), data={
            "students": [str(student.id)], "action": "extend", "post_due_at": "2030-09-19T17:00",
            "comments_due_at": "2030-09-18T17:00"}).get_data(as_text=True)
        assert '<p class="field__error">The new comment deadline is before the new essay deadline.</p>' in two

    def test_an_essay_extension_past_the_comment_deadline_keeps_a_later_comment_extension(self, app, course,
                                                                                         assignment):
        student = f.make_member(course)
        f.make_extension(assignment, student, comments_due_at=COMMENTS_DUE + timedelta(days=7))
        response = login_client(app, f.instructor_of(course)).post(self.url(course, assignment), data={
            "students": [str(student.id)], "action": "extend", "post_due_at": "2030-09-26T17:00"},
            follow_redirects=True)
        assert "Extended the deadlines of 1 student." in response.get_data(as_text=True)
        (extension,) = rows(Extension, assignment)
        assert extension.comments_due_at == COMMENTS_DUE + timedelta(days=7)

    def test_student_of_another_course_cannot_be_chosen(self, app, course, assignment):
        outsider = f.make_member(f.make_course())
        f.make_member(course)
        response = login_client(app, f.instructor_of(course)).post(self.url(course, assignment), data={
            "students": [str(outsider.id)], "action": "excuse"})
        assert response.status_code == 200 and "not a valid choice" in response.get_data(as_text=True)
        assert rows(Excusal, assignment) == []

    def test_ambiguous_extension_is_saved_once_chosen(self, app, course, assignment):
        student = f.make_member(course)
        login_client(app, f.instructor_of(course)).post(self.url(course, assignment), data={
            "students": [str(student.id)], "action": "extend", "post_due_at": "2030-11-03T01:30",
            "post_due_at_fold": "0", "comments_due_at": "2030-11-10T17:00"})
        (extension,) = rows(Extension, assignment)
        assert extension.post_due_at == datetime(2030, 11, 3, 5, 30, tzinfo=UTC)
