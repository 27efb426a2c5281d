"""Text that can go into an XML 1.0 document: feeds and the WordPress export.

XML 1.0 forbids most C0 control characters, lone surrogates and U+FFFE/U+FFFF anywhere in a document, even
escaped. A student can type them (a pasted vertical tab, a JSON "\\u0001"); feedgenerator then refuses the
whole feed and a WordPress export would not parse. They are removed from every value written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from feedgenerator import Atom1Feed

NOT_IN_XML = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str | None) -> str:
    return NOT_IN_XML.sub("", value or "")


def _safe(value):
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return [xml_text(v) for v in value]
    return value


def _all_safe(args: Iterable, kwargs: dict) -> tuple[list, dict]:
    return [_safe(a) for a in args], {k: _safe(v) for k, v in kwargs.items()}


class XmlSafeAtomFeed(Atom1Feed):
    """An Atom feed whose every text value, of the feed and of each entry, is made XML text first."""

    def __init__(self, *args, **kwargs):
        args, kwargs = _all_safe(args, kwargs)
        super().__init__(*args, **kwargs)

    def add_item(self, *args, **kwargs):
        args, kwargs = _all_safe(args, kwargs)
        super().add_item(*args, **kwargs)
