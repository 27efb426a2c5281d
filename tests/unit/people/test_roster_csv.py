"""Reading roster files: every Canvas and Moodle fixture, and the ways a file goes wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursesite.people.roster_csv import RosterFileError, RosterRow, parse_roster

FIXTURES = Path(__file__).parent.parent.parent / "fixtures" / "roster"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse(text: str):
    return parse_roster(text.encode())


# --- the shared Canvas and Moodle files ---------------------------------------------------------------


def test_canvas_basic_course():
    parsed = parse_roster(fixture("basic_course.reconstructed.csv"))
    assert parsed.source == "Canvas gradebook export"
    assert len(parsed.rows) == 7 and parsed.problems == []
    assert [s.line for s in parsed.skipped] == [2]
    assert "Points Possible" in parsed.skipped[0].reason
    assert parsed.rows[0] == RosterRow(line=3, name="Bill Blend", section="My Course", canvas_user_id="6")
    assert parsed.ignored == ["Assignment 1", "Comments", "Final Score (read only)"]


def test_canvas_pristine():
    parsed = parse_roster(fixture("pristine.reconstructed.csv"))
    assert len(parsed.rows) == 13 and parsed.problems == []
    assert {row.canvas_user_id for row in parsed.rows} == {str(n) for n in range(1, 14)}


def test_canvas_some_changes_refuses_the_shared_id():
    parsed = parse_roster(fixture("some_changes.reconstructed.csv"))
    assert len(parsed.rows) == 6
    assert [p.line for p in parsed.problems] == [5, 10]
    assert parsed.problems[0].reason == "Canvas ID “10” is on lines 5, 10; each person needs their own"


def test_canvas_rows_shorter_than_header_are_refused_line_by_line():
    parsed = parse_roster(fixture("basic_course_with_sis_login_id.csv"))
    assert parsed.rows == []
    assert [p.line for p in parsed.problems] == [3, 4, 5, 6, 7, 8, 9]
    assert parsed.problems[0].reason == "has 6 values but the header has 7 columns"


def test_canvas_last_and_first_names_with_one_login_id_for_everyone():
    parsed = parse_roster(fixture("valid_gradebook_contents_with_last_and_first_names.csv"))
    assert parsed.rows == [] and len(parsed.problems) == 7
    assert parsed.problems[0].reason.startswith("SIS Login ID “My Course” is on lines 3, 4, 5, 6, 7, 8, 9")
    assert parsed.columns["first_name"] == "FirstName" and parsed.columns["last_name"] == "LastName"


def test_canvas_default_gradebook_has_no_identifying_column():
    with pytest.raises(RosterFileError, match="No column says who each person is"):
        parse_roster(fixture("default_gradebook.csv"))


def test_wat_is_not_a_csv():
    with pytest.raises(RosterFileError, match=r"Line 1 is not valid CSV .*Is this a CSV file\?"):
        parse_roster(fixture("wat.invalid.csv"))


@pytest.mark.parametrize(
    ("name", "emails"),
    [
        ("upload_users.csv", ["jonest@someplace.edu", "reznor@someplace.edu"]),
        ("upload_users_enrol_date_period.csv", ["student1@example.com", "student2@example.com"]),
        ("uploaduser_example.csv", ["s1@example.com", "s2@example.com", "s3@example.com"]),
        ("gradeimport_oktext.csv", ["student7@example.com", "student5@example.com"]),
    ],
)
def test_moodle_files(name, emails):
    parsed = parse_roster(fixture(name))
    assert [row.email for row in parsed.rows] == emails
    assert parsed.problems == [] and parsed.skipped == []
    assert "password" not in parsed.columns.values()


def test_moodle_upload_users_details():
    rows = parse_roster(fixture("upload_users.csv")).rows
    assert rows[0] == RosterRow(line=2, email="jonest@someplace.edu", name="Tom Jones", section="Section 1",
                                sis_login_id="jonest")


def test_moodle_grade_export_reads_first_name_and_surname():
    rows = parse_roster(fixture("gradeimport_oktext.csv")).rows
    assert [row.name for row in rows] == ["Anne Able", "Bobby Bunce"]


# --- plain files ----------------------------------------------------------------------------------


def test_plain_file_with_every_column():
    parsed = parse("Email,Name,Role,Section,SIS_ID\nA@Example.org, Ann  Lee ,TA,Lab 1,S-1\nb@example.org,,,,\n")
    assert parsed.rows == [
        RosterRow(line=2, email="a@example.org", name="Ann Lee", role="ta", section="Lab 1", sis_user_id="S-1"),
        RosterRow(line=3, email="b@example.org"),
    ]


def test_utf8_with_bom_and_crlf():
    parsed = parse_roster("\ufeffemail,name\r\nz@example.org,Zoë Ünal\r\n".encode())
    assert parsed.rows == [RosterRow(line=2, email="z@example.org", name="Zoë Ünal")]


def test_cr_only_line_endings_and_semicolons():
    parsed = parse("email;name\rx@example.org;X One\ry@example.org;Y Two\r")
    assert [(row.line, row.email) for row in parsed.rows] == [(2, "x@example.org"), (3, "y@example.org")]


def test_line_numbers_count_physical_lines():
    parsed = parse('email,name\n\nx@example.org,"two\nlines"\nnot-an-email,Bad\n')
    assert parsed.rows[0].line == 3
    assert parsed.problems[0].line == 5
    assert parsed.problems[0].reason == "“not-an-email” is not an email address"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("x@example.org,dean", "unknown role “dean”: use student, ta or instructor"),
        ("x@example.org,teacher", "the role “teacher” could mean instructor or TA: write instructor or ta"),
        (",student", "no email or ID says who this is"),
        ("x@example.org,student,extra", "has 3 values but the header has 2 columns"),
    ],
)
def test_bad_lines_are_reported_with_their_reason(line, reason):
    parsed = parse(f"email,role\n{line}\nok@example.org,student\n")
    assert [(p.line, p.reason) for p in parsed.problems] == [(2, reason)]
    assert [row.email for row in parsed.rows] == ["ok@example.org"]


def test_same_email_twice_refuses_both_lines():
    parsed = parse("email\nx@example.org\nX@example.org\ny@example.org\n")
    assert [p.line for p in parsed.problems] == [2, 3]
    assert [row.email for row in parsed.rows] == ["y@example.org"]


def test_roles_from_moodle_and_canvas_words():
    parsed = parse("email,role1\na@x.org,editingteacher\nb@x.org,Teaching Assistant\nc@x.org,StudentEnrollment\n")
    assert [row.role for row in parsed.rows] == ["instructor", "ta", "student"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"  \n\n ", "The file is empty."),
        (b"email,name\n", "The file has a header line but nobody in it."),
        ("email,name\nx@example.org,Zo\xeb\n".encode("latin-1"), "The file is not UTF-8 text (byte 28"),
        (b"email\x00,name\n", "binary data"),
        (b"name,section\nAnn,A\n", "No column says who each person is"),
        (b"email,Email Address\nx@example.org,y@example.org\n", "Two columns give the email"),
    ],
)
def test_whole_file_problems(data, message):
    with pytest.raises(RosterFileError) as caught:
        parse_roster(data)
    assert message in str(caught.value)


def test_too_many_people():
    text = "email\n" + "".join(f"p{n}@example.org\n" for n in range(3001))
    with pytest.raises(RosterFileError, match="more than 3000 people"):
        parse(text)


def test_a_file_far_over_the_limit_is_refused_without_checking_every_line(monkeypatch):
    """A 50,000-line file is refused after the line past the limit, not after checking all 50,000 addresses."""
    from coursesite.people import roster_csv

    checked = []
    real_row = roster_csv._row
    monkeypatch.setattr(roster_csv, "_row", lambda *args: checked.append(1) or real_row(*args))
    text = "email\n" + "".join(f"p{n}@example.org\n" for n in range(50_000))
    with pytest.raises(RosterFileError, match="more than 3000 people"):
        parse(text)
    assert len(checked) == roster_csv.MAX_ROWS + 1
