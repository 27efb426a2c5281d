"""The header rules of Canvas's gradebook importer (GradebookImporter in canvas-lms), in Python, for tests.

Canvas finds the student columns from the header (`Student`, `ID`, optional `SIS User ID`/`SIS Login ID`,
`Section` last), drops non-assignment columns (Current/Final/Override Score, Points, Grade), reads an
assignment id from a title ending in ` (<digits>)`, and takes points from a row whose first cell contains
`Points Possible`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

NON_ASSIGNMENT = re.compile(
    "Current Score|Current Points|Current Grade|Final Score|Final Points|Final Grade|"
    "Override Score|Override Grade|Override Status"
)
TITLE_AND_ID = re.compile(r"\A(.*)\s\((\d+)\)\Z", re.S)


class InvalidHeaderRow(ValueError):
    pass


@dataclass
class CanvasImport:
    student_columns: list[str]
    assignments: list[tuple[str, str | None, int]]  # (title, canvas id, column index)
    points: dict[int, str] = field(default_factory=dict)  # column index -> points possible
    students: list[list[str]] = field(default_factory=list)

    def cell(self, student: int, title: str) -> str:
        index = next(i for t, _, i in self.assignments if t == title)
        return self.students[student][index].strip()


def title_and_id(header: str) -> tuple[str, str | None]:
    match = TITLE_AND_ID.match(header)
    return (match.group(1), match.group(2)) if match else (header, None)


def _student_column_count(row: list[str]) -> int:
    first_last = row[0] == "LastName" and row[1] == "FirstName"
    count = base = 4 if first_last else 3
    if re.search(r"SIS\s+Login\s+ID", row[base - 1]):
        count += 1
    elif re.search(r"SIS\s+User\s+ID", row[base - 1]) and re.search(r"SIS\s+Login\s+ID", row[base]):
        count += 2 + (1 if len(row) > base + 1 and re.search(r"Integration\s+ID", row[base + 1]) else 0)
    return count


def parse(text: str) -> CanvasImport:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = rows[0]
    has_student = len(header) > 3 and "Student" in header[0] and "ID" in header[1]
    has_names = len(header) > 4 and "LastName" in header[0] and "FirstName" in header[1] and "ID" in header[2]
    if not (has_student or has_names):
        raise InvalidHeaderRow(header)
    count = _student_column_count(header)
    if "Section" not in header[count - 1]:
        raise InvalidHeaderRow(header)
    assignments = []
    for index, name in enumerate(header[count:], start=count):
        if NON_ASSIGNMENT.search(name):
            continue
        title, canvas_id = title_and_id(name)
        assignments.append((title, canvas_id, index))
    result = CanvasImport(header[:count], assignments)
    for row in rows[1:]:
        if not row or all(re.fullmatch(r"[;, ]*", cell) for cell in row):
            continue
        if "Points Possible" in row[0]:
            result.points = {i: row[i] for _, _, i in assignments if i < len(row)}
        else:
            result.students.append(row)
    return result
