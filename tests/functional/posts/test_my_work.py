"""My work: each assignment with the student's own status, due dates, time left, and where to write."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Enrollment, utcnow
from coursesite.participation.deadline_rules import EssayState
from coursesite.participation.deadlines import load_deadline_book, work_item
from tests import factories as f
from tests.functional.helpers import login_client


@pytest.fixture
def course():
    return f.make_course()


def member(course, **fields):
    """A student who joined at the start of term, before any of the deadlines here."""
    user = f.make_member(course, **fields)
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.course_id == course.id)
    )
    enrollment.joined_at = utcnow() - timedelta(days=60)
    db.session.flush()
    return user


def my_work(app, course, user) -> str:
    response = login_client(app, user).get(f"/c/{course.slug}/my-work")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def past_assignment(course, title, **fields):
    now = utcnow()
    return f.make_assignment(course, title=title, opens_at=now - timedelta(days=20),
                             post_due_at=now - timedelta(days=5), comments_due_at=now - timedelta(days=2), **fields)


def test_every_status_a_student_can_have(app, course):
    student = member(course)
    now = utcnow()
    upcoming = f.make_assignment(course, title="Upcoming", post_due_at=now + timedelta(days=2, hours=1))
    drafted = f.make_assignment(course, title="Drafted", post_due_at=now + timedelta(days=2, hours=1))
    on_time = past_assignment(course, "On time")
    late = past_assignment(course, "Late one")
    missing = past_assignment(course, "Missing one")
    excused = past_assignment(course, "Excused one")
    draft = f.make_post(course, student, status="draft", assignment_id=drafted.id)
    published = f.make_post(course, student, assignment_id=on_time.id, published_at=on_time.post_due_at)
    f.make_post(course, student, assignment_id=late.id,
                published_at=late.post_due_at + timedelta(hours=2, minutes=5))
    f.make_excusal(excused, student)
    page = my_work(app, course, student)
    for text in ("not started", "draft", "published on time", "published late by 2 h 5 min", "missing",
                 "excused"):
        assert f">{text}<" in page
    assert f"/c/{course.slug}/posts/new?assignment={upcoming.id}" in page
    assert f"/c/{course.slug}/posts/{draft.id}/edit" in page and "Edit your draft" in page
    assert f"/c/{course.slug}/posts/{published.id}/edit" in page and "Edit your essay" in page
    assert f"posts/new?assignment={excused.id}" not in page
    assert ", in 2 days" in page
    assert "EST" in page or "EDT" in page
    assert missing.title in page


def test_due_dates_include_extension_and_accommodation(app, course):
    student = member(course, extra_minutes=60)
    assignment = f.make_assignment(course, title="Extended")
    f.make_extension(assignment, student, post_due_at=assignment.post_due_at + timedelta(days=1))
    page = my_work(app, course, student)
    assert "extended" in page and "includes 1 h extra time" in page


def test_closed_assignment_offers_no_write_link(app, course):
    student = member(course)
    closed = past_assignment(course, "Closed one", late_policy="closed")
    page = my_work(app, course, student)
    assert "missing (closed to late work)" in page
    assert "no longer accepts essays" in page
    assert f"posts/new?assignment={closed.id}" not in page


def test_student_who_joined_late_is_not_missing_older_work(app, course):
    old = past_assignment(course, "Before my time")
    student = f.make_member(course)  # joined now, after the deadline
    page = my_work(app, course, student)
    assert "not required (joined after the due date)" in page
    assert ">missing<" not in page
    assert old.title in page


def test_trashed_essay_does_not_count(app, course):
    student = member(course)
    assignment = past_assignment(course, "Trashed")
    f.make_post(course, student, assignment_id=assignment.id, deleted_at=utcnow())
    assert ">missing<" in my_work(app, course, student)


def test_other_students_work_is_not_shown(app, course):
    student, other = member(course), member(course)
    assignment = past_assignment(course, "Shared")
    f.make_post(course, other, assignment_id=assignment.id, published_at=assignment.post_due_at)
    assert ">missing<" in my_work(app, course, student)


def test_page_makes_the_same_number_of_queries_for_many_assignments(app, course, count_queries):
    student = member(course)
    f.make_assignment(course, title="The first")
    client = login_client(app, student)
    url = f"/c/{course.slug}/my-work"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for n in range(12):
        f.make_assignment(course, title=f"Essay {n}")
    with count_queries() as many:
        client.get(url)
    assert many.count == few.count


def test_deadline_book_for_a_whole_course_takes_two_queries(app, course, count_queries):
    section = f.make_section(course)
    assignments = [f.make_assignment(course) for _ in range(15)]
    students = [f.make_member(course, section=section if n % 2 else None) for n in range(30)]
    for n, student in enumerate(students[:10]):
        f.make_post(course, student, assignment_id=assignments[n].id)
    f.make_extension(assignments[0], students[1], post_due_at=assignments[0].post_due_at + timedelta(days=1))
    f.make_excusal(assignments[1], students[2])
    with count_queries() as queries:
        book = load_deadline_book(assignments, [s.id for s in students])
    assert queries.count == 2
    items = book.items(utcnow())
    assert len(items) == 15 * 30
    assert items[(assignments[0].id, students[0].id)].status.state is EssayState.ON_TIME
    assert items[(assignments[0].id, students[1].id)].deadlines.source == "extension"
    assert items[(assignments[1].id, students[2].id)].status.state is EssayState.EXCUSED


def test_work_item_tells_the_editor_when_publishing_is_refused(app, course):
    student = member(course)
    closed = past_assignment(course, "Closed", late_policy="closed")
    assert work_item(closed, student.id, utcnow()).closed
    f.make_extension(closed, student, post_due_at=utcnow() + timedelta(days=1))
    assert not work_item(closed, student.id, utcnow()).closed
