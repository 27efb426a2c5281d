import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursesite.grading.gradebook_csv import (
    Gradebook,
    GradebookItem,
    GradebookRow,
    Person,
    canvas_csv,
    canvas_title,
    plain_csv,
    safe_text,
)
from coursesite.grading.rules import AssignmentRules, assignment_result
from tests import canvas_rules

# Canvas's own gradebook fixtures, kept with the roster import's (see tests/fixtures/roster/README.md).
FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "roster"
RULES = AssignmentRules(post_points=10, comment_points=5, required_comments=2)
ESSAY_1 = GradebookItem("Essay 1: Cold War", "4512", RULES)
ESSAY_2 = GradebookItem("Essay 2", None, RULES)


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def book(*rows: GradebookRow, items=(ESSAY_1, ESSAY_2)) -> Gradebook:
    return Gradebook(tuple(items), tuple(rows))


def student(name="Amara Okafor", *results, **ids) -> GradebookRow:
    return GradebookRow(Person(name, **ids), tuple(results))


GRADED = assignment_result(RULES, essay=8, qualifying=1)  # 8 + 2.5
NONE = assignment_result(RULES, essay=None, qualifying=2)
EXCUSED = assignment_result(RULES, essay=None, excused=True)


@pytest.mark.parametrize("name", ["basic_course.reconstructed.csv", "basic_course_with_sis_login_id.csv",
                                  "pristine.reconstructed.csv", "some_changes.reconstructed.csv",
                                  "valid_gradebook_contents_with_last_and_first_names.csv"])
def test_the_canvas_rules_read_canvas_own_fixtures(name):
    parsed = canvas_rules.parse((FIXTURES / name).read_text())
    assert parsed.student_columns[-1] == "Section"
    assert parsed.assignments and all(canvas_id is None for _, canvas_id, _ in parsed.assignments)
    assert "Final Score (read only)" not in [title for title, _, _ in parsed.assignments]


def test_the_canvas_rules_read_points_possible_as_canvas_writes_it():
    parsed = canvas_rules.parse((FIXTURES / "pristine.reconstructed.csv").read_text())
    assert set(parsed.points.values()) == {"20"}
    assert len(parsed.students) == 13


@pytest.mark.parametrize("name", ["wat.invalid.csv", "default_gradebook.csv"])
def test_the_canvas_rules_refuse_what_canvas_refuses(name):
    with pytest.raises(canvas_rules.InvalidHeaderRow):
        canvas_rules.parse((FIXTURES / name).read_text())


def test_canvas_header_points_row_and_ids():
    text = canvas_csv(book(student("Amara Okafor", GRADED, EXCUSED, canvas_user_id="77", sis_user_id="S1",
                                   sis_login_id="aokafor", section="Section A")))
    rows = rows_of(text)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Essay 1: Cold War (4512)",
                       "Essay 2"]
    assert rows[1] == ["Points Possible", "", "", "", "", "15", "15"]
    assert rows[2] == ["Amara Okafor", "77", "S1", "aokafor", "Section A", "10.5", "EX"]
    parsed = canvas_rules.parse(text)
    assert parsed.student_columns == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert [(t, i) for t, i, _ in parsed.assignments] == [("Essay 1: Cold War", "4512"), ("Essay 2", None)]
    assert list(parsed.points.values()) == ["15", "15"]
    assert parsed.cell(0, "Essay 2") == "EX"


def test_unknown_ids_are_blank_and_ungraded_cells_empty():
    rows = rows_of(canvas_csv(book(student("Chen Wei", GRADED, NONE), student("Hana Sato", NONE, GRADED))))
    assert rows[2] == ["Chen Wei", "", "", "", "", "10.5", ""]
    assert rows[3] == ["Hana Sato", "", "", "", "", "", "10.5"]


def test_columns_nobody_has_a_score_in_are_left_out():
    rows = rows_of(canvas_csv(book(student("Chen Wei", NONE, GRADED))))
    assert rows[0][5:] == ["Essay 2"]
    assert rows[2][5:] == ["10.5"]


def test_no_grades_still_gives_the_header_rows():
    text = canvas_csv(book(student("Chen Wei", NONE, NONE)))
    rows = rows_of(text)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[1] == ["Points Possible", "", "", "", ""]
    assert rows[2] == ["Chen Wei", "", "", "", ""]
    assert canvas_rules.parse(text).assignments == []
    assert rows_of(canvas_csv(Gradebook((), ()))) == [rows[0], rows[1]]


def test_separate_columns_for_essay_and_comments():
    late = assignment_result(AssignmentRules(10, 5, 2, "closed"), essay=9, qualifying=2,
                             late_by=timedelta(hours=1))
    rows = rows_of(canvas_csv(book(student("A", late, NONE)), separate=True))
    assert rows[0][5:] == ["Essay 1: Cold War: essay", "Essay 1: Cold War: comments"]
    assert rows[1][5:] == ["10", "5"]
    assert rows[2][5:] == ["0", "5"]


def test_only_numeric_canvas_ids_become_the_suffix():
    assert canvas_title("Essay", " 123 ") == "Essay (123)"
    assert canvas_title("Essay", "abc") == "Essay"
    assert canvas_title("Essay", None) == "Essay"


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil\")", "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_formula_cells_are_written_as_text(text):
    assert safe_text(text) == '="' + text.replace('"', '""') + '"'


def test_formula_injection_in_names_sections_and_titles():
    item = GradebookItem("=1+1", None, RULES)
    text = canvas_csv(book(student("=cmd|' /C calc'!A0", GRADED, section="@Section", sis_login_id="-x"),
                           items=[item]))
    rows = rows_of(text)
    assert rows[0][5] == '="=1+1"'
    assert rows[2][0] == '="=cmd|\' /C calc\'!A0"'
    assert rows[2][3] == '="-x"'
    assert rows[2][4] == '="@Section"'
    assert rows[2][5] == "10.5"  # a number, never escaped


def test_names_with_commas_quotes_and_any_script_survive():
    names = ['Okafor, Amara', 'Dana "DJ" Jones', "Chen Wei 陈伟", "Zoë Ødegård", "O'Connell, Liam"]
    text = canvas_csv(book(*(student(n, GRADED, NONE) for n in names)))
    assert [row[0] for row in rows_of(text)[2:]] == names
    assert '"Okafor, Amara"' in text and '"Dana ""DJ"" Jones"' in text


def test_plain_csv_has_essay_comments_and_total_per_assignment():
    rows = rows_of(plain_csv(book(student("Amara Okafor", GRADED, EXCUSED, section="A"))))
    assert rows[0] == ["Email", "Name", "Section", "Essay 1: Cold War: essay", "Essay 1: Cold War: comments",
                       "Essay 1: Cold War: total", "Essay 2: essay", "Essay 2: comments", "Essay 2: total", "Total",
                       "Total possible"]
    assert rows[1] == ["", "Amara Okafor", "A", "8", "2.5", "10.5", "EX", "EX", "EX", "10.5", "15"]


def test_plain_csv_of_an_empty_course_is_the_header():
    assert rows_of(plain_csv(Gradebook((ESSAY_1,), ()))) == [[
        "Email", "Name", "Section", "Essay 1: Cold War: essay", "Essay 1: Cold War: comments",
        "Essay 1: Cold War: total", "Total", "Total possible"]]


text_cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(st.lists(st.tuples(text_cells, text_cells, st.one_of(st.none(), st.floats(0, 10))), min_size=1, max_size=5))
def test_every_text_cell_round_trips_or_is_defused(people):
    rows = []
    for name, section, essay in people:
        rows.append(student(name, assignment_result(RULES, essay=essay), section=section))
    text = canvas_csv(book(*rows, items=[ESSAY_1]))
    parsed = rows_of(text)
    assert len(parsed) == 2 + len(people)
    for (name, section, essay), row in zip(people, parsed[2:], strict=True):
        for original, written in ((name, row[0]), (section, row[4])):
            assert written == safe_text(original)
            assert not written.startswith(("+", "-", "@", "\t", "\r")) and (
                not written.startswith("=") or written.startswith('="'))
        if len(row) > 5:
            assert (row[5] == "") if essay is None else (float(row[5]) >= 0)


def test_asked_for_every_item_the_canvas_file_keeps_columns_nobody_has_a_score_in():
    rows = rows_of(canvas_csv(book(student("Chen Wei", NONE, GRADED)), every_item=True))
    assert rows[0][5:] == ["Essay 1: Cold War (4512)", "Essay 2"]
    assert rows[1][5:] == ["15", "15"]
    assert rows[2][5:] == ["", "10.5"]
