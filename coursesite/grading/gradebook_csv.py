"""Gradebook files: the Canvas gradebook CSV and a plain CSV (for Moodle's mapped import or a spreadsheet).

Pure writers: they take a Gradebook of plain values and return the file's text.

Canvas reads its import this way (GradebookImporter in canvas-lms): the header starts `Student, ID`, then
`SIS User ID, SIS Login ID` and `Section`; every later column is a graded item whose title may end in
` (<digits>)`, read as the Canvas assignment id; a row whose first cell contains `Points Possible` gives the
points. It matches a student by Canvas ID, then SIS User ID, then SIS Login ID, then exact name. So:

- ids we do not know stay blank, never our own ids;
- an item carries ` (<id>)` only when the assignment has a numeric Canvas assignment id; without one, Canvas
  matches the column by title or creates a new assignment, so only items with at least one score or `EX`
  are written (an empty column would make Canvas create an empty assignment), unless every item is asked
  for (`every_item=True`: the file with unreleased assignments, which sets up their columns in Canvas);
- by default one column per assignment holds its total (essay after any late penalty + comment score), the
  number most instructors keep in Canvas; `separate=True` writes "Title: essay" and "Title: comments"
  columns instead, without Canvas ids, since one Canvas assignment cannot take two columns.

Every text cell starting with `=`, `+`, `-`, `@` (or a tab or carriage return) is written as `="…"`, so a
spreadsheet shows it as text instead of running it as a formula. Score cells are plain numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from coursesite.grading.rules import AssignmentResult, AssignmentRules, course_total, points_text

CANVAS_ID_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
POINTS_POSSIBLE = "Points Possible"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class GradebookItem:
    title: str
    canvas_id: str | None
    rules: AssignmentRules


@dataclass(frozen=True)
class Person:
    name: str
    email: str | None = None
    section: str | None = None
    canvas_user_id: str | None = None
    sis_user_id: str | None = None
    sis_login_id: str | None = None


@dataclass(frozen=True)
class GradebookRow:
    person: Person
    results: tuple[AssignmentResult, ...]  # one per item, in the items' order


@dataclass(frozen=True)
class Gradebook:
    items: tuple[GradebookItem, ...]
    rows: tuple[GradebookRow, ...]


def safe_text(text: str | None) -> str:
    """A text cell no spreadsheet will run as a formula."""
    text = text or ""
    if text.startswith(FORMULA_STARTS):
        return '="' + text.replace('"', '""') + '"'
    return text


def score_cell(value: str | float | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else points_text(value)


def canvas_title(title: str, canvas_id: str | None) -> str:
    canvas_id = (canvas_id or "").strip()
    return f"{title} ({canvas_id})" if canvas_id.isdigit() else title


def _canvas_columns(gradebook: Gradebook, separate: bool, every_item: bool) -> list[tuple[str, float, int, str]]:
    """(header, points possible, item index, part) for each score column."""
    columns = []
    for index, item in enumerate(gradebook.items):
        if not every_item and all(row.results[index].cell() is None for row in gradebook.rows):
            continue
        if separate:
            columns.append((f"{item.title}: essay", item.rules.post_points, index, "essay"))
            columns.append((f"{item.title}: comments", item.rules.comment_points, index, "comments"))
        else:
            columns.append((canvas_title(item.title, item.canvas_id), item.rules.possible, index, "total"))
    return columns


def _write(rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def canvas_csv(gradebook: Gradebook, *, separate: bool = False, every_item: bool = False) -> str:
    columns = _canvas_columns(gradebook, separate, every_item)
    lines = [
        [*CANVAS_ID_COLUMNS, *(safe_text(header) for header, _, _, _ in columns)],
        [POINTS_POSSIBLE, "", "", "", "", *(points_text(points) for _, points, _, _ in columns)],
    ]
    for row in gradebook.rows:
        p = row.person
        ids = [p.name, p.canvas_user_id, p.sis_user_id, p.sis_login_id, p.section]
        scores = [score_cell(row.results[index].cell(part)) for _, _, index, part in columns]
        lines.append([*(safe_text(text) for text in ids), *scores])
    return _write(lines)


def plain_csv(gradebook: Gradebook) -> str:
    """Email, name, section, then essay, comments and total per assignment, and the course total."""
    header = ["Email", "Name", "Section"]
    for item in gradebook.items:
        header += [f"{item.title}: essay", f"{item.title}: comments", f"{item.title}: total"]
    lines = [[safe_text(text) for text in [*header, "Total", "Total possible"]]]
    for row in gradebook.rows:
        p = row.person
        cells = [safe_text(p.email), safe_text(p.name), safe_text(p.section)]
        for result in row.results:
            cells += [score_cell(result.cell(part)) for part in ("essay", "comments", "total")]
        earned, possible = course_total(row.results)
        cells += [points_text(earned), points_text(possible)]
        lines.append(cells)
    return _write(lines)
