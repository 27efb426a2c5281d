"""Courses as instructors and students meet them: create, join, welcome, settings, roster."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import Course, Enrollment, Section
from coursesite.permissions import is_member
from tests import factories as f


def text(response) -> str:
    return response.get_data(as_text=True)


def course_count() -> int:
    return db.session.scalar(select(func.count(Course.id)))


def course_data(**changes) -> dict:
    data = {
        "title": "Writing the Cold War",
        "term": "Spring 2027",
        "slug": "hist-210",
        "timezone": "Europe/Berlin",
        "visibility": "public",
    }
    return {**data, **changes}


@pytest.fixture
def creator(auth):
    user = f.make_user(name="Cora Creator", can_create_courses=True)
    auth.login(user)
    return user


# --- create ----------------------------------------------------------------------------------------


def test_course_creator_creates_a_course_and_is_its_instructor(client, creator):
    response = client.post("/courses/new", data=course_data())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/c/hist-210/settings")
    course = db.session.scalar(select(Course).where(Course.slug == "hist-210"))
    assert course.title == "Writing the Cold War" and course.timezone == "Europe/Berlin" and course.is_public
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.course_id == course.id))
    assert enrollment.user_id == creator.id and enrollment.role == "instructor"
    assert course.join_code in text(client.get("/c/hist-210/settings"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slug": "taken-slug"}, "Another course already uses this address."),
        ({"timezone": "Mars/Olympus_Mons"}, "Unknown time zone."),
        ({"slug": "join"}, "Use lower-case letters, digits and single hyphens"),
        ({"slug": "Has Spaces"}, "Use lower-case letters, digits and single hyphens"),
        ({"slug": "double--hyphen"}, "Use lower-case letters, digits and single hyphens"),
        ({"title": ""}, "This field is required."),
        ({"visibility": "everyone"}, "Not a valid choice."),
    ],
)
def test_course_form_errors_keep_text_and_write_nothing(client, creator, changes, message):
    f.make_course(slug="taken-slug")
    before = course_count()
    response = client.post("/courses/new", data=course_data(**changes))
    page = text(response)
    assert response.status_code == 200
    assert message in page
    assert 'aria-invalid="true"' in page or "Not a valid choice" in page
    assert 'value="Spring 2027"' in page
    assert course_count() == before


def test_people_who_may_not_create_courses_get_403(client, auth):
    auth.login(f.make_user())
    assert client.get("/courses/new").status_code == 403
    assert client.post("/courses/new", data=course_data()).status_code == 403
    assert course_count() == 0 or db.session.scalar(select(Course).where(Course.slug == "hist-210")) is None


def test_site_admin_may_create_courses(client, auth):
    auth.login(f.make_user(is_admin=True))
    assert client.post("/courses/new", data=course_data()).status_code == 302


# --- join and welcome ------------------------------------------------------------------------------


def test_joining_under_a_staff_members_name_is_refused(client, auth):
    course = f.make_course(instructor=f.make_user(name="Dr. Rosa Alvarez"))
    student = f.make_user(name="DR. ROSA ALVAREZ")
    auth.login(student)
    response = client.post("/join", data={"code": course.join_code})
    assert response.status_code == 200
    assert f"Your name reads the same as the name of someone on the staff of {course.title}" in text(response)
    assert not is_member(student, course)


def test_student_joins_with_code_and_picks_a_course_name(client, auth):
    course = f.make_course(visibility="public")
    student = f.make_user(name="Real Name")
    auth.login(student)
    response = client.post("/join", data={"code": f" {course.join_code.lower()} "})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/c/{course.slug}/welcome")
    page = text(client.get(f"/c/{course.slug}/welcome"))
    assert "This course blog is public." in page and "Anyone on the internet" in page
    response = client.post(f"/c/{course.slug}/welcome", data={"course_name": "Quiet Reader"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/c/{course.slug}/")
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == student.id))
    assert enrollment.course_name == "Quiet Reader" and enrollment.role == "student"


def test_members_course_welcome_says_it_is_private(client, auth):
    course = f.make_course(visibility="members")
    auth.login(f.make_member(course))
    page = text(client.get(f"/c/{course.slug}/welcome"))
    assert "Only people in this course can read its blog." in page
    assert "This course blog is public." not in page


def test_wrong_join_code_keeps_text(client, auth):
    auth.login(f.make_user())
    response = client.post("/join", data={"code": "WRONG123"})
    assert response.status_code == 200
    assert "No course has this join code" in text(response) and 'value="WRONG123"' in text(response)


def test_joining_twice_changes_nothing(client, auth):
    course = f.make_course()
    ta = f.make_member(course, role="ta")
    auth.login(ta)
    client.post("/join", data={"code": course.join_code})
    enrollments = db.session.scalars(select(Enrollment).where(Enrollment.user_id == ta.id)).all()
    assert len(enrollments) == 1 and enrollments[0].role == "ta"


def test_removed_ta_who_rejoins_comes_back_as_student(client, auth):
    course = f.make_course()
    ta = f.make_member(course, role="ta")
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == ta.id))
    auth.login(f.instructor_of(course))
    client.post(f"/c/{course.slug}/roster/{enrollment.id}/remove", data={"confirm": "yes"})
    auth.logout()
    auth.login(ta)
    client.post("/join", data={"code": course.join_code})
    db.session.refresh(enrollment)
    assert enrollment.ended_at is None and enrollment.role == "student"


def test_join_link_with_code_fills_the_form(client, auth):
    auth.login(f.make_user())
    assert 'value="ABCD2345"' in text(client.get("/join?code=ABCD2345"))


# --- members-only courses --------------------------------------------------------------------------


def test_members_course_gives_non_member_403_with_join_link(client, auth):
    course = f.make_course(visibility="members", title="Closed Seminar")
    auth.login(f.make_user())
    response = client.get(f"/c/{course.slug}/")
    assert response.status_code == 403
    assert 'href="/join"' in text(response)


def test_members_course_sends_visitor_to_login(client):
    course = f.make_course(visibility="members")
    response = client.get(f"/c/{course.slug}/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_members_course_is_readable_by_members_and_admins(client, auth):
    course = f.make_course(visibility="members")
    auth.login(f.make_member(course))
    assert client.get(f"/c/{course.slug}/blog/").status_code == 200
    auth.logout()
    auth.login(f.make_user(is_admin=True))
    assert client.get(f"/c/{course.slug}/").status_code == 200


def test_unknown_course_is_404(client):
    assert client.get("/c/no-such-course/").status_code == 404


# --- settings --------------------------------------------------------------------------------------


def settings_data(course: Course, **changes) -> dict:
    data = {
        "title": course.title,
        "term": course.term,
        "slug": course.slug,
        "timezone": course.timezone,
        "visibility": course.visibility,
        "description": "",
        "comment_moderation": "off",
        "comment_edit_minutes": "15",
    }
    return {**data, **changes}


def test_instructor_changes_settings_and_address(client, auth):
    course = f.make_course(slug="old-address")
    auth.login(f.instructor_of(course))
    response = client.post(
        "/c/old-address/settings",
        data=settings_data(
            course, slug="new-address", title="Renamed", visibility="members", comment_moderation="first"
        ),
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/c/new-address/settings")
    db.session.refresh(course)
    assert (course.slug, course.title, course.visibility, course.comment_moderation) == (
        "new-address", "Renamed", "members", "first"
    )


def test_settings_refuse_a_taken_address(client, auth):
    f.make_course(slug="someone-elses")
    course = f.make_course(slug="mine")
    auth.login(f.instructor_of(course))
    response = client.post("/c/mine/settings", data=settings_data(course, slug="someone-elses", title="Changed"))
    assert response.status_code == 200
    assert "Another course already uses this address." in text(response)
    db.session.refresh(course)
    assert course.slug == "mine" and course.title != "Changed"


def test_settings_keep_own_address(client, auth):
    course = f.make_course(slug="keep-me")
    auth.login(f.instructor_of(course))
    assert client.post("/c/keep-me/settings", data=settings_data(course, term="Fall")).status_code == 302


def test_join_code_regeneration(client, auth):
    course = f.make_course()
    old_code = course.join_code
    auth.login(f.instructor_of(course))
    response = client.post(f"/c/{course.slug}/settings/join-code", data={"confirm": "yes"})
    assert response.status_code == 302
    db.session.refresh(course)
    assert course.join_code != old_code
    assert course.join_code in text(client.get(f"/c/{course.slug}/settings"))
    auth.logout()
    auth.login(f.make_user())
    assert "No course has this join code" in text(client.post("/join", data={"code": old_code}))
    assert client.post("/join", data={"code": course.join_code}).status_code == 302


def test_join_code_stays_until_the_new_one_is_confirmed(client, auth):
    """Students who have not joined yet hold the old code: one stray click must not lock them out."""
    course = f.make_course()
    old_code = course.join_code
    auth.login(f.instructor_of(course))
    response = client.post(f"/c/{course.slug}/settings/join-code")
    assert response.status_code == 200
    assert "Tick the box to confirm that the current code stops working." in text(response)
    db.session.refresh(course)
    assert course.join_code == old_code
    auth.logout()
    auth.login(f.make_user())
    assert client.post("/join", data={"code": old_code}).status_code == 302


# --- roster ----------------------------------------------------------------------------------------


def enrollment_of(user, course) -> Enrollment:
    return db.session.scalar(select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.course_id == course.id))


def test_roster_lists_people_with_role_and_section(client, auth):
    course = f.make_course()
    student = f.make_member(course, name="Sofia Student")
    client_enrollment = enrollment_of(student, course)
    from coursesite.coursework.courses import section_named

    client_enrollment.section = section_named(course, "Tuesday group")
    db.session.flush()
    auth.login(f.instructor_of(course))
    page = text(client.get(f"/c/{course.slug}/roster"))
    assert "Sofia Student" in page and student.email in page and "Tuesday group" in page
    assert "Instructor" in page and "Student" in page


def test_edit_role_and_section(client, auth):
    course = f.make_course()
    student = f.make_member(course)
    enrollment = enrollment_of(student, course)
    auth.login(f.instructor_of(course))
    response = client.post(
        f"/c/{course.slug}/roster/{enrollment.id}",
        data={"role": "ta", "section": " Section C ", "course_name": "", "extra_minutes": "30"},
    )
    assert response.status_code == 302
    db.session.refresh(enrollment)
    assert enrollment.role == "ta" and enrollment.section.name == "Section C" and enrollment.extra_minutes == 30


def test_a_section_typed_in_another_case_joins_the_course_s_section(client, auth):
    course = f.make_course()
    section_a = f.make_section(course, "Section A")
    student = f.make_member(course)
    enrollment = enrollment_of(student, course)
    auth.login(f.instructor_of(course))
    page = text(client.get(f"/c/{course.slug}/roster/{enrollment.id}"))
    assert '<datalist id="section-names"><option value="Section A"></datalist>' in page
    response = client.post(f"/c/{course.slug}/roster/{enrollment.id}",
                           data={"role": "student", "section": "section  a", "course_name": "", "extra_minutes": "0"})
    assert response.status_code == 302
    db.session.refresh(enrollment)
    assert enrollment.section_id == section_a.id
    assert [s.name for s in db.session.scalars(select(Section).where(Section.course_id == course.id))] == ["Section A"]


def test_last_instructor_cannot_be_demoted(client, auth):
    course = f.make_course()
    instructor = f.instructor_of(course)
    enrollment = enrollment_of(instructor, course)
    auth.login(instructor)
    response = client.post(f"/c/{course.slug}/roster/{enrollment.id}", data={"role": "student", "section": ""})
    assert response.status_code == 200
    assert "A course needs at least one instructor." in text(response)
    db.session.refresh(enrollment)
    assert enrollment.role == "instructor"


def test_last_instructor_cannot_be_removed(client, auth):
    course = f.make_course()
    instructor = f.instructor_of(course)
    enrollment = enrollment_of(instructor, course)
    auth.login(instructor)
    response = client.post(f"/c/{course.slug}/roster/{enrollment.id}/remove", data={"confirm": "yes"})
    assert response.status_code == 302
    db.session.refresh(enrollment)
    assert enrollment.ended_at is None
    assert "A course needs at least one instructor." in text(client.get(f"/c/{course.slug}/roster"))


def test_an_instructor_can_be_demoted_when_another_remains(client, auth):
    course = f.make_course()
    second = f.make_member(course, role="instructor")
    enrollment = enrollment_of(second, course)
    auth.login(f.instructor_of(course))
    response = client.post(f"/c/{course.slug}/roster/{enrollment.id}", data={"role": "ta", "section": ""})
    assert response.status_code == 302


def test_removed_student_leaves_roster_but_work_stays(client, auth):
    course = f.make_course()
    student = f.make_member(course, name="Leaving Student")
    post = f.make_post(course, student, title="An essay that stays")
    enrollment = enrollment_of(student, course)
    auth.login(f.instructor_of(course))
    response = client.post(f"/c/{course.slug}/roster/{enrollment.id}/remove", data={"confirm": "yes"})
    assert response.status_code == 302
    assert "Leaving Student was removed from the course." in text(client.get(f"/c/{course.slug}/roster"))
    assert "Leaving Student" not in text(client.get(f"/c/{course.slug}/roster"))
    db.session.refresh(enrollment)
    assert enrollment.ended_at is not None
    assert db.session.get(type(post), post.id) is not None
    assert "An essay that stays" in text(client.get(f"/c/{course.slug}/"))


def test_enrollment_of_another_course_is_404(client, auth):
    course = f.make_course()
    other = f.make_course()
    stranger = enrollment_of(f.make_member(other), other)
    auth.login(f.instructor_of(course))
    assert client.get(f"/c/{course.slug}/roster/{stranger.id}").status_code == 404
    assert client.post(f"/c/{course.slug}/roster/{stranger.id}/remove", data={"confirm": "yes"}).status_code == 404


def test_every_bad_course_field_is_named_at_once(client, creator):
    f.make_course(slug="taken-slug")
    page = text(client.post("/courses/new", data=course_data(slug="taken-slug", timezone="Mars/Base")))
    assert "Another course already uses this address." in page and "Unknown time zone." in page
    assert page.count('aria-invalid="true"') == 2
    assert '<option value="America/New_York">' in page  # the time zone field suggests names
