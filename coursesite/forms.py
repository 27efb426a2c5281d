"""Small helpers shared by every blueprint's forms."""

from __future__ import annotations

try:  # WTForms 3.3 deprecates (value, label) tuples as choices
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None


def strip(value):
    """A WTForms filter: surrounding spaces are never part of what someone meant to type."""
    return value.strip() if isinstance(value, str) else value


def choices(pairs) -> list:
    """(value, label) pairs in the form this WTForms version wants."""
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]
