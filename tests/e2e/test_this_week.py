"""This week in a real browser: a student with an extension lands on it after logging in, sees the essay due
this week by their own deadline and how many of its comments they have done, and the editor and My work
show the same deadline."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP
from tests.e2e.helpers import DEMO_PASSWORD, DEMO_SLUG, PEOPLE, log_in

CURRENT = "One road to independence"  # the demo's assignment due this week; student3 has an extension


def test_student3_sees_their_own_deadline_and_comments_done_and_the_editor_agrees(new_context):
    page = new_context(viewport=DESKTOP).new_page()
    log_in(page, PEOPLE["student3"], DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(rf"/c/{DEMO_SLUG}/week/$"))
    expect(page.get_by_role("heading", name="This week", level=1)).to_be_visible()
    due_soon = page.get_by_role("region", name="Due in the next seven days")
    item = due_soon.get_by_role("listitem").filter(has=page.get_by_role("heading", name=CURRENT))
    expect(item).to_contain_text("Not started")
    expect(item).to_contain_text("extended")
    expect(item).to_contain_text(re.compile(r"Comments:\s*1 of 3 comments"))
    own_due = item.locator("time").first.inner_text()
    assert re.fullmatch(r"\w{3}, \w{3} \d{1,2} at \d{1,2}:\d{2} [ap]m E[SD]T", own_due), own_due

    # The same deadline on My work (which always showed the student's own) and in the editor.
    page.get_by_role("navigation", name="Course").get_by_role("link", name="My work").click()
    work = page.locator(".work-item", has=page.get_by_role("heading", name=CURRENT))
    expect(work.locator("time").first).to_have_text(own_due)
    page.goto(f"/c/{DEMO_SLUG}/week/")
    item.get_by_role("link", name=re.compile("Write your essay")).click()
    brief = page.get_by_role("region", name=CURRENT)
    expect(brief).to_contain_text(f"Due {own_due}")
    expect(brief).to_contain_text("extended")

    # The blog is one link away.
    page.get_by_role("navigation", name="Course").get_by_role("link", name="Blog").click()
    expect(page).to_have_url(re.compile(rf"/c/{DEMO_SLUG}/blog/$"))
    expect(page.locator(".post-summary__title").first).to_be_visible()
