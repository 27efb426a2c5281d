"""Where content sits: wide pages line up with the header on a desktop, and tables fit a phone."""

from __future__ import annotations

import pytest

from .pages import ESSAY_ASSIGNMENT, STUDENT_ID, C

LEFT_EDGES = """() => [document.querySelector('.site-title').getBoundingClientRect().left,
                       document.querySelector('main > *').getBoundingClientRect().left]"""


@pytest.mark.parametrize("person,path", [
    ("instructor", f"{C}/dashboard/"),
    ("ta", f"{C}/dashboard/assignments/{ESSAY_ASSIGNMENT}/grading"),
    ("instructor", f"{C}/dashboard/assignments/{ESSAY_ASSIGNMENT}/grade/{STUDENT_ID}"),
    ("student", f"{C}/posts/new"),
    ("instructor", f"{C}/roster"),
])
def test_a_wide_page_starts_at_the_headers_left_edge(as_person, person, path):
    page = as_person(person, viewport={"width": 1280, "height": 900})
    page.goto(path)
    header, content = page.evaluate(LEFT_EDGES)
    assert content == header, f"{path}: the content starts at {content} px, the header at {header} px"


@pytest.mark.parametrize("width", [360, 390])
def test_the_roster_fits_a_phone_without_scrolling_sideways(as_person, width):
    page = as_person("instructor", viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True)
    page.goto(f"{C}/roster")
    overflow = page.evaluate("""() => {
      const box = document.querySelector('.table-wrap');
      const cut = [...box.querySelectorAll('tbody th, tbody td')]
        .filter(cell => cell.getBoundingClientRect().right > box.getBoundingClientRect().right + 0.5)
        .map(cell => cell.textContent.trim().slice(0, 30));
      return {cut, inner: box.scrollWidth, outer: box.clientWidth, page: document.documentElement.scrollWidth};
    }""")
    assert overflow["cut"] == [], f"cut off at {width} px: {overflow['cut']}"
    assert overflow["inner"] <= overflow["outer"] and overflow["page"] <= width, overflow
    # Each person's email, role and section are labelled, as the table's header does on a desktop.
    labels = page.evaluate("""() => [...document.querySelector('tbody tr').cells]
      .map(cell => getComputedStyle(cell, '::before').content)""")
    assert labels[1:5] == ['"Email: "', '"Role: "', '"Section: "', '"Joined: "'], labels
