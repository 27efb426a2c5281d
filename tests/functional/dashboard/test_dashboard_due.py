"""The participation table greys out work not yet due, names what is late or missing, counts only what is
due in the totals, and shows the score where there is one."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Enrollment, utcnow
from tests import factories as f
from tests.functional.grading_world import build_grading_world


@pytest.fixture
def w(app, auth):
    world = build_grading_world()
    for enrollment in db.session.scalars(select(Enrollment).where(Enrollment.course_id == world.course.id)):
        enrollment.joined_at = world.assignment.post_due_at - timedelta(days=10)
    now = utcnow()
    world.upcoming = f.make_assignment(world.course, title="The Marshall Plan", post_points=10, comment_points=10,
                                       required_comments=3, min_comment_words=3,
                                       post_due_at=now + timedelta(days=5), comments_due_at=now + timedelta(days=7))
    db.session.flush()
    auth.login(world.instructor)
    return world


def row_of(client, w, student):
    page = client.get(f"/c/{w.course.slug}/dashboard/").get_data(as_text=True)
    matrix = page.split('id="matrix-heading"', 1)[1].split('id="grading-heading"', 1)[0]
    rows = re.findall(r"<tr>.*?</tr>", matrix, re.S)
    return next(r for r in rows if student.display_name in r), matrix


def cell(row, assignment):
    return next(c for c in re.findall(r'<td class="cell[^"]*">.*?</td>', row, re.S) if assignment.title in c)


def text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def on_time(w, student):
    f.make_post(w.course, student, assignment_id=w.assignment.id,
                published_at=w.assignment.post_due_at - timedelta(hours=1))


def test_work_not_yet_due_is_greyed_and_says_so(client, w):
    row, _ = row_of(client, w, w.students[0])
    upcoming = cell(row, w.upcoming)
    assert "cell--waiting" in upcoming
    assert "0/3 comments · not due" in text(upcoming)
    assert "cell__comments--short" not in upcoming


def test_comments_short_after_the_deadline_say_how_many_are_missing(client, w):
    row, _ = row_of(client, w, w.students[0])
    past = cell(row, w.assignment)
    assert "cell__comments--short" in past
    assert "0/2 comments · 2 missing" in text(past)


def test_totals_count_only_what_is_due_and_the_header_says_so(client, w):
    amara = w.students[0]
    on_time(w, amara)
    row, matrix = row_of(client, w, amara)
    total = text(row.rsplit('<td class="matrix__total">', 1)[1])
    assert "1 of 1 essays on time" in total
    assert "0 of 2 comments" in total  # the upcoming assignment's three are not owed yet
    assert "of what is due" in text(matrix.split("</thead>")[0])


def test_a_graded_cell_shows_its_score(client, w):
    amara = w.students[0]
    on_time(w, amara)
    f.make_grade(w.assignment, amara, w.instructor, post_score=7.5)
    row, _ = row_of(client, w, amara)
    assert "Graded: 7.5 of 20" in text(cell(row, w.assignment))  # no qualifying comments: 7.5 + 0


def test_an_excused_student_owes_no_comments(client, w):
    amara = w.students[0]
    f.make_excusal(w.assignment, amara)
    row, _ = row_of(client, w, amara)
    past = cell(row, w.assignment)
    assert "missing" not in text(past) and "cell__comments--short" not in past
    assert "Nothing due yet" in text(row.rsplit('<td class="matrix__total">', 1)[1])
