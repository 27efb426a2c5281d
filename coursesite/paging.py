"""Lists of students read fifty at a time (the participation table, an assignment's essays, the grading queue,
the roster, an assignment's extensions): which page is shown, and that page's rows read with LIMIT/OFFSET."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select

from coursesite.extensions import db

ROWS_PER_PAGE = 50


@dataclass(frozen=True)
class ListPage:
    """One page of a list of students: a class of 300 is read fifty students at a time."""

    number: int
    count: int
    first: int  # 1-based position of the page's first student, for "Students 51–100 of 300"
    last: int
    total: int

    @classmethod
    def of(cls, total: int, number: int, per_page: int = ROWS_PER_PAGE) -> ListPage:
        """Page `number` of `total` rows (a page past the end is the last one)."""
        count = max(1, -(-total // per_page))
        number = min(max(number, 1), count)
        start = (number - 1) * per_page
        shown = max(0, min(per_page, total - start))
        return cls(number, count, start + 1 if shown else 0, start + shown, total)

    def shown(self, rows: list) -> list:
        """The page's part of the whole list of `rows`."""
        return rows[self.first - 1:self.last] if self.first else []


def read_page(query: Select, number: int, per_page: int = ROWS_PER_PAGE) -> tuple[ListPage, list]:
    """Page `number` of what `query` selects, and its rows: two statements, a count and the page's rows."""
    page = ListPage.of(count_rows(query), number, per_page)
    if not page.first:
        return page, []
    return page, list(db.session.scalars(query.limit(per_page).offset(page.first - 1)))


def count_rows(query: Select) -> int:
    """How many rows `query` selects (one statement)."""
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def place(search: str, number: int) -> dict:
    """A list's search and page as url_for arguments, each left out where it is the default."""
    return {"q": search or None, "page": number if number > 1 else None}
