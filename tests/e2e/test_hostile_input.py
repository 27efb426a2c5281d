"""Hostile text typed into every field a person controls today is shown as text, never run or parsed as markup.

Each payload goes in through the real forms (account name, course title, term and description, the name
shown in a course, an essay's title and body, a comment), then every page that shows those fields is
opened. The browser guards (conftest) fail the test on any dialog or Content-Security-Policy violation;
this file also fails on any element or attribute the payload managed to add to the page, which catches an
unescaped field even where the CSP stopped the script from running.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import DEMO_PASSWORD, PEOPLE, create_course, join_course, log_in, sign_up, unique

# Each payload carries the marker "xss" so an element or attribute it injects can be found in the DOM.
PAYLOADS = [
    '<script>alert("xss")</script>',
    '"><img src=/x data-xss onerror=alert("xss")>',
    "'><svg data-xss onload=confirm('xss')>",
    '<a href="javascript:prompt(\'xss\')" data-xss>xss</a>',
    "</title><script data-xss>print()</script>",
    '" autofocus onfocus="alert(\'xss\')" data-xss="',
    "<iframe data-xss srcdoc=\"<script>alert('xss')</script>\"></iframe>",
    "{{ 7*7 }}<b data-xss>xss</b>",
]

INJECTED = """() => {
  const hits = [];
  for (const el of document.querySelectorAll('*')) {
    if (el.hasAttribute('data-xss')) hits.push('element ' + el.outerHTML.slice(0, 80));
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) hits.push('handler ' + attr.name + ' on ' + el.tagName);
      if (/^\\s*javascript:/i.test(attr.value)) hits.push('javascript: URL on ' + el.tagName);
    }
    if (el.tagName === 'SCRIPT' && !el.src) hits.push('inline script');
    if (el.tagName === 'IFRAME') hits.push('iframe');
  }
  return hits;
}"""


def assert_nothing_injected(page: Page, where: str) -> None:
    hits = page.evaluate(INJECTED)
    assert not hits, f"hostile input became markup on {where}: {hits}"


def short(payload: str, limit: int) -> str:
    return payload[:limit]


@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"payload{i}" for i in range(len(PAYLOADS))])
def test_hostile_text_in_every_field_stays_text(new_context, payload):
    instructor = new_context().new_page()
    log_in(instructor, PEOPLE["instructor"], DEMO_PASSWORD)
    slug = unique("xss")
    code = create_course(instructor, f"T {payload}", slug, term=short(payload, 80))
    instructor.goto(f"/c/{slug}/settings")
    instructor.get_by_label("About this course").fill(f"D {payload}")
    instructor.get_by_role("button", name="Save settings").click()
    expect(instructor.get_by_text("Course settings saved.")).to_be_visible()

    student = new_context().new_page()
    sign_up(student, f"{unique('hostile')}@example.org", f"N {short(payload, 110)}", "a long enough passphrase")
    join_course(student, code, course_name=f"P {short(payload, 110)}")
    expect(student.get_by_text(f"Welcome to T {payload}.")).to_be_visible()

    student.goto(f"/c/{slug}/posts/new")
    student.get_by_label("Title").fill(f"E {payload}")
    student.get_by_label("Essay", exact=True).fill(f"B {payload}")
    student.get_by_role("button", name="Publish").click()
    expect(student.get_by_text("Your essay is published.")).to_be_visible()
    expect(student.get_by_role("heading", level=1)).to_have_text(f"E {payload}")
    expect(student.locator(".essay__body")).to_have_text(f"B {payload}")
    essay = student.url.removeprefix(student.evaluate("location.origin"))
    student.get_by_label("Comment", exact=True).fill(f"C {payload}")
    student.get_by_role("button", name="Post Comment").click()
    expect(student.locator(".comment-content")).to_have_text(f"C {payload}")
    expect(student.get_by_role("heading", name=f"One thought on “E {payload}”")).to_be_visible()
    editor = student.get_by_role("link", name=f"Edit “E {payload}”").get_attribute("href")

    student_pages = ["/", f"/c/{slug}/", f"/c/{slug}/welcome", "/auth/account", f"/c/{slug}/roster", essay, editor,
                     f"/c/{slug}/my-comments", f"/c/{slug}/drafts"]
    for path in student_pages:
        student.goto(path)
        assert_nothing_injected(student, f"{path} (student)")

    staff_pages = ["/", f"/c/{slug}/", essay, f"/c/{slug}/dashboard/", f"/c/{slug}/dashboard/activity",
                   f"/c/{slug}/settings", f"/c/{slug}/roster"]
    for path in staff_pages:
        instructor.goto(path)
        assert_nothing_injected(instructor, f"{path} (instructor)")
    expect(instructor.get_by_role("row", name=f"N {short(payload, 110)}")).to_contain_text(
        f"(shown as P {short(payload, 110)})")
    instructor.get_by_role("link", name="Edit").last.click()
    assert_nothing_injected(instructor, "the roster's edit page")
    assert instructor.title().endswith(f"T {payload}"), instructor.title()
