"""Answers lost on the way and logins that ended: the editor's retry is saved with no false conflict against its
own text, and a comment typed while the login ended elsewhere, or refused, keeps its text and its place; a comment
is not lost to one stray click."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.helpers import join_course, log_in, log_out, sign_up, unique
from tests.e2e.test_feature_journeys import (
    PASSWORD,
    create_assignment,
    essay_by_new_student,
    instructor_with_course,
    post_comment,
    student_in_course,
)


def test_a_retry_after_a_lost_answer_saves_without_a_conflict(new_context):
    _, slug, code = instructor_with_course(new_context, "Lost Letters")
    writer = student_in_course(new_context, code, "Lou Lost", "Lou")
    writer.goto(f"/c/{slug}/posts/new")
    writer.get_by_label("Title").fill("Letters that never came")
    writer.get_by_label("Essay", exact=True).focus()  # the first autosave creates the draft
    expect(writer).to_have_url(re.compile(rf"/c/{slug}/posts/\d+/edit$"))
    expect(writer.locator("#save-status")).to_have_text(re.compile(r"^Saved at "))

    answers_lost = []

    def lose_the_first_answer(route):
        if answers_lost:
            route.fallback()
            return
        answer = route.fetch()  # the server saves it...
        answers_lost.append((answer.status, answer.text()))
        # ...and the answer never arrives: the proxy in front of the app gave up waiting for it.
        route.fulfill(status=504, content_type="text/html", body="<h1>Gateway Timeout</h1>")

    writer.route("**/autosave", lose_the_first_answer)
    body = writer.get_by_label("Essay", exact=True)
    body.focus()
    writer.keyboard.type("The post office kept them.")  # saved a few seconds later, while still typing here
    expect(writer.locator("#save-status")).to_contain_text("Not saved (error 504)", timeout=15_000)
    assert len(answers_lost) == 1 and answers_lost[0][0] == 200, answers_lost

    # The editor still holds the version before the lost save; its next save carries more text than that one.
    writer.keyboard.type(" A clerk sorted them, who could not read.")
    with writer.expect_response(lambda r: r.url.endswith("/autosave") and r.request.method == "POST") as retry:
        writer.get_by_label("Title").focus()
    assert retry.value.status == 200, retry.value.text()
    expect(writer.locator("#save-status")).to_have_text(re.compile(r"^Saved at "))
    expect(writer.locator("#local-copy-notice")).to_be_hidden()
    writer.reload()
    expect(body).to_have_value("The post office kept them. A clerk sorted them, who could not read.")
    expect(writer.locator("#local-copy-notice")).to_be_hidden()


def test_a_comment_typed_when_the_login_ended_elsewhere_is_posted_after_logging_in_again(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Lost Replies")
    assignment_id = create_assignment(instructor, slug, "Partition", "Was it inevitable?", min_comment_words=3)
    _, essay_url = essay_by_new_student(new_context, code, slug, assignment_id, "Wen Writer", "Wen",
                                        "Lines drawn in a hurry", "The border was drawn in five weeks.")
    email = f"{unique('reader')}@example.org"
    reader = new_context().new_page()
    sign_up(reader, email, "Rae Reader", PASSWORD)
    join_course(reader, code, course_name="Rae")
    reader.goto(essay_url)
    text = "Five weeks for a border that moved fourteen million people."
    reader.get_by_label("Comment", exact=True).fill(text)

    phone = new_context().new_page()  # Rae logs out on her phone, which ends this login too
    log_in(phone, email, PASSWORD)
    log_out(phone)

    reader.get_by_role("button", name="Post Comment").click()
    expect(reader.get_by_text("Log in again to post your comment.")).to_be_visible()
    reader.get_by_label("Email").fill(email)
    reader.get_by_label("Password").fill(PASSWORD)
    reader.get_by_role("button", name="Log in").click()
    expect(reader).to_have_url(re.compile(r"/essays/[^/]+/#respond$"))
    expect(reader.get_by_label("Comment", exact=True)).to_have_value(text)
    expect(reader.locator("#comment-kept")).to_contain_text("It is not posted yet.")
    reader.get_by_role("button", name="Post Comment").click()
    expect(reader.locator(".comment-content", has_text=text)).to_be_visible()
    # The page's script has run (it moves the message to the comment): the copy in this browser is dropped.
    expect(reader.locator(".flashes--at-comment")).to_contain_text("is posted")
    reader.reload()
    expect(reader.get_by_label("Comment", exact=True)).to_have_value("")
    expect(reader.locator("#comment-kept")).to_have_count(0)


def test_a_refused_comment_is_shown_scrolled_to_its_message_with_the_text_kept(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Refused Replies")
    assignment_id = create_assignment(instructor, slug, "Empire", "What held it together?")
    _, essay_url = essay_by_new_student(new_context, code, slug, assignment_id, "Ewa Writer", "Ewa",
                                        "Tea and taxes", "Revenue, not glory, held the empire together.")
    reader = student_in_course(new_context, code, "Ray Reader", "Ray")
    reader.set_viewport_size({"width": 390, "height": 800})
    reader.goto(essay_url)
    long_text = "word " * 2600  # over the 10,000 characters a comment may have
    reader.get_by_label("Comment", exact=True).fill(long_text)
    reader.get_by_role("button", name="Post Comment").click()
    message = reader.get_by_role("alert").filter(has_text="10,000")
    expect(message).to_be_in_viewport()
    expect(reader.get_by_label("Comment", exact=True)).to_be_focused()
    expect(reader.get_by_label("Comment", exact=True)).to_have_value(long_text)
    reader.goto(reader.url)  # the form's address, opened again: the essay and its form, not an error
    expect(reader.get_by_role("heading", name="Leave a Reply")).to_be_visible()


def test_deleting_a_comment_asks_first_and_says_so_where_the_reader_is(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Second Thoughts")
    assignment_id = create_assignment(instructor, slug, "Borders", "Who drew them?")
    _, essay_url = essay_by_new_student(new_context, code, slug, assignment_id, "Ida Writer", "Ida",
                                        "A line on a map", "The commission had five weeks and old maps.")
    reader = student_in_course(new_context, code, "Dee Reader", "Dee")
    reader.set_viewport_size({"width": 390, "height": 700})
    reader.goto(essay_url)
    text = "Five weeks is not long for a line that moved millions."
    post_comment(reader, text)
    reader.get_by_text("Delete your comment").click()  # one click only opens the question
    expect(reader.get_by_text("Delete this comment? This cannot be undone.")).to_be_visible()
    expect(reader.locator(".comment-content", has_text=text)).to_be_visible()
    reader.get_by_role("button", name="Delete comment").click()
    expect(reader.locator(".comment-content", has_text=text)).to_have_count(0)
    # The page opens at the thread: the message is there, in view, not at the top of the page.
    message = reader.locator("#comments .flashes--at-comment")
    expect(message).to_contain_text("Your comment is deleted.")
    expect(message).to_be_in_viewport()


def test_the_message_about_a_comment_just_posted_is_in_view_whole_on_a_phone(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Short Answers")
    assignment_id = create_assignment(instructor, slug, "Harbours", "Which harbour made its city?",
                                      min_comment_words=40)
    _, essay_url = essay_by_new_student(new_context, code, slug, assignment_id, "Ola Writer", "Ola",
                                        "Bristol", "The docks came first, the city after them.")
    for name in ("Ann", "Ben", "Cy"):  # a thread a page long above the comment to come
        earlier = student_in_course(new_context, code, f"{name} Early", name)
        earlier.goto(essay_url)
        post_comment(earlier, f"{name} here: the charter mattered as much as the docks did, " * 4)
    reader = student_in_course(new_context, code, "Sam Reader", "Sam")
    reader.set_viewport_size({"width": 390, "height": 844})
    reader.goto(essay_url)
    post_comment(reader, "The docks argument is strong, though the city had a charter long before them.")
    # What the reader most needs to see, that it will not count, comes above the comment the page opens at.
    message = reader.locator(".flashes--at-comment")
    expect(message).to_contain_text("does not count")
    expect(message).to_be_in_viewport(ratio=1)
