"""This week: a student's own deadlines, their comment count, what they missed, released grades; the
course home for students; the landing page after login; the editor shows the same own deadline."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.grading import grades
from coursesite.models import Enrollment, PeerAssignment, utcnow
from coursesite.people import accounts
from coursesite.text.timefmt import deadline_text
from tests import factories as f
from tests.functional.helpers import login_client
from tests.payloads import XSS_PAYLOADS, assert_page_is_safe


@pytest.fixture
def course():
    return f.make_course(title="Modern History")


def student_of(course, **fields):
    user = f.make_member(course, **fields)
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.course_id == course.id))
    enrollment.joined_at = utcnow() - timedelta(days=60)
    db.session.flush()
    return user


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def week_page(app, course, user) -> str:
    response = login_client(app, user).get(f"/c/{course.slug}/week/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_shows_the_students_own_extended_deadline_and_comments_done(app, course):
    now = utcnow()
    student, peer1, peer2 = student_of(course), student_of(course), student_of(course)
    essay = f.make_assignment(course, title="Road to independence", post_due_at=now + timedelta(days=2),
                              comments_due_at=now + timedelta(days=5), required_comments=3, min_comment_words=5)
    own_due = essay.post_due_at + timedelta(days=3)
    f.make_extension(essay, student, post_due_at=own_due, comments_due_at=essay.comments_due_at + timedelta(days=3))
    first = f.make_post(course, peer1, title="Ghana first", assignment_id=essay.id)
    f.make_post(course, peer2, title="Quiet essay", assignment_id=essay.id)
    f.make_thread_comment(first, student, f.words(10))
    page = week_page(app, course, student)
    text = text_of(page)
    assert "Road to independence" in text
    assert f"due {deadline_text(own_due, course.timezone)}" in text
    assert deadline_text(essay.post_due_at, course.timezone) not in text
    assert "Not started" in text and "extended" in text
    assert "1 of 3 comments" in text
    assert "Quiet essay" in text  # the peer essay still waiting for this student's comment
    assert "Missed" not in text


def test_missed_work_says_missed_in_words(app, course):
    now = utcnow()
    student = student_of(course)
    f.make_assignment(course, title="Past one", opens_at=now - timedelta(days=20),
                      post_due_at=now - timedelta(days=4), comments_due_at=now - timedelta(days=1))
    page = week_page(app, course, student)
    assert re.search(r"Missed Past one Essay: Missed · due .* Comments: 0 of 3 comments Missed", text_of(page))
    assert '<strong class="week-missed">Missed</strong>' in page  # a colour and the word


def test_released_grades_and_feedback_show(app, course):
    now = utcnow()
    student = student_of(course)
    graded = f.make_assignment(course, title="Graded one", opens_at=now - timedelta(days=20),
                               post_due_at=now - timedelta(days=9), comments_due_at=now - timedelta(days=8),
                               required_comments=0, post_points=10, grades_released_at=now - timedelta(days=1))
    f.make_post(course, student, assignment_id=graded.id, published_at=graded.post_due_at - timedelta(hours=1))
    f.make_grade(graded, student, post_score=8, feedback="Good sources.", feedback_html="<p>Good sources.</p>")
    text = text_of(week_page(app, course, student))
    assert "Grades and feedback" in text and "Graded one" in text and "8 of 10" in text
    assert "new feedback" in text


def test_a_grade_is_new_on_this_week_until_my_grades_shows_it_and_again_once_staff_change_it(app, course):
    now = utcnow()
    student, instructor = student_of(course), f.instructor_of(course)
    graded = f.make_assignment(course, title="Graded one", opens_at=now - timedelta(days=20),
                               post_due_at=now - timedelta(days=9), comments_due_at=now - timedelta(days=8),
                               required_comments=0, post_points=10, grades_released_at=now - timedelta(days=1))
    f.make_post(course, student, assignment_id=graded.id, published_at=graded.post_due_at - timedelta(hours=1))
    grade = grades.save_grade(graded, student.id, instructor, grades.GradeEntry(single=8, feedback="Good sources."),
                              0, now)
    db.session.commit()
    client = login_client(app, student)
    week = lambda: text_of(client.get(f"/c/{course.slug}/week/").get_data(as_text=True))  # noqa: E731
    assert "8 of 10 · new feedback" in week()
    my_grades = text_of(client.get(f"/c/{course.slug}/my-grades").get_data(as_text=True))
    assert "Graded one new Total: 8 of 10" in my_grades and "Good sources." in my_grades
    assert "new feedback" not in week() and "8 of 10" in week()  # still listed, no longer new
    assert "Graded one new" not in text_of(client.get(f"/c/{course.slug}/my-grades").get_data(as_text=True))
    # Seeing it changed nothing staff check when they save: the form opened before it still saves.
    grade = grades.save_grade(graded, student.id, instructor, grades.GradeEntry(single=9, feedback="Good sources."),
                              grade.version, now)
    db.session.commit()
    assert "9 of 10 · new feedback" in week()
    # Without feedback, a changed grade is new all the same.
    grades.save_grade(graded, student.id, instructor, grades.GradeEntry(single=9), grade.version, now)
    db.session.commit()
    assert re.search(r"9 of 10 · new · released", week()), week()


def test_course_home_is_this_week_for_students_and_the_blog_for_others(app, course):
    student = student_of(course)
    response = login_client(app, student).get(f"/c/{course.slug}/")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/c/{course.slug}/week/")
    blog = login_client(app, student).get(f"/c/{course.slug}/blog/")
    assert blog.status_code == 200
    assert app.test_client().get(f"/c/{course.slug}/").status_code == 200
    assert login_client(app, f.instructor_of(course)).get(f"/c/{course.slug}/").status_code == 200


def test_login_lands_a_student_on_this_week(app, course, client):
    student = f.make_member(course)
    response = client.post("/auth/login", data={"email": student.email, "password": f.DEFAULT_PASSWORD})
    assert response.status_code == 302
    landing = client.get(response.headers["Location"])
    assert landing.headers.get("Location", "").endswith(f"/c/{course.slug}/week/")


def test_all_courses_on_one_page_grouped_by_course(app, course):
    other = f.make_course(title="Art and Society")
    student = student_of(course)
    accounts.enroll(student, other, role="student")
    f.make_assignment(course, title="History essay")
    f.make_assignment(other, title="Art essay")
    response = login_client(app, student).get("/week/")
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    assert text.index("Art and Society") < text.index("Art essay") < text.index("Modern History") \
        < text.index("History essay")


def test_the_editor_shows_the_students_own_deadline(app, course):
    now = utcnow()
    student = student_of(course)
    essay = f.make_assignment(course, title="Road to independence", post_due_at=now + timedelta(days=2))
    own_due = essay.post_due_at + timedelta(days=3)
    f.make_extension(essay, student, post_due_at=own_due)
    response = login_client(app, student).get(f"/c/{course.slug}/posts/new?assignment={essay.id}")
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    assert f"Due {deadline_text(own_due, course.timezone)}" in text
    assert deadline_text(essay.post_due_at, course.timezone) not in text


def test_the_demo_shows_student3_their_extension_and_one_of_three_comments(app, client, auth):
    from coursesite.demo import course as demo
    from coursesite.models import User

    course = demo.build_demo()
    db.session.commit()
    auth.login(db.session.scalar(select(User).where(User.email == "student3@example.edu")), demo.DEMO_PASSWORD)
    text = text_of(client.get(f"/c/{course.slug}/week/").get_data(as_text=True))
    due_part = text.split("Due in the next seven days")[1]
    assert "One road to independence" in due_part and "extended" in due_part
    assert "1 of 3 comments" in due_part


def test_an_undated_assignment_still_to_write_is_listed_for_later(app, course):
    student = student_of(course)
    f.make_assignment(course, title="Whenever you like", post_due_at=None, comments_due_at=None)
    text = text_of(week_page(app, course, student))
    assert "Later Whenever you like · no due date" in text


@pytest.mark.parametrize("index", range(len(XSS_PAYLOADS)))
def test_hostile_titles_and_names_are_shown_as_text(app, course, index):
    payload = XSS_PAYLOADS[index]
    student, peer = student_of(course), student_of(course, course_name=payload)
    essay = f.make_assignment(course, title=payload, required_comments=2)
    f.make_post(course, peer, title=payload, assignment_id=essay.id)
    html = week_page(app, course, student)
    assert_page_is_safe(html, f"/c/{course.slug}/week/")
    assert html.count("week-essays") == 1  # the peer's essay is listed to comment on


def due_this_week(course, **fields):
    now = utcnow()
    fields = {"title": "Cold War essay", "post_due_at": now + timedelta(days=2),
              "comments_due_at": now + timedelta(days=5), "required_comments": 3, "min_comment_words": 5, **fields}
    return f.make_assignment(course, **fields)


def hours_ago(hours: int):
    return utcnow() - timedelta(hours=hours)


def suggested(page: str) -> list[str]:
    """The essays listed to comment on next, in order."""
    listed = page.split('<ul class="week-essays">', 1)[1].split("</ul>", 1)[0] if "week-essays" in page else ""
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', listed)


def test_suggests_the_least_answered_essays_but_not_those_the_students_comments_count_on(app, course):
    student, writer, reader = student_of(course), student_of(course), student_of(course)
    essay = due_this_week(course)
    answered = f.make_post(course, writer, title="Answered by her", assignment_id=essay.id, published_at=hours_ago(9))
    f.make_thread_comment(answered, student, f.words(10))
    once = f.make_post(course, writer, title="Read once", assignment_id=essay.id, published_at=hours_ago(8))
    f.make_thread_comment(once, reader, f.words(10))
    twice = f.make_post(course, writer, title="Read twice", assignment_id=essay.id, published_at=hours_ago(8))
    f.make_thread_comment(twice, reader, f.words(10))
    f.make_thread_comment(twice, writer, f.words(10))
    for n, h in ((1, 3), (2, 4)):
        f.make_post(course, reader, title=f"Quiet {n}", assignment_id=essay.id, published_at=hours_ago(h))
    f.make_post(course, student, title="Her own", assignment_id=essay.id)
    f.make_post(course, writer, title="A draft", assignment_id=essay.id, status="draft")
    f.make_post(course, f.make_member(course, role="ta"), title="The TA's model", assignment_id=essay.id)
    page = week_page(app, course, student)
    assert "1 of 3 comments" in text_of(page)
    assert "Essays with the fewest comments:" in page
    assert suggested(page) == ["Quiet 2", "Quiet 1", "Read once"]


def test_says_so_when_no_essay_waits_for_a_comment_that_is_still_owed(app, course):
    student, writer = student_of(course), student_of(course)
    essay = due_this_week(course)
    answered = f.make_post(course, writer, title="The only one", assignment_id=essay.id, published_at=hours_ago(9))
    f.make_thread_comment(answered, student, f.words(10))
    page = week_page(app, course, student)
    assert "1 of 3 comments" in text_of(page) and suggested(page) == []
    assert "No other essay is waiting for your comment yet." in page


def test_assigned_mode_lists_the_essays_given_to_the_student_by_title(app, course):
    student, writer = student_of(course), student_of(course)
    essay = due_this_week(course, peer_mode="assigned", required_comments=2)
    given = {title: f.make_post(course, writer, title=title, assignment_id=essay.id)
             for title in ("Zanzibar", "Algiers", "Answered")}
    f.make_post(course, writer, title="Not given", assignment_id=essay.id)
    for post in given.values():
        db.session.add(PeerAssignment(assignment_id=essay.id, reviewer_id=student.id, post_id=post.id))
    f.make_thread_comment(given["Answered"], student, f.words(10))
    page = week_page(app, course, student)
    assert "1 of 2 comments" in text_of(page)
    assert "Essays assigned to you:" in page
    assert suggested(page) == ["Algiers", "Zanzibar"]


def test_counts_the_comments_once_in_as_many_statements_for_any_class_size(app, course, count_queries):
    student = student_of(course)
    essay = due_this_week(course)
    f.make_post(course, student_of(course), title="First peer", assignment_id=essay.id)
    client = login_client(app, student)
    url = f"/c/{course.slug}/week/"
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for n in range(12):
        peer = student_of(course)
        post = f.make_post(course, peer, title=f"Peer essay {n}", assignment_id=essay.id)
        f.make_thread_comment(post, student if n < 2 else peer, f.words(10))
        f.make_thread_comment(post, student_of(course), f.words(10))
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert "2 of 3 comments" in text_of(page)
    assert suggested(page) == ["First peer", "Peer essay 2", "Peer essay 3"]
    assert many.count == few.count
    # The participation engine reads the comments' revisions: once, for the counts and the essays they count on.
    assert sum("comment_revisions" in statement for statement in many.statements) == 1
