"""Reading a roster CSV: pure functions of the file's bytes, no database.

Headers are matched by name, case-insensitively, so plain files (`email,name,role,section,sis_id`),
Canvas gradebook exports (`Student, ID, SIS User ID, SIS Login ID, Section, ...`, with a "Points
Possible" row and no email) and Moodle user uploads (`username, email, firstname, lastname, idnumber,
...`) all read the same way. A whole-file problem raises RosterFileError; a bad line becomes a
LineProblem and the other lines still count.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

MAX_ROWS = 3000
ID_FIELDS = ("canvas_user_id", "sis_user_id", "sis_login_id")
FIELD_LABELS = {
    "email": "email",
    "name": "name",
    "first_name": "first name",
    "last_name": "last name",
    "role": "role",
    "section": "section",
    "canvas_user_id": "Canvas ID",
    "sis_user_id": "SIS User ID",
    "sis_login_id": "SIS Login ID",
}
# Normalised header (lower case, single spaces) -> field. "student" is Canvas's "Last, First" column.
HEADERS = {
    **dict.fromkeys(("email", "e mail", "email address", "e mail address", "mail"), "email"),
    **dict.fromkeys(("name", "full name", "display name", "student name", "student"), "name"),
    **dict.fromkeys(("first name", "firstname", "given name"), "first_name"),
    **dict.fromkeys(("last name", "lastname", "surname", "family name"), "last_name"),
    **dict.fromkeys(("role", "role1", "course role"), "role"),
    **dict.fromkeys(("section", "section name", "group", "group1"), "section"),
    **dict.fromkeys(("id", "canvas id", "canvas user id"), "canvas_user_id"),
    **dict.fromkeys(("sis user id", "sis id", "idnumber", "id number", "student id", "student number"), "sis_user_id"),
    **dict.fromkeys(("sis login id", "login id", "username"), "sis_login_id"),
}
ROLES = {
    **dict.fromkeys(("student", "students", "learner", "studentenrollment"), "student"),
    **dict.fromkeys(("ta", "teaching assistant", "non editing teacher", "noneditingteacher", "taenrollment"), "ta"),
    **dict.fromkeys(("instructor", "editing teacher", "editingteacher", "professor", "teacherenrollment"),
                    "instructor"),
}
MAX_LENGTHS = {"name": 120, "section": 80, "canvas_user_id": 64, "sis_user_id": 64, "sis_login_id": 128}


class RosterFileError(ValueError):
    """The file as a whole cannot be read; the message says why, for the instructor."""


@dataclass(frozen=True)
class RosterRow:
    line: int
    email: str | None = None
    name: str | None = None
    role: str | None = None
    section: str | None = None
    canvas_user_id: str | None = None
    sis_user_id: str | None = None
    sis_login_id: str | None = None

    @property
    def ids(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in ID_FIELDS if getattr(self, key)}

    @property
    def label(self) -> str:
        """How the preview names this person."""
        return self.name or self.email or ", ".join(f"{FIELD_LABELS[k]} {v}" for k, v in self.ids.items())


@dataclass(frozen=True)
class LineProblem:
    line: int
    reason: str


@dataclass
class ParsedRoster:
    rows: list[RosterRow]
    problems: list[LineProblem] = field(default_factory=list)
    skipped: list[LineProblem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field -> header as written in the file
    ignored: list[str] = field(default_factory=list)
    source: str = "plain CSV file"


def normalise_header(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.replace("\ufeff", "")).strip().lower()


def decode(data: bytes) -> str:
    if not data.strip():
        raise RosterFileError("The file is empty.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RosterFileError(
            f"The file is not UTF-8 text (byte {error.start + 1} is not UTF-8). "
            "Save it from your spreadsheet as “CSV UTF-8” and upload it again."
        ) from None
    if "\x00" in text:
        raise RosterFileError("The file holds binary data, not CSV text. Upload a .csv file.")
    return text


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts[","] else ","


def read_records(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, cells) of every record, blank lines left out."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(re.split(r"[\r\n]", text, maxsplit=1)[0]),
                        strict=True, skipinitialspace=True)
    records, line = [], 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise RosterFileError(f"Line {reader.line_num} is not valid CSV ({error}). Is this a CSV file?") from None
    return records


def map_columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    ignored = []
    for index, title in enumerate(header):
        key = HEADERS.get(normalise_header(title))
        if key is None:
            if title.strip():
                ignored.append(title.strip())
            continue
        if key in columns:
            raise RosterFileError(
                f"Two columns give the {FIELD_LABELS[key]}: “{header[columns[key]].strip()}” and “{title.strip()}”. "
                "Keep one and upload the file again."
            )
        columns[key] = index
    if "email" not in columns and not any(key in columns for key in ID_FIELDS):
        found = ", ".join(f"“{h.strip()}”" for h in header if h.strip()) or "none"
        raise RosterFileError(
            "No column says who each person is. The file needs an “email” column, or Canvas’s “ID”, "
            f"“SIS User ID” or “SIS Login ID”. Columns found: {found}."
        )
    return columns, ignored


def _source(header: list[str], skipped: list[LineProblem]) -> str:
    names = {normalise_header(h) for h in header}
    if names & {"student", "sis user id", "sis login id"} or skipped:
        return "Canvas gradebook export"
    if names & {"username", "idnumber", "id number", "firstname", "email address"}:
        return "Moodle export"
    return "plain CSV file"


def _canvas_name(cell: str) -> str:
    """Canvas writes "Last, First"; people read "First Last"."""
    last, comma, first = cell.partition(",")
    return f"{first.strip()} {last.strip()}".strip() if comma and first.strip() else cell


def _skip_reason(cells: list[str]) -> str | None:
    first = cells[0].strip().lower() if cells else ""
    if first.startswith("points possible"):
        return "Canvas’s “Points Possible” row, not a person"
    if first == "student, test" or first == "test student":
        return "Canvas’s test student, not a person"
    return None


def _row(line: int, cells: list[str], columns: dict[str, int], canvas_names: bool) -> RosterRow | LineProblem:
    values = {key: cells[index].strip() for key, index in columns.items()}
    name = values.pop("name", "")
    if name and canvas_names:
        name = _canvas_name(name)
    first, last = values.pop("first_name", ""), values.pop("last_name", "")
    name = name or f"{first} {last}".strip()
    values = {key: value for key, value in values.items() if value}
    if name:
        values["name"] = re.sub(r"\s+", " ", name)
    if "email" in values:
        try:
            values["email"] = validate_email(values["email"], check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            return LineProblem(line, f"“{values['email']}” is not an email address")
    elif not any(key in values for key in ID_FIELDS):
        return LineProblem(line, "no email or ID says who this is")
    if "role" in values:
        role = ROLES.get(normalise_header(values["role"]))
        if normalise_header(values["role"]) == "teacher":
            return LineProblem(line, "the role “teacher” could mean instructor or TA: write instructor or ta")
        if role is None:
            return LineProblem(line, f"unknown role “{values['role']}”: use student, ta or instructor")
        values["role"] = role
    for key, limit in MAX_LENGTHS.items():
        if len(values.get(key, "")) > limit:
            return LineProblem(line, f"the {FIELD_LABELS[key]} is longer than {limit} characters")
    return RosterRow(line=line, **values)


def _duplicates(rows: list[RosterRow]) -> dict[int, str]:
    """Lines that share an email or an ID with another line: which of them is right cannot be told."""
    seen: dict[tuple[str, str], list[RosterRow]] = {}
    for row in rows:
        for key in ("email", *ID_FIELDS):
            value = getattr(row, key)
            if value:
                seen.setdefault((key, value.lower()), []).append(row)
    reasons: dict[int, str] = {}
    for (key, _), same in seen.items():
        if len(same) > 1:
            where = ", ".join(str(row.line) for row in same)
            reason = f"{FIELD_LABELS[key]} “{getattr(same[0], key)}” is on lines {where}; each person needs their own"
            for row in same:
                reasons.setdefault(row.line, reason)
    return reasons


def parse_roster(data: bytes) -> ParsedRoster:
    records = read_records(decode(data))
    if not records:
        raise RosterFileError("The file is empty.")
    (_, header), body = records[0], records[1:]
    columns, ignored = map_columns(header)
    canvas_names = normalise_header(header[columns["name"]]) == "student" if "name" in columns else False
    used = {key: header[index].strip() for key, index in columns.items()}
    parsed = ParsedRoster(rows=[], ignored=ignored, columns=used)
    for line, cells in body:
        reason = _skip_reason(cells)
        if reason:
            parsed.skipped.append(LineProblem(line, reason))
        elif len(cells) != len(header):
            reason = f"has {len(cells)} values but the header has {len(header)} columns"
            parsed.problems.append(LineProblem(line, reason))
        else:
            result = _row(line, cells, columns, canvas_names)
            (parsed.problems if isinstance(result, LineProblem) else parsed.rows).append(result)
        if len(parsed.rows) + len(parsed.problems) > MAX_ROWS:  # said at once: the rest is not checked
            raise RosterFileError(f"The file lists more than {MAX_ROWS} people. Split it into smaller files.")
    parsed.source = _source(header, parsed.skipped)
    if not parsed.rows and not parsed.problems:
        raise RosterFileError("The file has a header line but nobody in it.")
    duplicated = _duplicates(parsed.rows)
    parsed.problems += [LineProblem(row.line, duplicated[row.line]) for row in parsed.rows if row.line in duplicated]
    parsed.rows = [row for row in parsed.rows if row.line not in duplicated]
    parsed.problems.sort(key=lambda problem: problem.line)
    return parsed


def rows_to_payload(rows: list[RosterRow]) -> list[list]:
    keys = ("line", "email", "name", "role", "section", *ID_FIELDS)
    return [[getattr(row, key) for key in keys] for row in rows]


def rows_from_payload(items: list[list]) -> list[RosterRow]:
    keys = ("line", "email", "name", "role", "section", *ID_FIELDS)
    rows = []
    for item in items:
        if not isinstance(item, list) or len(item) != len(keys):
            raise ValueError("malformed roster payload")
        rows.append(RosterRow(**dict(zip(keys, item, strict=True))))
    return rows
