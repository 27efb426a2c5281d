"""Where content sits: wide pages line up with the header on a desktop, and tables fit a phone."""

from __future__ import annotations

import csv
import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import join_course, sign_up, unique
from tests.e2e.pages import ESSAY_ASSIGNMENT, STUDENT_ID, STUDENT_POST, C
from tests.e2e.test_feature_journeys import (
    PASSWORD,
    create_assignment,
    essay_by_new_student,
    instructor_with_course,
)

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


CUT_OFF = """() => [...document.querySelectorAll('.table-wrap')].map(box => ({
    cut: [...box.querySelectorAll('tbody th, tbody td')]
      .filter(cell => cell.getBoundingClientRect().right > box.getBoundingClientRect().right + 0.5)
      .map(cell => cell.textContent.trim().slice(0, 30)),
    inner: box.scrollWidth, outer: box.clientWidth}))"""


def phone(as_person, width: int, person: str = "instructor"):
    return as_person(person, viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True)


def assert_tables_fit(page, width: int) -> None:
    boxes = page.evaluate(CUT_OFF)
    assert boxes, "no table on the page"
    for box in boxes:
        assert box["cut"] == [] and box["inner"] <= box["outer"], f"cut off at {width} px: {box}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width


# What each cell of a table's first row shows before its content; a screen reader is given "" instead
# (`content: "Email: " / ""`), so only the shown part, before the " / ", is kept.
LABELS = """table => [...table.querySelector('tbody tr').cells]
  .map(cell => getComputedStyle(cell, '::before').content.replace(/ \\/ .*$/, ''))"""


@pytest.mark.parametrize("width", [360, 390])
def test_the_roster_fits_a_phone_without_scrolling_sideways(as_person, width):
    page = phone(as_person, width)
    page.goto(f"{C}/roster")
    assert_tables_fit(page, width)
    # Each person's email, role and section are labelled, as the table's header does on a desktop.
    labels = page.locator("table.table--stack").first.evaluate(LABELS)
    assert labels[1:5] == ['"Email: "', '"Role: "', '"Section: "', '"Joined: "'], labels


def test_the_roster_import_preview_fits_a_phone(as_person, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("email,name,role,section,sis_id\n"
                      "student1@example.edu,Amara Okafor,student,Section A,S-1001\n"
                      "someone.with.a.long.address@example.org,Zoë Long-Name,student,Section C,S-2002\n")
    page = phone(as_person, 390)
    page.goto(f"{C}/roster/import")
    page.get_by_label("Roster file (CSV)").set_input_files(roster)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", name="Preview of roster.csv")).to_be_visible()
    page.wait_for_load_state("load")  # its style sheets too
    assert_tables_fit(page, 390)


def import_roster(page, tmp_path, *people: tuple[str, str, str], course: str = C) -> None:
    """Import (email, name, section) students into the course's roster, previewed and confirmed."""
    roster = tmp_path / "roster.csv"
    with roster.open("w", newline="") as out:
        csv.writer(out).writerows([("email", "name", "role", "section")]
                                  + [(email, name, "student", section) for email, name, section in people])
    page.goto(f"{course}/roster/import")
    page.get_by_label("Roster file (CSV)").set_input_files(roster)
    page.get_by_role("button", name="Preview the import").click()
    page.get_by_role("button", name=re.compile(r"^Import \d+ change")).click()


def invite_by_import(page, tmp_path, *people: tuple[str, str, str]) -> None:
    """Import, then follow the roster's link to the invitations, searched for the first person's email."""
    import_roster(page, tmp_path, *people)
    page.get_by_role("link", name=re.compile(r"invited, not joined yet$")).click()
    expect(page.get_by_role("heading", name="Invited, not joined yet")).to_be_visible()
    page.goto(f"{page.url}?{urlencode({'q': people[0][0]})}")


def test_the_invitations_fit_a_phone_and_their_buttons_are_reached_with_tab(as_person, tmp_path):
    email, name = f"{unique('a.rather.long.address')}@example.org", unique("Zoë Long-Name")
    page = phone(as_person, 390)
    invite_by_import(page, tmp_path, (email, name, "Section A"))
    page.wait_for_load_state("load")
    assert_tables_fit(page, 390)
    invitations = page.get_by_role("table", name=re.compile("^Invitations to"))
    labels = invitations.evaluate(LABELS)
    assert labels[1:5] == ['"Email: "', '"Role offered: "', '"Section: "', '"Invited: "'], labels
    # On the phone the row is a card, yet Chromium still tells a screen reader these are a table's cells.
    cdp = page.context.new_cdp_session(page)
    roles = {node.get("role", {}).get("value") for node in cdp.send("Accessibility.getFullAXTree")["nodes"]
             if email in node.get("name", {}).get("value", "")}
    assert "cell" in roles, roles
    invitations.get_by_role("button", name=f"Send again the invitation to {name}").focus()
    page.keyboard.press("Tab")
    withdraw = invitations.get_by_role("button", name=f"Withdraw the invitation to {name}")
    expect(withdraw).to_be_focused()
    box = withdraw.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert page.evaluate("window.scrollX") == 0


@pytest.mark.parametrize("person,path,labels", [
    ("student10", f"{C}/drafts", ['"Assignment: "', '"State: "', '"Last saved: "', '"Words: "', "none"]),
    ("instructor", f"{C}/drafts", ['"Author: "', '"Assignment: "', '"State: "', '"Last saved: "', '"Words: "']),
    ("instructor", f"{C}/trash", ['"Author: "', '"State: "', '"Moved to trash: "', "none"]),
    ("student", f"{C}/posts/{STUDENT_POST}/revisions", ['"Saved: "', '"State: "', '"Words: "', "none"]),
    ("instructor", f"{C}/assignments/{ESSAY_ASSIGNMENT}/readers", ['"Section: "', '"Essays to read: "']),
])
def test_lists_of_drafts_trash_versions_and_readers_fit_a_phone(as_person, person, path, labels):
    page = phone(as_person, 390, person)
    page.goto(path)
    assert_tables_fit(page, 390)
    # Each cell says which column it is in, as the table's header does on a desktop; actions name themselves.
    assert page.locator("table.table--stack").first.evaluate(LABELS)[1:] == labels


def first_rows_as_read(page) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(role, name) of each cell in the first table's header row and first body row, as Chromium exposes them."""
    nodes = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    by_id = {node["nodeId"]: node for node in nodes}

    def value(node, key):
        return node.get(key, {}).get("value")

    def rows(node):
        if value(node, "role") == "row":
            yield node
            return
        for child in node.get("childIds", []):
            if child in by_id:
                yield from rows(by_id[child])

    def cells(row):
        return [(value(by_id[c], "role"), value(by_id[c], "name") or "") for c in row["childIds"] if c in by_id]

    table = next(node for node in nodes if value(node, "role") == "table")
    header, first, *_ = rows(table)
    return cells(header), cells(first)


@pytest.mark.parametrize("path,columns", [
    (f"{C}/roster", ["Email", "Role", "Section", "Joined"]),
    (f"{C}/assignments/{ESSAY_ASSIGNMENT}/exceptions", ["Section", "Essay due", "Comments due", "Status"]),
])
def test_a_cards_cells_are_announced_with_their_column_name_once(as_person, path, columns):
    page = phone(as_person, 390)
    page.goto(path)
    labels = page.locator("table").first.evaluate(LABELS)
    headers, cells = first_rows_as_read(page)
    for column in columns:
        assert f'"{column}: "' in labels, f"{column}: no visible label on the card: {labels}"
        # A screen reader says a cell's column header as it enters the cell; the label is for the eye only.
        assert ("columnheader", column) in headers, f"{column}: the column header is gone at 390 px: {headers}"
        role, text = cells[headers.index(("columnheader", column))]
        assert role == "cell", f"{column}: the cell is read as {role!r}, not as a table's cell"
        assert not text.startswith(f"{column}:"), f"{column}: named twice, by its header and as {text!r}"


FOCUSED_CELL_AND_NAMES = """() => {
    const cell = document.activeElement.getBoundingClientRect();
    const row = document.activeElement.closest('tr');
    const names = row.querySelector('th').getBoundingClientRect();
    const totals = row.querySelector('.matrix__total').getBoundingClientRect();
    const header = document.querySelector('.matrix thead').getBoundingClientRect();
    return {cell_left: cell.left, names_right: names.right, cell_right: cell.right, totals_left: totals.left,
            cell_top: cell.top, header_bottom: header.bottom};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_a_dashboard_cell_reached_with_tab_is_not_under_the_names_or_the_header(as_person, width):
    page = as_person("instructor", viewport={"width": width, "height": 740})
    page.goto(f"{C}/dashboard/")
    links = page.locator(".matrix td.cell a")
    expect(links.first).to_be_visible()
    links.first.focus()
    for step in range(40):  # across a row and on to the next ones
        position = page.evaluate(FOCUSED_CELL_AND_NAMES)
        assert position["cell_left"] >= position["names_right"] - 1, f"tab {step}: under the names: {position}"
        assert position["cell_top"] >= position["header_bottom"] - 1, f"tab {step}: under the header: {position}"
        assert position["cell_right"] <= position["totals_left"] + 1, f"tab {step}: under the totals: {position}"
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.matrix tbody th')"):
            page.keyboard.press("Tab")  # past the next student's name, to their first cell
        if not page.evaluate("!!document.activeElement.closest('.matrix td.cell')"):
            break
    assert step > 8, f"only {step} cells reached with Tab"


TOTALS_IN_VIEW = """() => {
    const box = document.querySelector('.matrix-wrap'), edge = box.getBoundingClientRect().right;
    const totals = [...document.querySelectorAll('.matrix thead th:last-child, .matrix .matrix__total')];
    return {wider: box.scrollWidth > box.clientWidth, heading: totals[0].textContent.trim().slice(0, 5),
            past_the_edge: totals.filter(cell => cell.getBoundingClientRect().right > edge + 0.5).length};
}"""


def test_the_dashboards_totals_stay_in_view_beside_a_table_wider_than_the_page(as_person):
    page = as_person("instructor", viewport={"width": 1280, "height": 900})
    page.goto(f"{C}/dashboard/")
    expect(page.locator(".matrix .matrix__total").first).to_be_visible()
    shown = page.evaluate(TOTALS_IN_VIEW)
    assert shown["wider"], "the demo's four assignments no longer make the table wider than the page"
    assert shown == {"wider": True, "heading": "Total", "past_the_edge": 0}, shown
    # Scrolled to its last assignment, a row's totals are still one column, not drawn over by the cells.
    page.locator(".matrix-wrap").evaluate("box => box.scrollLeft = box.scrollWidth")
    assert page.evaluate(TOTALS_IN_VIEW)["past_the_edge"] == 0
    last = page.locator(".matrix thead th").nth(-2).bounding_box()
    totals = page.locator(".matrix thead th").last.bounding_box()
    assert last["x"] + last["width"] <= totals["x"] + 1, f"the last assignment is under the totals: {last}, {totals}"


def test_a_long_unbroken_essay_title_fits_a_phone_on_the_essay_beside_it_and_in_lists(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Long Names")
    assignment_id = create_assignment(instructor, slug, "Place names", "Whose names stay on the map?")
    writer, first = essay_by_new_student(new_context, code, slug, assignment_id, "Ana Short", "Long Names",
                                         "Short", "Names are kept.")
    essay_by_new_student(new_context, code, slug, assignment_id, "Tama Long", "Long Names",
                         "Taumatawhakatangihangakoauauotamateaturipukakapikimaungahoronukupokaiwhenuakitanatahu",
                         "A hill in Hawke's Bay.")
    long_title = "Taumatawhakatangihangakoauauotamateaturipukakapikimaungahoronukupokaiwhenuakitanatahu"
    writer.set_viewport_size({"width": 360, "height": 740})
    writer.goto(first)
    expect(writer.locator(".post-navigation")).to_contain_text("Taumata")
    assert writer.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways"
    for listing in (f"/c/{slug}/blog/", f"/c/{slug}/search?q={long_title}"):
        writer.goto(listing)
        expect(writer.locator(".post-summary__title").first).to_be_visible()
        assert writer.evaluate("document.documentElement.scrollWidth") <= 360, f"{listing} scrolls sideways"


def test_a_long_address_in_an_essay_fits_a_phone_in_the_blogs_excerpt(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Sound Archives")
    assignment_id = create_assignment(instructor, slug, "Recordings", "Which recording changed a city?")
    address = "https://archive.example.org/2008/06/originaldixielandjazzbandwithalbernard-stlouisblues.mp3"
    writer, _ = essay_by_new_student(new_context, code, slug, assignment_id, "Ana Short", "Sound Archives",
                                     "St. Louis Blues", f"Listen first: {address} and then read on.")
    writer.set_viewport_size({"width": 390, "height": 740})
    writer.goto(f"/c/{slug}/blog/")
    expect(writer.locator(".post-summary__excerpt").first).to_contain_text("originaldixieland")
    assert writer.evaluate("document.documentElement.scrollWidth") <= 390, "the blog scrolls sideways"


FOCUSED_AND_EDITOR_BAR = """() => { const field = document.activeElement.getBoundingClientRect();
    const bar = document.querySelector('.editor__actions').getBoundingClientRect();
    return {name: document.activeElement.name || document.activeElement.textContent.trim(),
            field_bottom: field.bottom, bar_top: bar.top,
            in_bar: !!document.activeElement.closest('.editor__actions')}; }"""


@pytest.mark.parametrize("width", [390, 1280])
def test_an_editor_field_reached_with_tab_is_not_under_the_save_and_publish_bar(as_person, width):
    page = as_person("student", viewport={"width": width, "height": 740})
    page.goto(f"{C}/posts/new")
    page.get_by_label("Title").focus()
    for step in range(30):  # down the details to the buttons themselves
        page.keyboard.press("Tab")
        position = page.evaluate(FOCUSED_AND_EDITOR_BAR)
        if position["in_bar"]:
            break
        if position["name"] == "body":
            continue  # the essay box is taller than the window; its top is what is seen
        assert position["field_bottom"] <= position["bar_top"] + 1, f"tab {step}: under the bar: {position}"
    else:
        pytest.fail("Tab never reached Save draft")


def test_a_students_long_name_fits_a_phone_on_their_dashboard_and_grading_pages(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Long People")
    assignment_id = create_assignment(instructor, slug, "Family names", "Where does your name come from?")
    name = "Maximiliana Konstantinopoulou-Wolfeschlegelsteinhausenbergerdorff"
    essay_by_new_student(new_context, code, slug, assignment_id, name, name, "A name of two houses",
                         "Both families kept theirs.")
    instructor.set_viewport_size({"width": 390, "height": 740})
    instructor.goto(f"/c/{slug}/dashboard/assignments/{assignment_id}")
    instructor.get_by_role("link", name=name, exact=True).click()
    expect(instructor.get_by_role("heading", level=1, name=name)).to_be_visible()
    assert instructor.evaluate("document.documentElement.scrollWidth") <= 390, "the student's page scrolls sideways"
    instructor.get_by_role("link", name=re.compile("^Not graded")).click()
    expect(instructor.get_by_role("heading", level=1, name=name)).to_be_visible()
    assert instructor.evaluate("document.documentElement.scrollWidth") <= 390, "the grading page scrolls sideways"


LATEST_BAR_AND_BOX = """() => {
    const box = document.querySelector('#activity-heading ~ [role=region]');
    const bars = [...box.querySelectorAll('rect.chart__bar')].map(bar => bar.getBoundingClientRect());
    const latest = bars.reduce((a, b) => (b.right > a.right ? b : a));
    const first = bars.reduce((a, b) => (b.left < a.left ? b : a));
    const seen = box.getBoundingClientRect();
    return {latest_right: latest.right, first_left: first.left, box_left: seen.left, box_right: seen.right,
            wider: box.scrollWidth > box.clientWidth};
}"""


def test_the_activity_chart_opens_on_its_latest_days_when_wider_than_the_screen(as_person):
    page = phone(as_person, 390)
    page.goto(f"{C}/dashboard/activity")
    chart = page.get_by_role("region", name=re.compile("^Activity chart"))
    expect(chart).to_be_visible()
    seen = page.evaluate(LATEST_BAR_AND_BOX)
    assert seen["wider"], f"the demo's chart fits 390 px, so this test shows nothing: {seen}"
    # This week, the days an instructor looks for, are in view; the term's first days are a scroll away.
    assert seen["box_left"] <= seen["latest_right"] <= seen["box_right"] + 0.5, seen
    assert seen["first_left"] < seen["box_left"], seen
    chart.evaluate("box => box.scrollBy(-box.scrollWidth, 0)")  # as far back as the chart goes
    seen = page.evaluate(LATEST_BAR_AND_BOX)
    assert seen["box_left"] - 0.5 <= seen["first_left"], f"the first days cannot be reached: {seen}"


def test_the_activity_chart_starts_at_the_left_when_it_fits(as_person):
    page = as_person("instructor", viewport={"width": 1280, "height": 900})
    page.goto(f"{C}/dashboard/activity")
    box = page.get_by_role("region", name=re.compile("^Activity chart"))
    chart = box.locator("svg")
    assert not box.evaluate("box => box.scrollWidth > box.clientWidth"), "the demo's chart is wider than 1280 px"
    assert abs(chart.bounding_box()["x"] - box.bounding_box()["x"]) <= 0.5, "the chart sits away from the left"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_blog_search_is_above_the_essays_on_a_phone_and_beside_them_on_a_desktop(as_person, width):
    page = as_person("student", viewport={"width": width, "height": 900})
    page.goto(f"{C}/blog/")
    search = page.get_by_role("search").bounding_box()
    first = page.locator(".post-summary").first.bounding_box()
    if width < 600:
        assert search["y"] + search["height"] <= first["y"], "the search is not above the essays on a phone"
        assert search["y"] < 900, "the search is not on the first screen of a phone"
    else:
        assert search["x"] >= first["x"] + first["width"], "the search is not in the side column"
        assert search["y"] < 300, "the search does not head the side column"


LONG_SECTION = "Section 12 · Tuesday and Thursday evenings, Harbour campus B"  # 60 characters
ROW_HEIGHTS = """() => Object.fromEntries([...document.querySelectorAll('.matrix tbody tr')]
    .map(row => [row.querySelector('th').textContent.trim(), row.getBoundingClientRect().height]))"""


def test_a_long_section_name_does_not_make_its_dashboard_row_taller(new_context, tmp_path):
    instructor, slug, code = instructor_with_course(new_context, "Long Sections")
    for number in range(1, 6):  # a table wider than the page, as by mid-term: the Section column is narrow
        create_assignment(instructor, slug, f"Harbour {number}", "Which harbour made its city?")
    people = [(f"{unique('short')}@example.org", "Ana Short", "A"),
              (f"{unique('long')}@example.org", "Tama Long", LONG_SECTION)]
    for email, name, _section in people:
        student = new_context().new_page()
        sign_up(student, email, name, PASSWORD)
        join_course(student, code, course_name=name)
    import_roster(instructor, tmp_path, *people, course=f"/c/{slug}")
    expect(instructor.get_by_role("cell", name=LONG_SECTION, exact=True)).to_be_visible()
    instructor.set_viewport_size({"width": 1280, "height": 900})
    instructor.goto(f"/c/{slug}/dashboard/")
    table = instructor.locator(".matrix")
    expect(table).to_be_visible()
    heights = instructor.evaluate(ROW_HEIGHTS)
    assert heights["Tama Long"] <= heights["Ana Short"] + 0.5, f"the long section's row is taller: {heights}"
    widths = table.evaluate("t => [...t.querySelector('tbody tr').cells].slice(0, 2).map(c => c.offsetWidth)")
    assert widths[1] <= widths[0], f"the Section column is wider than the names: {widths}"  # no wider table
    # Cut short for the eye only: a screen reader reads the whole name, and hovering shows it.
    cell = table.get_by_role("row", name=re.compile("^Tama Long")).get_by_role("cell").first
    expect(cell).to_have_text(LONG_SECTION)
    expect(cell).to_have_attribute("title", LONG_SECTION)
    # The grading queue cuts it at three lines the same way; a phone's card, with room to wrap, shows it whole.
    assignment = table.locator("thead a[href*='/dashboard/assignments/']").first.get_attribute("href")
    instructor.goto(assignment.split("?")[0].rstrip("/") + "/grading")
    cell = instructor.get_by_role("row", name=re.compile("^Tama Long")).get_by_role("cell").first
    expect(cell).to_have_text(LONG_SECTION)
    expect(cell).to_have_attribute("title", LONG_SECTION)
    assert cell.locator(".section-name").evaluate(CUT_TO_LINES) == 3
    instructor.set_viewport_size({"width": 390, "height": 800})
    assert cell.locator(".section-name").evaluate(CUT_TO_LINES) is None


CUT_TO_LINES = """name => name.scrollHeight > name.clientHeight + 1
    ? Math.round(name.clientHeight / parseFloat(getComputedStyle(name).lineHeight)) : null"""
