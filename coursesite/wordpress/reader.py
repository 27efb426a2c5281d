"""Reading a WXR file's XML a piece at a time: a worker holds one item's fields, never the whole tree.

The parser is hardened (defusedxml): no DTD, no entities, no external references; a DOCTYPE or an entity
bomb is refused before anything is expanded. It builds no tree: an element is made only for what the import
reads (the channel's fields, an author, an item's fields, one of its categories or comments), handed over as
soon as it ends, and forgotten. A file nested deeper, or holding more elements, items, comments, categories
or authors than any WordPress export of the size limit, is refused as soon as the count is passed, without
reading further.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import errors as expat_errors

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

WP_NAMESPACE = re.compile(r"^https?://(?:www\.)?wordpress\.org/export/\d+(?:\.\d+)*/$")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"

# A WordPress export nests 6 levels (rss, channel, item, wp:comment, wp:commentmeta, wp:meta_key) and spends
# 45 to 130 bytes per element, 1,100 or more per item and 680 or more per comment: at 32 MB, under 750,000
# elements, 31,000 items and 50,000 comments; a course blog holds far fewer. Each limit bounds what a hostile
# file of tiny elements costs, here and in the import's dry run (a few kilobytes per essay, comment and
# category it would write): the comments and categories a real export of the size limit holds, items enough
# for any course, elements and depth with a wide margin.
MAX_DEPTH = 100
MAX_ELEMENTS = 2_000_000
MAX_ITEMS = 20_000
MAX_COMMENTS = 50_000
MAX_TERMS = 50_000
MAX_AUTHORS = 20_000
# More wp namespaces than this are not listed: two already make the file unreadable.
SHOWN_NAMESPACES = 5
FEED_BYTES = 1024 * 1024
HANDED_OVER = frozenset({"item", "author", "comment", "category"})
TEXT_READ = frozenset({"field", "category"})

CHANNEL_FIELDS = frozenset({"title", "link"})
CHANNEL_WP_FIELDS = frozenset({"wxr_version", "base_site_url", "base_blog_url"})
ITEM_FIELDS = frozenset({"title", f"{{{DC_NS}}}creator", f"{{{CONTENT_NS}}}encoded"})
ITEM_WP_FIELDS = frozenset({"post_id", "post_date", "post_date_gmt", "post_name", "status", "post_type",
                            "post_password"})
COMMENT_WP_FIELDS = frozenset({"comment_id", "comment_author", "comment_author_email", "comment_author_url",
                               "comment_date", "comment_date_gmt", "comment_content", "comment_approved",
                               "comment_type", "comment_parent", "comment_user_id"})
AUTHOR_WP_FIELDS = frozenset({"author_id", "author_login", "author_email", "author_display_name"})


class WxrError(ValueError):
    """A file that cannot be imported; the message is one line for the person importing it."""


@dataclass
class _Open:
    """An element being read: what it is to the import, its text so far, the fields it already has."""

    role: str  # "root", "channel", "item", "author", "comment", "category", "field" or "skip"
    element: Element | None = None  # made only for what the import reads
    text: list[str] | None = None  # until its first child: ElementTree's `text`
    fields: set[str] = field(default_factory=set)


class ChannelReader:
    """`read()` hands each piece over as it ends to `take(kind, element)`: "author", "category" and "comment"
    (of the item being read), then "item" (its own fields).

    After reading: the root's tag, the channel and its own fields, the wp namespaces of the file.
    """

    def __init__(self, data: bytes, take: Callable[[str, Element], None]) -> None:
        self.file = data
        self.take = take
        self.root_tag = ""
        self.channel: Element | None = None
        self.wp_namespaces: list[str] = []
        self.counts = {"element": 0, "item": 0, "comment": 0, "category": 0, "author": 0}
        self._open: list[_Open] = []
        self._is_wp: dict[str, bool] = {}

    @property
    def wp(self) -> str:
        """The wp namespace found so far ("" before the first wp element)."""
        return self.wp_namespaces[0] if self.wp_namespaces else ""

    def read(self) -> None:
        parser = DefusedXMLParser(target=self, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        view = memoryview(self.file)
        try:
            for start in range(0, len(view), FEED_BYTES):
                parser.feed(view[start:start + FEED_BYTES])
            parser.close()
        except WxrError:
            raise
        except DTDForbidden as exc:
            raise WxrError("refused: the file declares a DOCTYPE (WordPress exports never do)") from exc
        except EntitiesForbidden as exc:
            raise WxrError("refused: the file declares XML entities (WordPress exports never do)") from exc
        except ExternalReferenceForbidden as exc:
            raise WxrError("refused: the file refers to external resources") from exc
        except ParseError as exc:
            raise WxrError(_unreadable(self.file, exc)) from exc
        except (ValueError, UnicodeError) as exc:
            raise WxrError(f"not readable XML: {_first_line(str(exc))}") from exc

    # The parser's target: called for each start tag, run of text and end tag, in the file's order.

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self._count("element")
        if len(self._open) >= MAX_DEPTH:
            raise WxrError(f"refused: the file nests XML elements more than {MAX_DEPTH} levels deep "
                           "(a WordPress export nests 6)")
        self._note_namespace(tag)
        if not self._open:
            self._open.append(self._root(tag))
            return
        parent = self._open[-1]
        if parent.text is not None and parent.element is not None:
            parent.element.text, parent.text = "".join(parent.text) or None, None
        role = self._role(parent, tag)
        if role == "skip":
            self._open.append(_SKIP)
            return
        if role in self.counts:
            self._count(role)
        element = Element(tag, attrib)
        if role == "channel":
            self.channel = element
        elif role == "field":
            parent.element.append(element)
        self._open.append(_Open(role, element, [] if role in TEXT_READ else None))

    def data(self, text: str) -> None:
        current = self._open[-1] if self._open else None
        if current is not None and current.text is not None:
            current.text.append(text)

    def end(self, tag: str) -> None:
        ended = self._open.pop()
        if ended.text is not None and ended.element is not None:
            ended.element.text = "".join(ended.text) or None
        if ended.role in HANDED_OVER:
            self.take(ended.role, ended.element)

    def channel_text(self, tag: str) -> str:
        element = self.channel.find(tag) if self.channel is not None else None
        return (element.text or "").strip() if element is not None else ""

    def _root(self, tag: str) -> _Open:
        self.root_tag = tag
        return _Open("root") if tag == "rss" else _SKIP

    def _role(self, parent: _Open, tag: str) -> str:
        if parent.role == "root":
            return "channel" if tag == "channel" and self.channel is None else "skip"
        if parent.role == "channel":
            if tag == "item":
                return "item"
            if self._wp_field(tag) == "author":
                return "author"
            return self._first(parent, tag, CHANNEL_FIELDS, CHANNEL_WP_FIELDS)
        if parent.role == "item":
            if tag == "category":
                return "category"
            if self._wp_field(tag) == "comment":
                return "comment"
            return self._first(parent, tag, ITEM_FIELDS, ITEM_WP_FIELDS)
        if parent.role == "comment":
            return self._first(parent, tag, frozenset(), COMMENT_WP_FIELDS)
        if parent.role == "author":
            return self._first(parent, tag, frozenset(), AUTHOR_WP_FIELDS)
        return "skip"

    def _first(self, parent: _Open, tag: str, fields: frozenset[str], wp_fields: frozenset[str]) -> str:
        """A field the import reads is kept, only its first copy: the import reads the first."""
        if (tag in fields or self._wp_field(tag) in wp_fields) and tag not in parent.fields:
            parent.fields.add(tag)
            return "field"
        return "skip"

    def _wp_field(self, tag: str) -> str:
        """The local name of a tag in the file's wp namespace; "" for any other tag."""
        prefix = f"{{{self.wp}}}"
        return tag[len(prefix):] if self.wp and tag.startswith(prefix) else ""

    def _note_namespace(self, tag: str) -> None:
        if not tag.startswith("{"):
            return
        uri = tag[1:tag.find("}")]
        is_wp = self._is_wp.get(uri)
        if is_wp is None:
            is_wp = bool(WP_NAMESPACE.match(uri))
            if len(self._is_wp) < 64:  # a file naming thousands of namespaces is only checked again
                self._is_wp[uri] = is_wp
        if is_wp and uri not in self.wp_namespaces and len(self.wp_namespaces) < SHOWN_NAMESPACES:
            self.wp_namespaces.append(uri)

    def _count(self, kind: str) -> None:
        self.counts[kind] += 1
        if self.counts[kind] > LIMITS[kind][0]:
            limit, what = LIMITS[kind]
            raise WxrError(f"refused: the file holds more than {limit:,} {what}, more than a course blog's "
                           "export would (in WordPress, export one author or a range of dates at a time)")


LIMITS = {
    "element": (MAX_ELEMENTS, "XML elements"),
    "item": (MAX_ITEMS, "items (posts, pages and media)"),
    "comment": (MAX_COMMENTS, "comments"),
    "category": (MAX_TERMS, "categories and tags on its items"),
    "author": (MAX_AUTHORS, "authors"),
}


# Everything inside an element the import does not read is skipped alike: one shared marker, nothing built.
_SKIP = _Open("skip")


# The parser reached the end of the file with the export still open: a download or a copy cut short.
CUT_SHORT = frozenset(expat_errors.codes[name] for name in (
    expat_errors.XML_ERROR_NO_ELEMENTS, expat_errors.XML_ERROR_UNCLOSED_TOKEN, expat_errors.XML_ERROR_PARTIAL_CHAR))
STARTS_AS_XML = re.compile(rb"(?:\xef\xbb\xbf)?\s*<")


def _unreadable(data: bytes, error: ParseError) -> str:
    """Why the parser stopped, said as what the person importing can do about it (an empty file, a CSV, a
    download cut short); the parser's own words only for a file that is XML and broken inside."""
    if not data or data.isspace():
        return "the file is empty"
    if not STARTS_AS_XML.match(data):
        return "not a WordPress export (WXR): this is not an XML file"
    if error.code in CUT_SHORT:
        return (f"the file stops part-way through (line {error.position[0]}): it was probably cut short while "
                "downloading; export it from WordPress again")
    return f"not well-formed XML: {_first_line(str(error))}"


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unknown error"
