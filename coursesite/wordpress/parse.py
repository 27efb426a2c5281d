"""Reading a WordPress eXtended RSS (WXR 1.0-1.2) file into plain values, with a hardened XML parser.

No DTD, no entities, no external references (defusedxml): a DOCTYPE or an entity bomb is refused before
anything is expanded. The file is read a piece at a time (reader.py), within limits on what it may hold. The
`wp` namespace is found in the document itself, so http and https URIs of any export version are read alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree.ElementTree import Element

from coursesite.files.sizes import size_text
from coursesite.text.timefmt import NonexistentLocalTime, local_to_utc, zone
from coursesite.wordpress.reader import CONTENT_NS, DC_NS, ChannelReader, WxrError

MAX_WXR_BYTES = 32 * 1024 * 1024
VERSION = re.compile(r"^\d+\.\d+$")
# The largest id the database stores (a 32-bit integer on PostgreSQL); no WordPress site comes near it.
MAX_WP_ID = 2**31 - 1
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
# Ten times an essay's Markdown limit. The HTML sanitizer's time grows faster than the length of one long
# run of text full of entities, so one item's content is bounded, not only the file.
MAX_CONTENT_CHARS = 1_000_000
# The most a comment can hold on WordPress: its database column keeps 65,535 bytes (its comment form stops
# at 65,525). Anything WordPress stored is imported whole; a longer comment was not written by WordPress.
MAX_COMMENT_BYTES = 65_535
# The years a date of the file may fall in. Wide enough for any real blog, and for posts backdated a century
# before WordPress existed; far enough from year 9999, the last the site's calendar has, that every date
# stays showable in every time zone. A date outside is a typo or a placeholder ("9999-12-31" for "never").
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200


@dataclass(slots=True)
class WxrAuthor:
    author_id: int
    login: str
    email: str
    display_name: str


@dataclass(slots=True)
class WxrComment:
    comment_id: int
    author: str
    email: str
    url: str
    date: str
    date_gmt: str
    content: str
    approved: str
    comment_type: str
    parent_id: int
    user_id: int


@dataclass(slots=True)
class WxrTerm:
    domain: str
    slug: str
    name: str


@dataclass(slots=True)
class WxrItem:
    post_id: int
    title: str
    creator: str
    content: str
    date: str
    date_gmt: str
    post_name: str
    status: str
    post_type: str
    password: str
    terms: list[WxrTerm] = field(default_factory=list)
    comments: list[WxrComment] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.post_type or 'item'} {self.post_id} “{self.title or '(no title)'}”"


@dataclass(slots=True)
class WxrDocument:
    version: str
    title: str
    link: str
    base_site_url: str
    base_blog_url: str
    authors: dict[str, WxrAuthor]
    items: list[WxrItem]

    @property
    def base_url(self) -> str:
        return self.base_blog_url or self.base_site_url or self.link


def parse_wxr(data: bytes, max_bytes: int = MAX_WXR_BYTES) -> WxrDocument:
    """The document, or WxrError with a one-line reason."""
    if len(data) > max_bytes:
        raise WxrError(f"the file is larger than the limit of {size_text(max_bytes)}")
    values = _Values()
    reader = ChannelReader(data, lambda kind, element: values.take(kind, element, reader.wp))
    reader.read()
    # The file is read to its end before its values are judged: a reason about the whole file comes first.
    if reader.root_tag != "rss" or reader.channel is None:
        raise WxrError("not a WordPress export (WXR): no <rss><channel> at the top")
    wp = _wp_namespace(reader.wp_namespaces)
    version = reader.channel_text(f"{{{wp}}}wxr_version")
    if not VERSION.match(version):
        raise WxrError("not a WordPress export (WXR): missing or invalid wp:wxr_version")
    for error in (values.author_error, values.item_error):
        if error is not None:
            raise error
    return WxrDocument(
        version=version,
        title=reader.channel_text("title"),
        link=reader.channel_text("link"),
        base_site_url=reader.channel_text(f"{{{wp}}}base_site_url"),
        base_blog_url=reader.channel_text(f"{{{wp}}}base_blog_url"),
        authors=values.authors,
        items=values.items,
    )


class _Values:
    """The plain values of the pieces read so far, and the first error among authors and among items."""

    def __init__(self) -> None:
        self.authors: dict[str, WxrAuthor] = {}
        self.items: list[WxrItem] = []
        self.author_error: WxrError | None = None
        self.item_error: WxrError | None = None
        self._start_item()

    def _start_item(self) -> None:
        self.terms: list[WxrTerm] = []
        self.comments: list[WxrComment] = []
        self.comment_error: WxrError | None = None

    def take(self, kind: str, element: Element, wp: str) -> None:
        if kind == "author":
            self._author(element, wp)
        elif self.item_error is not None:
            return  # the file is refused already: its remaining items are only read through
        elif kind == "category":
            self.terms.append(_term(element))
        elif kind == "comment":
            self._comment(element, wp)
        else:
            self._item(element, wp)

    def _author(self, element: Element, wp: str) -> None:
        if self.author_error is not None:
            return
        try:
            author = _author(element, wp)
        except WxrError as error:
            self.author_error = error
            return
        if author.login:
            self.authors[author.login] = author

    def _comment(self, element: Element, wp: str) -> None:
        if self.comment_error is not None:
            return
        try:
            self.comments.append(_comment(element, wp))
        except WxrError as error:
            self.comment_error = error  # said after any fault of the item's own fields, as they come first

    def _item(self, element: Element, wp: str) -> None:
        terms, comments, comment_error = self.terms, self.comments, self.comment_error
        self._start_item()
        try:
            item = _item(element, wp, terms, comments)
        except WxrError as error:
            self.item_error = error
            return
        if comment_error is not None:
            self.item_error = comment_error
            return
        self.items.append(item)


def _wp_namespace(found: list[str]) -> str:
    """The namespace URI the file uses for wp: elements (export/1.0/, 1.1/, 1.2/, http or https)."""
    if not found:
        raise WxrError("not a WordPress export (WXR): no elements in a wordpress.org/export/ namespace")
    if len(found) > 1:
        raise WxrError(f"not a WordPress export (WXR): it mixes several wp namespaces ({', '.join(found)})")
    return found[0]


def _text(parent: Element, path: str) -> str:
    element = parent.find(path)
    return (element.text or "").strip() if element is not None else ""


def _raw(parent: Element, path: str, what: str) -> str:
    """Content keeps its inner whitespace: blank lines are WordPress paragraphs."""
    element = parent.find(path)
    text = (element.text or "") if element is not None else ""
    if len(text) > MAX_CONTENT_CHARS:
        raise WxrError(f"refused: {what} is {len(text):,} characters long (at most {MAX_CONTENT_CHARS:,})")
    return text


def _comment_content(element: Element, wp: str) -> str:
    what = f"comment {_text(element, f'{{{wp}}}comment_id') or '(no id)'}"
    text = _raw(element, f"{{{wp}}}comment_content", what)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_COMMENT_BYTES:
        raise WxrError(f"refused: {what} is {size:,} bytes long; WordPress keeps at most {MAX_COMMENT_BYTES:,} "
                       "bytes per comment, so the file was changed after it was exported")
    return text


def _id(parent: Element, path: str) -> int:
    """A WordPress id; 0 when missing or not a number; WxrError for one no database column holds."""
    value = _text(parent, path)
    if not WHOLE_NUMBER.fullmatch(value):
        return 0
    digits = value.lstrip("+-").lstrip("0")
    if len(digits) > len(str(MAX_WP_ID)) or int(digits or "0") > MAX_WP_ID:
        shown = value if len(value) <= 20 else value[:20] + "…"
        raise WxrError(f"refused: the {path.rsplit('}', 1)[-1]} {shown} is larger than any WordPress id "
                       f"(at most {MAX_WP_ID:,})")
    return int(value)


def _author(element: Element, wp: str) -> WxrAuthor:
    return WxrAuthor(
        author_id=_id(element, f"{{{wp}}}author_id"),
        login=_text(element, f"{{{wp}}}author_login"),
        email=_text(element, f"{{{wp}}}author_email"),
        display_name=_text(element, f"{{{wp}}}author_display_name"),
    )


def _item(element: Element, wp: str, terms: list[WxrTerm], comments: list[WxrComment]) -> WxrItem:
    return WxrItem(
        post_id=_id(element, f"{{{wp}}}post_id"),
        title=_text(element, "title"),
        creator=_text(element, f"{{{DC_NS}}}creator"),
        content=_raw(element, f"{{{CONTENT_NS}}}encoded", f"the content of post {_text(element, f'{{{wp}}}post_id')}"),
        date=_text(element, f"{{{wp}}}post_date"),
        date_gmt=_text(element, f"{{{wp}}}post_date_gmt"),
        post_name=_text(element, f"{{{wp}}}post_name"),
        status=_text(element, f"{{{wp}}}status"),
        post_type=_text(element, f"{{{wp}}}post_type"),
        password=_text(element, f"{{{wp}}}post_password"),
        terms=terms,
        comments=comments,
    )


def _term(element: Element) -> WxrTerm:
    # WXR 1.0 may carry a bare <category>Name</category>: a category with no slug of its own.
    return WxrTerm(
        domain=(element.get("domain") or "category").strip(),
        slug=(element.get("nicename") or "").strip(),
        name=(element.text or "").strip(),
    )


def _comment(element: Element, wp: str) -> WxrComment:
    return WxrComment(
        comment_id=_id(element, f"{{{wp}}}comment_id"),
        author=_text(element, f"{{{wp}}}comment_author"),
        email=_text(element, f"{{{wp}}}comment_author_email"),
        url=_text(element, f"{{{wp}}}comment_author_url"),
        date=_text(element, f"{{{wp}}}comment_date"),
        date_gmt=_text(element, f"{{{wp}}}comment_date_gmt"),
        content=_comment_content(element, wp),
        approved=_text(element, f"{{{wp}}}comment_approved"),
        comment_type=_text(element, f"{{{wp}}}comment_type"),
        parent_id=_id(element, f"{{{wp}}}comment_parent"),
        user_id=_id(element, f"{{{wp}}}comment_user_id"),
    )


def wxr_time(gmt: str, local: str, tz_name: str) -> datetime | None:
    """When something happened: the *_gmt field, else the local field read in the course's zone.

    WordPress writes 0000-00-00 00:00:00 as the GMT time of drafts and of some old exports. WxrError for
    a date outside the years the site shows.
    """
    moment = _wxr_datetime(gmt)
    if moment is not None:
        return _showable(moment, gmt).replace(tzinfo=UTC)
    moment = _wxr_datetime(local)
    if moment is None:
        return None
    _showable(moment, local)
    try:
        return local_to_utc(moment, tz_name, fold=0)
    except NonexistentLocalTime:
        # A wall-clock time the clocks skipped: read it with the offset in force just before.
        return moment.replace(tzinfo=zone(tz_name)).astimezone(UTC)


def _showable(moment: datetime, written: str) -> datetime:
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise WxrError(f"its date {written.strip()} is outside the years {EARLIEST_YEAR}–{LATEST_YEAR} this site "
                       "shows (correct the date in WordPress and export again)")
    return moment


def _wxr_datetime(value: str) -> datetime | None:
    try:
        moment = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return moment if moment.year > 1 else None
