"""A site admin anonymises an account in the browser: the comment it wrote stays, under "Former student"."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.helpers import DEMO_PASSWORD, PEOPLE, log_in, unique
from tests.e2e.test_feature_journeys import (
    create_assignment,
    essay_by_new_student,
    instructor_with_course,
    post_comment,
    student_in_course,
)


def test_an_admin_anonymises_an_account_and_its_comment_reads_former_student(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Privacy in Practice")
    assignment_id = create_assignment(instructor, slug, "Who owns a diary?", "Write about diaries.")
    _writer, essay_url = essay_by_new_student(new_context, code, slug, assignment_id, "Wanda Writer", "",
                                              "Diaries and their readers", "A diary is written for one reader.")
    name = f"Leaving {unique('student')}"
    commenter = student_in_course(new_context, code, name, "")
    commenter.goto(essay_url)
    post_comment(commenter, "This comment should outlive my name.")

    admin = new_context().new_page()
    log_in(admin, PEOPLE["admin"], DEMO_PASSWORD)
    admin.get_by_role("link", name="Admin", exact=True).click()
    admin.get_by_label("Find an account by name or email").fill(name)
    admin.get_by_role("button", name="Search").click()
    admin.get_by_role("link", name=name).click()
    admin.get_by_role("button", name="Anonymise account").click()  # the browser asks for the box first
    expect(admin.get_by_role("heading", level=1)).to_contain_text(name)
    admin.get_by_label("Yes, anonymise account").check()
    admin.get_by_role("button", name="Anonymise account").click()
    expect(admin.get_by_text("is anonymised")).to_be_visible()
    expect(admin.locator(".audit-table")).to_contain_text("Anonymised the account")

    reader = new_context().new_page()
    reader.goto(essay_url)
    comment = reader.locator(".comment", has_text="This comment should outlive my name.")
    expect(comment).to_contain_text("Former student")
    expect(reader.locator("main")).not_to_contain_text(name)

    commenter.reload()
    expect(commenter.get_by_role("link", name="Log in").first).to_be_visible()  # the session has ended
