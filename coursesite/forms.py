"""Small helpers shared by every blueprint's forms."""

from __future__ import annotations

import re

from flask import Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.routing import IntegerConverter
from wtforms import DateTimeLocalField

from coursesite.models.types import MAX_ID

# Years a course's dates may take: far from both ends of Python's datetimes, which year 9999 or year 1 in a
# course's zone passes when turned into UTC (and again when a copy moves dates by weeks).
EARLIEST_YEAR, LATEST_YEAR = 1970, 2199

try:  # WTForms 3.3 deprecates (value, label) tuples as choices
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None


def strip(value):
    """A WTForms filter: surrounding spaces are never part of what someone meant to type."""
    return value.strip() if isinstance(value, str) else value


def choices(items) -> list:
    """(value, label) pairs, or (value, label, the option's attributes), in the form this WTForms version wants."""
    if SelectChoice is None:
        return list(items)
    return [SelectChoice(*item) for item in items]


class FieldsWithoutNul(ImmutableMultiDict):
    """A request's fields (query string and form) with NUL characters dropped: nobody types one, and PostgreSQL
    refuses text that holds one, so a stray NUL in a comment or an essay was a server error."""

    def __init__(self, mapping=None):
        if mapping is not None:
            mapping = [(_without_nul(key), _without_nul(value)) for key, value in iter_multi_items(mapping)]
        super().__init__(mapping)


def _without_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


# JSON may escape half of a UTF-16 pair ("\ud800"), which neither a database nor the HTML sanitizer takes; a
# form's undecodable bytes become U+FFFD, and so does such a half.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _plain_json(value, depth: int = 0):
    """Strings cleaned where the app reads them: the object's values and the items of its lists (an essay's
    text, its terms); deeper nesting, which nothing reads, is left as it is rather than walked."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", _without_nul(value))
    if depth >= 2:
        return value
    if isinstance(value, list):
        return [_plain_json(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {_plain_json(key): _plain_json(item, depth + 1) for key, item in value.items()}
    return value


class CoursesiteRequest(Request):
    """Every field, query argument and JSON string the app reads is text a database and the sanitizer take."""

    parameter_storage_class = FieldsWithoutNul

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True):
        return _plain_json(super().get_json(force=force, silent=silent, cache=cache))


_ID_DIGITS = re.compile(r"[0-9]{1,10}")


def id_from(raw) -> int | None:
    """A row id sent in a form or a query string, or None for anything no id can be. ASCII digits only:
    int() also takes "+3", " 3", "3_0" and "٣", and a longer number overflows the database driver."""
    if not isinstance(raw, str) or not _ID_DIGITS.fullmatch(raw):
        return None
    number = int(raw)
    return number if number <= MAX_ID else None


def coerce_id(value) -> int:
    """`coerce` for a choice of rows: a ValueError, which WTForms shows as an invalid choice, for what id_from
    refuses. The choices themselves are ints already."""
    number = value if isinstance(value, int) else id_from(value)
    if number is None:
        raise ValueError("not an id")
    return number


def page_number(argument: str = "page") -> int:
    """`?page=N` (or another `argument`) of a paged list: the first page when it is absent or no number ("abc",
    "-1", "2.5", "٣"); a 404 for a number past any page, which the database could not even take."""
    raw = request.args.get(argument, "")
    if not (raw.isascii() and raw.isdigit()):
        return 1
    number = id_from(raw)
    if number is None:
        abort(404)
    return max(number, 1)


SEARCH_MAX_CHARS = 100


def search_text(argument: str = "q") -> str:
    """`?q=` of a searchable list of students: what was typed, without surrounding spaces, at most 100 characters."""
    return (request.args.get(argument) or "").strip()[:SEARCH_MAX_CHARS]


class BoundedDateTimeField(DateTimeLocalField):
    """<input type=datetime-local> whose year lies in EARLIEST_YEAR..LATEST_YEAR; else a field error."""

    def __init__(self, label=None, validators=None, **kwargs):
        # The browser's date picker keeps to the same years (the server still checks).
        kwargs["render_kw"] = {"min": f"{EARLIEST_YEAR}-01-01T00:00", "max": f"{LATEST_YEAR}-12-31T23:59",
                               **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not EARLIEST_YEAR <= self.data.year <= LATEST_YEAR:
            self.data = None
            raise ValueError(f"Enter a date between {EARLIEST_YEAR} and {LATEST_YEAR}.")


CONFIRM_FIELD = "confirm"


def confirmed() -> bool:
    """A destructive form was sent with its confirmation ticked (the confirm_box macro): a POST carrying
    only a form token must not destroy anything."""
    return request.form.get(CONFIRM_FIELD) == "yes"


class IdConverter(IntegerConverter):
    """`<int:...>` in addresses: a number no id can reach is a 404, not a database error."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 - Werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
