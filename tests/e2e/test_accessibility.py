"""axe-core finds no WCAG 2.1 A/AA or best-practice violation on any page, on a desktop and a 360 px phone,
in light and dark; pages never scroll sideways on the phone; the keyboard reaches everything visibly."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import describe_violations, run_axe
from tests.e2e.pages import PAGES, PageSpec

SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "desktop-dark": {"viewport": {"width": 1280, "height": 900}, "color_scheme": "dark"},
}


def open_spec(as_person, spec: PageSpec, **context_args) -> Page:
    page = as_person(spec.person, **context_args)
    response = page.goto(spec.path)
    assert response is not None and response.status == spec.status, f"{spec.path} answered {response.status}"
    if spec.then:
        spec.then(page)
    return page


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("spec", PAGES, ids=[p.name for p in PAGES])
def test_page_has_no_axe_violations(as_person, spec, screen):
    page = open_spec(as_person, spec, **SCREENS[screen])
    violations = run_axe(page)
    assert not violations, f"{spec.name} at {screen}:\n{describe_violations(violations)}"
    if screen == "phone":
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{spec.name} scrolls sideways at 360 px: {widths[0]} px wide"


FOCUS_STYLE = """el => {
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const ring = s.boxShadow && s.boxShadow !== 'none';
  const r = el.getBoundingClientRect();
  return {outline, ring, visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
          && r.top < innerHeight && r.left < innerWidth,
          tag: el.tagName, text: (el.innerText || el.value || el.name || '').slice(0, 40)};
}"""


def focused_description(page: Page) -> dict:
    return page.evaluate(f"({FOCUS_STYLE})(document.activeElement)")


@pytest.mark.parametrize("person,path", [(None, "/auth/login"), ("instructor", "/c/demo-101/roster"),
                                         ("student", "/c/demo-101/welcome")])
def test_skip_link_comes_first_and_moves_focus_to_main(as_person, person, path):
    page = as_person(person)
    page.goto(path)
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to content")
    focus = focused_description(page)
    assert focus["visible"] and focus["outline"], f"the focused skip link is not visibly shown: {focus}"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content", "the skip link did not move focus to main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)"), (
        "after the skip link, Tab should go to the first control inside the main content"
    )


@pytest.mark.parametrize("person,path", [(None, "/auth/signup"), ("instructor", "/c/demo-101/settings"),
                                         ("student", "/auth/account")])
def test_every_tab_stop_shows_focus(as_person, person, path):
    page = as_person(person)
    page.goto(path)
    stops = page.evaluate("document.querySelectorAll('a[href], button, input:not([type=hidden]), select, "
                          "textarea, [tabindex]:not([tabindex=\"-1\"])').length")
    seen = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        focus = focused_description(page)
        seen.append(focus)
        assert focus["visible"], f"tab stop {len(seen)} is off screen: {focus}"
        assert focus["outline"] or focus["ring"], f"tab stop {len(seen)} shows no focus indicator: {focus}"
    assert len(seen) >= 5, f"only {len(seen)} tab stops on {path}"


def test_log_in_with_the_keyboard_only(as_person):
    page = as_person(None)
    page.goto("/auth/login")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "email"
    page.keyboard.type("student3@example.edu")
    page.keyboard.press("Tab")
    page.keyboard.type("coursesite-demo")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="This week", level=1)).to_be_visible()  # a student's landing page
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_cancelling_a_reply_returns_the_keyboard_to_that_reply_link(as_person):
    page = as_person("student2")
    page.goto("/c/demo-101/essays/ghana-independence-bargained-in-the-streets/")
    reply = page.locator("a.comment-reply-link").first
    reply.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Comment", exact=True)).to_be_focused()
    # The heading says whom the box answers and no more: Cancel reply is beside it, not read as part of it.
    author = reply.get_attribute("data-author")
    expect(page.get_by_role("heading", name=f"Reply to {author}", exact=True)).to_be_visible()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("link", name="Cancel reply")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Leave a Reply", exact=True)).to_be_visible()
    expect(reply).to_be_focused()  # not the box at the end of the thread: the reader keeps their place


# WCAG 2.2 target size (minimum): what a finger taps on a comment is at least 24 CSS px tall. Links inside the
# comment's own text are words in a sentence, which the rule leaves to the line height.
COMMENT_TARGETS = """() => [...document.querySelectorAll(
    '.comment-body :is(a[href], button, summary), .comments-jump, #cancel-comment-reply-link')]
  .filter(el => !el.closest('.comment-content') && el.getClientRects().length)
  .map(el => ({name: (el.getAttribute('aria-label') || el.textContent).trim().replace(/\\s+/g, ' ').slice(0, 40),
               height: Math.round(el.getBoundingClientRect().height * 100) / 100}))"""


@pytest.mark.parametrize("person,essay,tools", [
    ("student2", "rent-parties-in-harlem", ["Reply to", "Report", "Send report", "Cancel reply", "Leave a Reply"]),
    ("instructor", "the-soup-kitchen-al-capone-opened", ["Reply to", "Moderate", "Unhide", "Suspend"]),
    ("instructor", "eleven-months-of-flights-the-berlin-airlift", ["Moderate", "2 versions"]),
    (None, "rent-parties-in-harlem", ["Log in to Reply"]),
])
def test_every_control_on_a_comment_is_at_least_24_px_tall_on_a_phone(as_person, person, essay, tools):
    page = as_person(person, viewport={"width": 390, "height": 740}, is_mobile=True, has_touch=True)
    page.goto(f"/c/demo-101/essays/{essay}/")
    for summary in page.locator(".comment-actions summary").all()[:1]:
        summary.click()  # an open Report or Moderate: its buttons count too
    for reply in page.locator("a.comment-reply-link").all()[:1]:
        reply.click()  # the reply box under the comment, with its Cancel reply
    targets = page.evaluate(COMMENT_TARGETS)
    for tool in tools:
        assert any(t["name"].startswith(tool) for t in targets), f"no {tool!r} among {targets}"
    small = [t for t in targets if t["height"] < 24]
    assert not small, f"under 24 px tall at 390 px wide: {small}"
