"""Assignments through the browser's eyes: listing, reading, creating and editing, with bad input."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import Assignment, utcnow
from tests import factories as f
from tests.functional.helpers import login_client


def valid_form(**changes):
    data = {
        "title": "The Marshall Plan", "prompt": "Was it *generosity* or strategy?",
        "opens_at": "2026-09-01T09:00", "post_due_at": "2026-09-18T17:00", "comments_due_at": "2026-09-22T17:00",
        "required_comments": "2", "min_comment_words": "50", "min_post_words": "600", "post_points": "10",
        "comment_points": "5", "late_policy": "penalty", "grace_minutes": "15", "penalty_percent_per_day": "10",
        "penalty_cap_percent": "30", "peer_mode": "open", "peer_scope": "course", "comments_counted_per_essay": "1",
        "canvas_assignment_id": "4471",
    }
    data.update(changes)
    return data


@pytest.fixture
def course():
    return f.make_course(title="Modern History")


@pytest.fixture
def instructor(course):
    return f.instructor_of(course)


def assignment_count(course) -> int:
    return db.session.scalar(select(func.count(Assignment.id)).where(Assignment.course_id == course.id))


class TestList:
    def test_student_sees_their_own_deadlines(self, app, course):
        student = f.make_member(course)
        due = utcnow() + timedelta(days=3)
        assignment = f.make_assignment(course, title="Versailles", post_due_at=due)
        f.make_extension(assignment, student, post_due_at=due + timedelta(days=2))
        page = login_client(app, student).get(f"/c/{course.slug}/assignments/").get_data(as_text=True)
        assert "Versailles" in page
        assert "extended" in page and "in 5 days" in page
        assert "New assignment" not in page

    def test_staff_see_management_links(self, app, course, instructor):
        f.make_assignment(course, title="Versailles")
        page = login_client(app, instructor).get(f"/c/{course.slug}/assignments/").get_data(as_text=True)
        assert "New assignment" in page and "Extensions and excusals" in page

    def test_course_navigation_links(self, app, course, instructor):
        student = f.make_member(course)
        page = login_client(app, student).get(f"/c/{course.slug}/assignments/").get_data(as_text=True)
        assert ">Assignments</a>" in page and ">My work</a>" in page
        page = login_client(app, instructor).get(f"/c/{course.slug}/assignments/").get_data(as_text=True)
        assert ">Assignments</a>" in page and ">My work</a>" not in page


class TestDetail:
    def test_prompt_is_rendered_and_hostile_markup_is_inert(self, app, course, instructor):
        client = login_client(app, instructor)
        prompt = "Read *this*.\n\n<script>alert(1)</script> [x](javascript:alert(2))"
        client.post(f"/c/{course.slug}/assignments/new", data=valid_form(prompt=prompt))
        assignment = db.session.scalar(select(Assignment).where(Assignment.course_id == course.id))
        student = f.make_member(course)
        page = login_client(app, student).get(f"/c/{course.slug}/assignments/{assignment.id}").get_data(as_text=True)
        assert "<em>this</em>" in page
        assert "<script>alert" not in page and "&lt;script&gt;" in page
        assert "href=\"javascript" not in page

    def test_student_sees_status_and_write_link(self, app, course):
        student = f.make_member(course)
        assignment = f.make_assignment(course, min_post_words=500, late_policy="penalty",
                                       penalty_percent_per_day=10, penalty_cap_percent=30, grace_minutes=15)
        page = login_client(app, student).get(f"/c/{course.slug}/assignments/{assignment.id}").get_data(as_text=True)
        assert "not started" in page
        assert f"/c/{course.slug}/posts/new?assignment={assignment.id}" in page
        assert "at least 500 words" in page
        assert "lose 10% per started day after a grace period of 15 min, at most 30%" in page

    def test_prompt_hidden_until_the_assignment_opens(self, app, course, instructor):
        assignment = f.make_assignment(course, prompt="Secret question", prompt_html="<p>Secret question</p>",
                                       opens_at=utcnow() + timedelta(days=2))
        student = f.make_member(course)
        page = login_client(app, student).get(f"/c/{course.slug}/assignments/{assignment.id}").get_data(as_text=True)
        assert "Secret question" not in page and "appears when the assignment opens" in page
        page = login_client(app, instructor).get(f"/c/{course.slug}/assignments/{assignment.id}").get_data(as_text=True)
        assert "Secret question" in page

    def test_unknown_assignment_is_not_found(self, app, course, instructor):
        assert login_client(app, instructor).get(f"/c/{course.slug}/assignments/999999").status_code == 404

    def test_assignment_of_another_course_is_not_found(self, app, course, instructor):
        elsewhere = f.make_assignment(f.make_course(instructor))
        client = login_client(app, instructor)
        for suffix in ("", "/edit", "/deadlines", "/exceptions"):
            assert client.get(f"/c/{course.slug}/assignments/{elsewhere.id}{suffix}").status_code == 404


class TestCreate:
    def test_instructor_creates_an_assignment_with_every_field(self, app, course, instructor):
        response = login_client(app, instructor).post(f"/c/{course.slug}/assignments/new", data=valid_form())
        assert response.status_code == 302
        a = db.session.scalar(select(Assignment).where(Assignment.course_id == course.id))
        # Typed in America/New_York (EDT in September): 5:00 pm is 21:00 UTC.
        assert a.post_due_at == datetime(2026, 9, 18, 21, 0, tzinfo=UTC)
        assert a.opens_at == datetime(2026, 9, 1, 13, 0, tzinfo=UTC)
        assert (a.required_comments, a.min_comment_words, a.min_post_words) == (2, 50, 600)
        assert (a.post_points, a.comment_points) == (10.0, 5.0)
        assert (a.late_policy, a.grace_minutes, a.penalty_percent_per_day, a.penalty_cap_percent) == \
            ("penalty", 15, 10.0, 30.0)
        assert (a.peer_mode, a.peer_scope, a.comments_counted_per_essay, a.canvas_assignment_id) == \
            ("open", "course", 1, "4471")
        assert "<em>generosity</em>" in a.prompt_html

    def test_more_required_comments_than_peers_is_saved_with_a_warning(self, app, course, instructor):
        f.make_member(course)
        f.make_member(course)
        client = login_client(app, instructor)
        response = client.post(f"/c/{course.slug}/assignments/new", data=valid_form(required_comments="3"),
                               follow_redirects=True)
        page = response.get_data(as_text=True)
        assert "some have only 1 classmate in the course" in page
        assert assignment_count(course) == 1

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"title": ""}, "Give the assignment a title."),
            ({"required_comments": "-1"}, "Enter a whole number from 0 to 50."),
            ({"post_points": "-5"}, "Enter a number from 0 to 10000."),
            ({"penalty_cap_percent": "120"}, "Enter a number from 0 to 100."),
            ({"grace_minutes": "soon"}, "Not a valid integer value."),
            ({"comments_due_at": "2026-09-17T17:00"}, "Comments are due before the essays."),
            ({"opens_at": "2026-09-20T09:00"}, "The essay is due before the assignment opens."),
            ({"penalty_percent_per_day": "0"}, "Set a penalty per day"),
            ({"canvas_assignment_id": "=HYPERLINK()"}, "Canvas assignment ids are digits only."),
            ({"post_due_at": "next friday"}, "Not a valid datetime value."),
            ({"late_policy": "whenever"}, "Not a valid choice."),
        ],
    )
    def test_bad_input_shows_field_errors_keeps_the_text_and_writes_nothing(self, app, course, instructor, changes,
                                                                           message):
        data = valid_form(prompt="My carefully written prompt", **changes)
        response = login_client(app, instructor).post(f"/c/{course.slug}/assignments/new", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert message in page
        assert "My carefully written prompt" in page
        assert assignment_count(course) == 0

    def test_time_skipped_by_daylight_saving_is_refused(self, app, course, instructor):
        data = valid_form(opens_at="2026-03-01T09:00", post_due_at="2026-03-08T02:30", comments_due_at="")
        page = login_client(app, instructor).post(f"/c/{course.slug}/assignments/new", data=data).get_data(
            as_text=True)
        assert "March 8, 2026 at 2:30 am does not exist in America/New_York" in page
        assert assignment_count(course) == 0

    def test_repeated_time_asks_which_one_then_saves_the_choice(self, app, course, instructor):
        client = login_client(app, instructor)
        data = valid_form(opens_at="2026-10-20T09:00", post_due_at="2026-11-01T01:30", comments_due_at="")
        page = client.post(f"/c/{course.slug}/assignments/new", data=data).get_data(as_text=True)
        assert "happens twice in America/New_York" in page
        assert "the first 1:30 am (EDT)" in page and "the second 1:30 am (EST)" in page
        assert 'name="post_due_at_fold"' in page
        assert assignment_count(course) == 0
        response = client.post(f"/c/{course.slug}/assignments/new", data={**data, "post_due_at_fold": "1"})
        assert response.status_code == 302
        saved = db.session.scalar(select(Assignment).where(Assignment.course_id == course.id))
        assert saved.post_due_at == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


class TestEdit:
    def test_form_shows_local_times_and_saves_changes(self, app, course, instructor):
        a = f.make_assignment(course, title="Old", post_due_at=datetime(2026, 9, 18, 21, 0, tzinfo=UTC),
                              comments_due_at=None, opens_at=None)
        client = login_client(app, instructor)
        page = client.get(f"/c/{course.slug}/assignments/{a.id}/edit").get_data(as_text=True)
        assert 'value="2026-09-18T17:00"' in page and 'value="Old"' in page
        response = client.post(f"/c/{course.slug}/assignments/{a.id}/edit",
                               data=valid_form(title="New", opens_at="", post_due_at="2026-09-25T17:00",
                                               comments_due_at=""))
        assert response.status_code == 302
        db.session.refresh(a)
        assert a.title == "New" and a.post_due_at == datetime(2026, 9, 25, 21, 0, tzinfo=UTC)

    def test_stored_repeated_time_keeps_its_choice_on_the_form(self, app, course, instructor):
        a = f.make_assignment(course, post_due_at=datetime(2026, 11, 1, 6, 30, tzinfo=UTC), opens_at=None,
                              comments_due_at=None)
        page = login_client(app, instructor).get(f"/c/{course.slug}/assignments/{a.id}/edit").get_data(as_text=True)
        assert 'value="2026-11-01T01:30"' in page
        assert 'name="post_due_at_fold" value="1" checked' in page

    def test_bad_edit_changes_nothing(self, app, course, instructor):
        a = f.make_assignment(course, title="Kept")
        before = a.post_due_at
        response = login_client(app, instructor).post(
            f"/c/{course.slug}/assignments/{a.id}/edit", data=valid_form(title="Changed", min_post_words="-3"))
        assert response.status_code == 200
        db.session.expire_all()
        a = db.session.get(Assignment, a.id)
        assert (a.title, a.post_due_at) == ("Kept", before)


def test_a_new_assignment_starts_with_required_comments_worth_points(app, course, instructor):
    page = login_client(app, instructor).get(f"/c/{course.slug}/assignments/new").get_data(as_text=True)

    def value(name):
        tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page).group(0)
        return re.search(r'value="([^"]*)"', tag).group(1)

    assert (value("required_comments"), value("min_comment_words")) == ("2", "50")
    assert (value("post_points"), value("comment_points")) == ("10", "5")
    assert "For all the required comments together" in page


# "Fri, Apr 7 at 5:00 pm EDT", with ", 2027" after the day in another year.
DATE_SHOWN = re.compile(r"^[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}(, \d{4})? at \d{1,2}:\d\d [ap]m E[SD]T$")


@pytest.mark.parametrize("path", ["assignments/", "my-work", "dashboard/"])
def test_deadlines_this_week_and_later_read_the_same_way(app, course, instructor, path):
    now = utcnow()
    for days in (2, 23):
        due = now + timedelta(days=days)
        f.make_assignment(course, post_due_at=due, comments_due_at=due + timedelta(days=3))
    student = f.make_member(course)
    page = login_client(app, student if path == "my-work" else instructor).get(f"/c/{course.slug}/{path}")
    text = page.get_data(as_text=True)
    if path == "dashboard/":  # its grading table; the matrix above heads its columns with dates alone
        text = text.split('id="grading-heading"', 1)[1].split("</section>", 1)[0]
    shown = re.findall(r"<time datetime=\"[^\"]+\">([^<]+)</time>", text)
    assert len(shown) >= 2, shown
    assert all(DATE_SHOWN.match(text) for text in shown), shown


@pytest.mark.parametrize("field", ["post_points", "comment_points", "penalty_percent_per_day", "penalty_cap_percent"])
@pytest.mark.parametrize("value", ["sNaN", "NaN", "-Infinity", "Infinity"])
def test_a_number_that_is_no_amount_is_refused_with_a_message(app, course, instructor, field, value):
    """Decimal reads "NaN", "sNaN" and "Infinity"; a signaling NaN could not even be compared with the range."""
    client = login_client(app, instructor)
    response = client.post(f"/c/{course.slug}/assignments/new", data=valid_form(**{field: value}))
    assert response.status_code == 200
    assert f'id="{field}-error">' in response.get_data(as_text=True)
    assert assignment_count(course) == 0
