"""Writing in a real browser: the preview looks like the essay page, and nothing typed in the editor's
details is lost.

Each test makes its own course (the server is shared by the session) and one browser context per person.
"""

from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.helpers import join_course, log_in, log_out, sign_up, unique
from tests.e2e.test_feature_journeys import PASSWORD, create_assignment, instructor_with_course, student_in_course

LOOKS = ["fontFamily", "fontSize", "fontWeight", "textTransform", "letterSpacing", "color", "lineHeight"]


def looks_of(page: Page, selector: str) -> dict[str, str]:
    return page.locator(selector).first.evaluate(
        "(node, names) => { const s = getComputedStyle(node); return Object.fromEntries(names.map(n => [n, s[n]])); }",
        LOOKS,
    )


def new_essay_on_a_phone(new_context, course_title: str, viewport: dict) -> Page:
    """A new course's student on a phone, at the editor of a new essay."""
    _, slug, code = instructor_with_course(new_context, course_title)
    student = student_in_course(new_context, code, "Pho Ne", "Pho")
    phone = new_context(viewport=viewport, is_mobile=True, has_touch=True,
                        storage_state=student.context.storage_state())
    page = phone.new_page()
    page.goto(f"/c/{slug}/posts/new")
    return page


@pytest.mark.parametrize("width", [1280, 390])
def test_the_preview_shows_headings_and_paragraphs_as_the_essay_page_does(new_context, width):
    instructor, slug, code = instructor_with_course(new_context, "Previews")
    create_assignment(instructor, slug, "Looks", "Write.", required_comments=0)
    student = student_in_course(new_context, code, "Pia Preview", "Pia")
    student.set_viewport_size({"width": width, "height": 900})
    student.goto(f"/c/{slug}/posts/new")
    student.get_by_label("Title").fill("Headings as readers see them")
    student.get_by_label("Essay", exact=True).fill("## Causes\n\nThe first cause was money.")
    preview = student.get_by_role("region", name="Preview")
    expect(preview.locator("h2", has_text="Causes")).to_be_visible()
    in_preview = {tag: looks_of(student, f"#preview {tag}") for tag in ("h2", "p")}
    label = looks_of(student, "#preview-heading")

    student.get_by_role("button", name="Publish").click()
    expect(student.get_by_text("Your essay is published.")).to_be_visible()
    on_page = {tag: looks_of(student, f".essay__body {tag}") for tag in ("h2", "p")}
    assert in_preview == on_page
    assert label["textTransform"] == "uppercase"  # the "Preview" label keeps its own small capitals


def leaving_is_warned(page: Page) -> bool:
    """Whether the editor asks before the page is left (its beforeunload handler cancels the event)."""
    return page.evaluate(
        "() => { const e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e); "
        "return e.defaultPrevented; }"
    )


def browser_copies(page: Page) -> list[dict]:
    return page.evaluate(
        "() => Object.keys(localStorage).filter(k => /^coursesite:\\d+:essay:/.test(k))"
        ".map(k => JSON.parse(localStorage.getItem(k)))"
    )


def test_categories_and_tags_are_kept_saved_and_warned_about(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Terms")
    student = student_in_course(new_context, code, "Tia Terms", "Tia")
    student.goto(f"/c/{slug}/posts/new")
    student.get_by_label("Title").fill("Tagged")
    student.get_by_label("Essay", exact=True).focus()  # the first autosave makes the draft
    expect(student).to_have_url(re.compile(rf"/c/{slug}/posts/\d+/edit$"))
    expect(student.locator("#save-status")).to_have_text(re.compile(r"^Saved at"))

    student.get_by_label("Categories").fill("Cold War, Europe")
    student.get_by_label("Tags").fill("1956")
    assert leaving_is_warned(student)  # typed, not yet on the server
    student.wait_for_function(
        "() => Object.keys(localStorage).some(k => (JSON.parse(localStorage.getItem(k)) || {}).tags === '1956')")
    copy = next(c for c in browser_copies(student) if c.get("tags") == "1956")
    assert copy["categories"] == "Cold War, Europe" and copy["dirty"] is True

    def saves_the_tags(response) -> bool:
        return response.url.endswith("/autosave") and "1956" in (response.request.post_data or "")

    with student.expect_response(saves_the_tags) as saved:
        student.get_by_label("Title").focus()  # leaving a field saves it (after any save already on its way)
    assert saved.value.ok
    expect(student.locator("#save-status")).to_have_text(re.compile(r"^Saved at"))
    assert not leaving_is_warned(student)

    student.reload()
    expect(student.get_by_label("Categories")).to_have_value("Cold War, Europe")
    expect(student.get_by_label("Tags")).to_have_value("1956")


def test_a_few_stray_words_make_no_untitled_draft(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Stray words")
    student = student_in_course(new_context, code, "Sam Stray", "Sam")
    student.set_viewport_size({"width": 390, "height": 844})
    student.goto(f"/c/{slug}/posts/new")
    student.get_by_label("Essay", exact=True).fill("ok so")
    student.get_by_label("Title").focus()
    expect(student.locator("#save-status")).to_contain_text("saved to your drafts once it has a title or 20 words")
    expect(student).to_have_url(re.compile(rf"/c/{slug}/posts/new$"))
    assert leaving_is_warned(student)  # the words are only in this browser
    drafts = student.context.new_page()
    drafts.goto(f"/c/{slug}/drafts")
    expect(drafts.get_by_text("You have no drafts.")).to_be_visible()


def test_on_a_phone_save_draft_right_after_typing_the_title_saves(new_context):
    """Leaving the title starts an autosave and shows "Saving…": the buttons must not move under the tap."""
    page = new_essay_on_a_phone(new_context, "Phones", {"width": 360, "height": 740})
    page.get_by_label("Title").fill("Written on the bus")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()


def test_on_a_phone_the_word_count_is_not_under_the_buttons_while_writing(new_context):
    page = new_essay_on_a_phone(new_context, "Counted on Phones", {"width": 390, "height": 844})
    essay = page.get_by_label("Essay", exact=True)
    essay.fill("Tanganyika reached independence in 1961 through negotiation. " * 40)
    page.get_by_label("Title").focus()
    # Scrolled as a reader leaves it: the whole box in view just above the buttons, the count below them.
    page.evaluate("""() => { const box = document.getElementById('body').getBoundingClientRect();
        const bar = document.querySelector('.editor__actions').getBoundingClientRect();
        window.scrollBy(0, box.bottom - bar.top + 4); }""")
    essay.tap()
    counter = page.locator("#word-count")
    expect(counter).to_contain_text("words")
    bar = page.locator(".editor__actions").bounding_box()
    shown = counter.bounding_box()
    assert shown["y"] + shown["height"] <= bar["y"], f"the word count is under the buttons: {shown}, {bar}"


def test_choosing_the_assignment_in_the_editor_shows_its_minimum_words(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Counted Words")
    assignment_id = create_assignment(instructor, slug, "Decolonisation", "Choose one country.", required_comments=0)
    instructor.goto(f"/c/{slug}/assignments/{assignment_id}/edit")
    instructor.get_by_label("Minimum words per essay").fill("300")
    instructor.get_by_role("button", name="Save assignment").click()
    expect(instructor.get_by_text("300 words")).to_be_visible()

    student = student_in_course(new_context, code, "Mina Minimum", "Mina")
    student.goto(f"/c/{slug}/posts/new")  # not from the assignment's page: no assignment chosen yet
    student.get_by_label("Essay", exact=True).fill("Ghana led the way in 1957.")
    counter = student.locator("#word-count")
    expect(counter).to_have_text("6 words")
    student.get_by_label("Assignment").select_option(label="Decolonisation")
    expect(counter).to_have_text("6 / 300 words · 294 more to reach the minimum")
    student.get_by_label("Assignment").select_option(label="No assignment")
    expect(counter).to_have_text("6 words")


def test_publish_pressed_right_after_adding_a_picture_on_a_phone_publishes(new_context, tmp_path):
    """Adding a picture leaves a two-line status under the buttons; the press on Publish blurs the essay box,
    whose save shortens it. The button must stay under the finger for the press to count."""
    instructor, slug, code = instructor_with_course(new_context, "Pictures")
    student = student_in_course(new_context, code, "Pia Picture", "Pictures")
    student.set_viewport_size({"width": 390, "height": 844})
    student.goto(f"/c/{slug}/posts/new")
    student.get_by_label("Title").fill("A crowd in Accra")
    essay = student.get_by_label("Essay", exact=True)
    essay.click()
    essay.type("The crowd outside the assembly.\n\n")
    picture = tmp_path / "crowd.png"
    Image.new("RGB", (800, 500), (30, 90, 160)).save(picture)
    student.locator("#toolbar-image").set_input_files(picture)
    expect(student.get_by_text("Picture added.")).to_be_visible()
    expect(essay).to_be_focused()

    student.get_by_role("button", name="Publish").click()
    expect(student.get_by_text("Your essay is published.")).to_be_visible()


def test_a_title_or_essay_refused_as_empty_loses_its_message_once_filled_in(new_context):
    """The server refuses a publish with no title, then with no essay; the field's message goes as soon as it has
    a value (and comes back if it is emptied again), not only when the form is sent once more."""
    instructor, slug, code = instructor_with_course(new_context, "Empty Fields")
    student = student_in_course(new_context, code, "Eve Empty", "Eve")
    student.goto(f"/c/{slug}/posts/new")
    student.get_by_role("button", name="Publish").click()
    title = student.get_by_label("Title")
    message = student.get_by_text("Give your essay a title.")
    summary = student.get_by_text("Please correct the fields marked below.")
    expect(message).to_be_visible()
    expect(summary).to_be_visible()
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_attribute("aria-describedby", "title-error")

    title.fill("Independence day")
    expect(message).to_be_hidden()
    expect(summary).to_be_hidden()
    expect(title).not_to_have_attribute("aria-invalid", "true")
    expect(title).not_to_have_attribute("aria-describedby", re.compile("title-error"))
    title.fill("  ")
    expect(message).to_be_visible()
    expect(title).to_have_attribute("aria-invalid", "true")
    title.fill("Independence day")

    student.get_by_role("button", name="Publish").click()
    essay = student.get_by_label("Essay", exact=True)
    message = student.get_by_text("Write your essay before publishing it.")
    expect(message).to_be_visible()
    expect(essay).to_have_attribute("aria-invalid", "true")
    essay.fill("Accra, 6 March 1957: the crowd at the Polo Ground.")
    expect(message).to_be_hidden()
    expect(essay).not_to_have_attribute("aria-invalid", "true")
    expect(essay).to_have_attribute("aria-describedby", "body-hint word-count")
    student.get_by_role("button", name="Publish").click()
    expect(student.get_by_text("Your essay is published.")).to_be_visible()


def writer_in_new_course(new_context, title: str) -> tuple[Page, str, str]:
    """A student who joined a new course: their page, the course's address and their email."""
    _, slug, code = instructor_with_course(new_context, title)
    page = new_context().new_page()
    email = f"{unique('leaver')}@example.org"
    sign_up(page, email, "Lee Leaver", PASSWORD)
    join_course(page, code, course_name="Lee")
    return page, slug, email


def saved_draft_body(page: Page, slug: str, email: str, title: str) -> str:
    """Logged out: log in again and read the essay as the server keeps it."""
    log_in(page, email, PASSWORD)
    page.goto(f"/c/{slug}/drafts")
    page.get_by_role("link", name=title, exact=True).click()
    return page.get_by_label("Essay", exact=True).input_value()


def test_logging_out_after_the_autosave_asks_nothing_and_keeps_the_essay(new_context):
    """The status line says "Saved at …" (the title, saved on leaving it) while the last words typed are still on
    their way: Log out saves them, then logs out without a "Leave site?" dialog (the guards fail on one)."""
    page, slug, email = writer_in_new_course(new_context, "Leaving")
    page.goto(f"/c/{slug}/posts/new")
    page.get_by_label("Title").fill("Before the bell")
    page.get_by_label("Essay", exact=True).press_sequentially("The last words typed before logging out.")
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at"))
    log_out(page)
    assert saved_draft_body(page, slug, email, "Before the bell") == "The last words typed before logging out."


def test_logging_out_right_after_typing_saves_the_essay_first(new_context):
    page, slug, email = writer_in_new_course(new_context, "Hurry")
    page.goto(f"/c/{slug}/posts/new")
    page.get_by_label("Title").fill("In a hurry")
    page.get_by_label("Essay", exact=True).focus()
    expect(page).to_have_url(re.compile(rf"/c/{slug}/posts/\d+/edit$"))  # the draft exists
    page.get_by_label("Essay", exact=True).press_sequentially("Typed, and straight to Log out.")
    log_out(page)
    assert saved_draft_body(page, slug, email, "In a hurry") == "Typed, and straight to Log out."


def test_logging_out_with_text_that_cannot_be_saved_still_asks(new_context, incidents):
    """Offline for the editor's saves: Log out cannot save, so "Leave site?" asks; staying keeps the text."""
    page, slug, _ = writer_in_new_course(new_context, "Offline")
    page.goto(f"/c/{slug}/posts/new")
    page.get_by_label("Title").fill("Never sent")
    page.get_by_label("Essay", exact=True).focus()
    expect(page).to_have_url(re.compile(rf"/c/{slug}/posts/\d+/edit$"))
    page.route("**/autosave", lambda route: route.abort("internetdisconnected"))
    page.get_by_label("Essay", exact=True).press_sequentially("Words with nowhere to go.")
    page.get_by_role("button", name="Log out").click()
    for _ in range(50):
        if incidents.dialogs:
            break
        page.wait_for_timeout(100)
    assert [d.split(":")[0] for d in incidents.dialogs] == ["beforeunload"]  # dismissed: the writer stays
    incidents.dialogs.clear()
    expect(page.get_by_label("Essay", exact=True)).to_have_value("Words with nowhere to go.")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
