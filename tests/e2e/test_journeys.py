"""What people do on the site today, in a real browser: sign up, log in, create and join a course.

The feature journeys (essay, comments, grading, roster invitation) are in test_feature_journeys.py.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.helpers import DEMO_PASSWORD, PEOPLE, create_course, join_course, log_in, log_out, sign_up, unique

PASSWORD = "a long enough passphrase"


def test_sign_up_then_log_out_and_back_in(new_context):
    page = new_context().new_page()
    email = f"{unique('newcomer')}@example.org"
    sign_up(page, email, "Nadia Newcomer", PASSWORD)
    expect(page.get_by_text("Welcome to Coursesite.")).to_be_visible()
    expect(page.get_by_role("heading", name="Your courses")).to_be_visible()
    expect(page.get_by_text("You are not in a course yet.")).to_be_visible()
    expect(page.get_by_role("link", name="Nadia Newcomer")).to_be_visible()
    log_out(page)
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    log_in(page, email, PASSWORD)
    expect(page.get_by_role("heading", name="Your courses")).to_be_visible()


def test_sign_up_mistakes_are_shown_and_the_typing_kept(new_context):
    page = new_context().new_page()
    page.goto("/auth/signup")
    page.get_by_label("Email").fill("someone@example.org")
    page.get_by_label("Your name").fill("Sam Someone")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password again").fill("different")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the fields marked below.")
    expect(page.get_by_text("Use at least 10 characters.")).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Sam Someone")
    expect(page.get_by_label("Password", exact=True)).to_have_attribute("aria-invalid", "true")


def test_a_wrong_password_is_refused_then_the_right_one_works(new_context):
    page = new_context().new_page()
    page.goto("/auth/login")
    page.get_by_label("Email").fill(PEOPLE["student2"])
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("That email and password do not match an account.")
    expect(page.get_by_label("Email")).to_have_value(PEOPLE["student2"])
    log_in(page, PEOPLE["student2"], DEMO_PASSWORD)


def wait_for_a_dialog(page, incidents) -> list[str]:
    for _ in range(50):
        if incidents.dialogs:
            break
        page.wait_for_timeout(100)
    return [d.split(":")[0] for d in incidents.dialogs]


def test_a_name_typed_on_the_account_page_is_not_lost_to_the_password_form_beside_it(new_context, incidents):
    """The password form sends only itself, and its answer is the page again: a name typed in the profile and not
    saved would be gone. Sending it asks first ("Leave site?"); staying keeps the name to save."""
    page = new_context().new_page()
    sign_up(page, f"{unique('renamer')}@example.org", "Rena Before", PASSWORD)
    page.goto("/auth/account")
    page.get_by_label("Your name").fill("Rena After")
    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password", exact=True).fill("another long passphrase")
    page.get_by_label("New password again").fill("another long passphrase")
    page.get_by_role("button", name="Change password").click()
    assert wait_for_a_dialog(page, incidents) == ["beforeunload"]  # dismissed: the page stays
    incidents.dialogs.clear()
    expect(page.get_by_label("Your name")).to_have_value("Rena After")
    page.get_by_role("button", name="Save profile").click()  # the form's own send asks nothing
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Rena After")

    page.get_by_label("Current password").fill("not my password")  # nothing unsaved elsewhere: no question
    page.get_by_label("New password", exact=True).fill("another long passphrase")
    page.get_by_label("New password again").fill("another long passphrase")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("That is not your current password.")).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Rena After")


def test_logging_in_returns_to_the_page_asked_for(new_context):
    page = new_context().new_page()
    page.goto("/c/demo-101/roster")
    expect(page).to_have_url(re.compile(r"/auth/login\?next="))
    expect(page.get_by_text("Please log in to see that page.")).to_be_visible()
    page.get_by_label("Email").fill(PEOPLE["instructor"])
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/c/demo-101/roster$"))
    expect(page.get_by_role("heading", name="Roster")).to_be_visible()


def test_instructor_creates_a_course_a_student_joins_and_the_roster_shows_them(new_context):
    instructor = new_context().new_page()
    log_in(instructor, PEOPLE["instructor"], DEMO_PASSWORD)
    slug = unique("hist")
    code = create_course(instructor, "The Cold War in Ten Documents", slug)
    expect(instructor.get_by_text(f"Students join with the code {code}")).to_be_visible()
    assert re.fullmatch(r"[A-Za-z0-9-]{4,16}", code), code

    student = new_context().new_page()
    email = f"{unique('joiner')}@example.org"
    sign_up(student, email, "Jordan Joiner", PASSWORD)
    join_course(student, code, course_name="JJ the Historian")
    expect(student).to_have_url(re.compile(rf"/c/{slug}/week/$"))  # a student's course home: This week
    expect(student.get_by_text("Welcome to The Cold War in Ten Documents.")).to_be_visible()
    expect(student.get_by_text("Nothing is due in the next seven days.")).to_be_visible()
    student.get_by_role("link", name="Read the course blog").click()
    expect(student.get_by_text("No essays are published here yet.")).to_be_visible()
    expect(student.get_by_role("link", name="Roster")).to_have_count(0)

    instructor.get_by_role("link", name="Roster").click()
    row = instructor.get_by_role("row", name=re.compile("Jordan Joiner"))
    expect(row).to_contain_text("(shown as JJ the Historian)")
    expect(row).to_contain_text(email)
    expect(row.get_by_role("cell", name="Student", exact=True)).to_be_visible()
    expect(instructor.get_by_text("2 people.")).to_be_visible()


def test_signing_up_with_a_join_code_shows_that_the_blog_is_public(new_context):
    instructor = new_context().new_page()
    log_in(instructor, PEOPLE["instructor"], DEMO_PASSWORD)
    code = create_course(instructor, "Public Memory", unique("memory"), public=True)

    student = new_context().new_page()
    sign_up(student, f"{unique('direct')}@example.org", "Dana Direct", PASSWORD, join_code=code)
    expect(student.get_by_role("heading", name="Welcome to Public Memory")).to_be_visible()
    expect(student.get_by_role("note")).to_contain_text("This course blog is public.")
    student.get_by_role("button", name="Continue to the course").click()
    expect(student.get_by_text("Welcome to Public Memory.")).to_be_visible()


def test_a_student_cannot_open_the_roster_and_a_stranger_cannot_read_a_members_blog(new_context):
    instructor = new_context().new_page()
    log_in(instructor, PEOPLE["instructor"], DEMO_PASSWORD)
    slug = unique("closed")
    create_course(instructor, "Seminar Behind Doors", slug, public=False)

    stranger = new_context().new_page()
    log_in(stranger, PEOPLE["student2"], DEMO_PASSWORD)
    response = stranger.goto(f"/c/{slug}/")
    assert response.status == 403
    expect(stranger.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(stranger.get_by_role("link", name="join the course")).to_be_visible()
    assert stranger.goto("/c/demo-101/roster").status == 403
