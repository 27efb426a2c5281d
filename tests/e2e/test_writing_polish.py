"""Writing in a real browser: the preview looks like the essay page, and nothing typed in the editor's
details is lost.

Each test makes its own course (the server is shared by the session) and one browser context per person.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .test_feature_journeys import create_assignment, instructor_with_course, student_in_course

LOOKS = ["fontFamily", "fontSize", "fontWeight", "textTransform", "letterSpacing", "color", "lineHeight"]


def looks_of(page: Page, selector: str) -> dict[str, str]:
    return page.locator(selector).first.evaluate(
        "(node, names) => { const s = getComputedStyle(node); return Object.fromEntries(names.map(n => [n, s[n]])); }",
        LOOKS,
    )


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
