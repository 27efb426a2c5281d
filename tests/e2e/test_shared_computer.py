"""A shared lab computer: text one student typed offline never reaches the next student's account."""

from __future__ import annotations

import io
import re

from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.conftest import guard_context
from tests.e2e.helpers import (
    DEMO_PASSWORD,
    DEMO_SLUG,
    PEOPLE,
    create_course,
    join_course,
    log_in,
    log_out,
    sign_up,
    unique,
)
from tests.e2e.test_feature_journeys import PASSWORD, instructor_with_course, student_in_course

TEXT = "Rationing outlasted the war by nine years; bread was rationed only after it."


def drop_saves(route):
    """The connection is down for the editor's saves (the guarded context ignores the offline switch)."""
    if route.request.method == "POST" and re.search(r"/posts/(new|\d+/autosave)$", route.request.url):
        route.abort("internetdisconnected")
    else:
        route.fallback()


def essay_copies(page: Page) -> dict[str, str]:
    return page.evaluate("""() => Object.fromEntries(Object.keys(localStorage)
        .filter(key => key.startsWith("coursesite:")).map(key => [key, localStorage.getItem(key)]))""")


def type_offline(page: Page, slug: str) -> None:
    page.context.route("**/*", drop_saves)
    page.goto(f"/c/{slug}/posts/new")
    page.get_by_label("Title").fill("After the war")
    page.get_by_label("Essay", exact=True).fill(TEXT)
    page.get_by_label("Title").focus()  # leaving the body keeps a copy and tries to save
    expect(page.locator("#save-status")).to_contain_text("kept in this browser")
    assert any(TEXT in copy for copy in essay_copies(page).values())


def next_student_opens_the_editor(page: Page, code: str, slug: str) -> None:
    sign_up(page, f"{unique('next')}@example.org", "Bea Next", PASSWORD)
    join_course(page, code, course_name="Bea")
    page.goto(f"/c/{slug}/posts/new")
    expect(page.get_by_label("Essay", exact=True)).to_have_value("")
    expect(page.get_by_label("Title")).to_have_value("")
    expect(page.locator("#local-copy-notice")).to_be_hidden()
    page.wait_for_timeout(1500)  # a restored copy would be saved within a second: give it the time
    expect(page.get_by_label("Essay", exact=True)).to_have_value("")
    assert not any(TEXT in copy for copy in essay_copies(page).values())
    page.goto(f"/c/{slug}/drafts")
    expect(page.get_by_text("After the war")).to_have_count(0)


def test_text_typed_offline_is_gone_for_the_next_student_after_logging_out(new_context):
    _, slug, code = instructor_with_course(new_context, "Austerity Britain")
    editor = student_in_course(new_context, code, "Ada Away", "Ada")
    type_offline(editor, slug)
    # Ada logs out in another tab of the same browser while the editor tab is still open, then closes it.
    other_tab = editor.context.new_page()
    other_tab.goto("/")
    log_out(other_tab)
    assert essay_copies(other_tab) == {}
    editor.close()  # closing the tab keeps a copy of the unsaved text once more
    next_student_opens_the_editor(other_tab, code, slug)


def test_text_typed_offline_is_never_restored_into_another_account_without_a_logout(new_context):
    _, slug, code = instructor_with_course(new_context, "Austerity Britain")
    editor = student_in_course(new_context, code, "Ada Away", "Ada")
    type_offline(editor, slug)
    # Ada's login ends without a logout (the browser was closed); her copy stays behind in the browser.
    editor.context.clear_cookies()
    next_tab = editor.context.new_page()
    editor.close()
    next_tab.goto("/")
    assert any(TEXT in copy for copy in essay_copies(next_tab).values())
    next_student_opens_the_editor(next_tab, code, slug)



def test_back_after_logging_out_shows_the_login_page_not_the_last_readers_page(
        browser_type, browser_type_launch_args, browser_context_args, incidents):
    # Playwright turns Chrome's back/forward cache off by default; a shared computer's browser has it on.
    browser = browser_type.launch(**browser_type_launch_args, ignore_default_args=["--disable-back-forward-cache"])
    try:
        context = browser.new_context(**browser_context_args)
        guard_context(context, incidents)
        page = context.new_page()
        log_in(page, PEOPLE["instructor"], DEMO_PASSWORD)
        page.goto(f"/c/{DEMO_SLUG}/dashboard/")
        expect(page.get_by_role("heading", name="Participation")).to_be_visible()
        log_out(page)
        page.go_back(wait_until="commit")  # a page restored from the cache fires no load event
        expect(page).to_have_url(re.compile(r"/auth/login"))
        expect(page.get_by_role("heading", name="Participation")).to_have_count(0)
        expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    finally:
        browser.close()



def test_a_members_only_picture_opens_in_a_tab_of_its_own_and_not_after_logging_out(browser, browser_context_args):
    """A member opens a members-only course's picture in a tab of its own: the browser's viewer shows it with no
    error. After logging out, with the browser's cache on as on a shared computer, its address leads to the login
    page, not to the picture."""
    # Not the guarded context of the other tests: Playwright's routing, their guard, turns the browser's cache off.
    context = browser.new_context(**browser_context_args)
    try:
        page = context.new_page()
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        log_in(page, PEOPLE["instructor"], DEMO_PASSWORD)
        slug = unique("closed")
        create_course(page, "Closed Pictures", slug, public=False)
        page.goto(f"/c/{slug}/posts/new")
        token = page.locator("input[name=csrf_token]").first.input_value()
        png = io.BytesIO()
        Image.new("RGB", (40, 30), (200, 40, 40)).save(png, "PNG")
        upload = page.request.post(f"/c/{slug}/uploads", headers={"Accept": "application/json"}, multipart={
            "image": {"name": "red.png", "mimeType": "image/png", "buffer": png.getvalue()}, "csrf_token": token})
        assert upload.status == 201, upload.text()
        picture = upload.json()["url"]
        assert page.goto(picture).status == 200
        assert errors == []
        page.goto(f"/c/{slug}/settings")
        log_out(page)
        page.goto(picture)
        expect(page).to_have_url(re.compile(r"/auth/login"))
    finally:
        context.close()
