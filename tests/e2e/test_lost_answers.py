"""A save that reached the server but whose answer was lost on the way: the editor's retry is saved, with no
false conflict against its own text."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.test_feature_journeys import instructor_with_course, student_in_course


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
