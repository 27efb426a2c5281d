"""WordPress content made safe for the course blog.

WordPress stores "classic" posts and comments as text whose blank lines are paragraphs (wpautop adds the
<p> tags when it shows them) and block-editor posts as HTML between <!-- wp:... --> comments. Both end up
as HTML cleaned with the essay or comment allowlist; images become links (the site shows only its own
uploads), and the list of them goes into the import report so the instructor can upload the media.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from coursesite.text.markdown import UPLOAD_PATH, clean_comment_html, clean_essay_html
from coursesite.text.tags import replace_tags, sub_before_last

HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|"
    r"blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|"
    r"nav|figure|figcaption|details|menu|summary|main|iframe|video|audio|object|embed|script)"
)
BLOCK_OPEN = re.compile(rf"(<{BLOCKS}[\s/>])", re.I)
BLOCK_CLOSE = re.compile(rf"(</{BLOCKS}>)", re.I)
PRE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)
PRE_END = re.compile(r"</pre>", re.I)
HAS_PARAGRAPHS = re.compile(r"<p[\s>]", re.I)
# A shortcode's attributes stop at the next "[" too: read from each of a run of "[caption" to a far "]",
# the search costs the square of the run.
CAPTION = re.compile(r"\[caption\b[^\][]*\](.*?)\[/caption\]", re.S | re.I)
CAPTION_END = re.compile(r"\[/caption\]", re.I)
EMBED = re.compile(r"\[embed\b[^\][]*\]\s*(https?://[^\s\[<]+)\s*\[/embed\]", re.I)
# A tag's attributes, ">" allowed inside quoted values; bounded so a hostile file cannot make it slow.
ATTRS = r"""(?:[^>"']|"[^"]{0,4000}"|'[^']{0,4000}'){0,200}"""
LINKED_IMAGE = re.compile(rf"<a\b{ATTRS}>\s*(<img\b{ATTRS}>)\s*</a>", re.I | re.S)
IMAGE = re.compile(rf"<img\b{ATTRS}>", re.I | re.S)
H1 = re.compile(r"<(/?)h1(\s[^>]*)?>", re.I)
# Bidi overrides, embeddings and isolates can make a name or title read as something else.
UNSAFE_CHARS = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069\ufeff]")


def plain_line(text: str, max_length: int) -> str:
    """A title or a name: no tags, entities decoded, no control or bidi-override characters, one line."""
    text = UNSAFE_CHARS.sub("", html.unescape(replace_tags(text)))
    return " ".join(text.split())[:max_length].strip()


# A newline not already after <br>, with the spaces before it; matched from the start of its run of spaces
# only (retrying from each space of a long run costs the square of it). Runs here hold at most one newline.
LINE_BREAK = re.compile(r"(<br>)?(?<![^\S\n])([^\S\n]*+)\n")


def _line_break(match: re.Match) -> str:
    after_break, spaces = match.groups()
    if not after_break:
        return "<br>\n"
    return "<br>" + (spaces[:1] + "<br>\n" if spaces else "\n")


def autop(text: str) -> str:
    """WordPress's wpautop in short: blank lines make paragraphs, single newlines make line breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ""
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"\n\n<pre-kept-{len(kept) - 1}>\n\n"

    text = sub_before_last(PRE, keep, text, PRE_END)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.I)
    text = BLOCK_CLOSE.sub(r"\1\n\n", BLOCK_OPEN.sub(r"\n\n\1", text))
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]
    out = "".join(f"<p>{chunk}</p>\n" for chunk in chunks)
    out = re.sub(r"<p>\s*(<pre-kept-\d+>)\s*</p>", r"\1", out)
    out = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", out, flags=re.I)
    out = re.sub(rf"<p>\s*(</?{BLOCKS}[^<>]*>)\s*</p>", r"\1", out, flags=re.I)
    out = re.sub(r"<p>(<li.+?)</p>", r"\1", out, flags=re.I | re.S)
    out = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", out, flags=re.I)
    out = re.sub(r"</blockquote></p>", "</p></blockquote>", out, flags=re.I)
    out = re.sub(rf"<p>\s*(</?{BLOCKS}[^<>]*>)", r"\1", out, flags=re.I)
    out = re.sub(rf"(</?{BLOCKS}[^<>]*>)\s*</p>", r"\1", out, flags=re.I)
    out = LINE_BREAK.sub(_line_break, out)
    out = re.sub(rf"(</?{BLOCKS}[^<>]*>)\s*<br>", r"\1", out, flags=re.I)
    out = re.sub(r"<br>(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^<>]*>)", r"\1", out, flags=re.I)
    return re.sub(r"<pre-kept-(\d+)>", lambda m: kept[int(m.group(1))], out)


class _StartTag(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str] = {}

    def handle_starttag(self, tag, attrs) -> None:
        if not self.attrs:
            self.attrs = {name: value or "" for name, value in attrs}


def _attributes(tag_html: str) -> dict[str, str]:
    parser = _StartTag()
    parser.feed(tag_html)
    parser.close()
    return parser.attrs


def _absolute(url: str, base_url: str) -> str | None:
    url = url.strip()
    if not url:
        return None
    full = urljoin(base_url.rstrip("/") + "/", url) if base_url else url
    return full if urlsplit(full).scheme in {"http", "https"} else None


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def images_to_links(fragment: str, base_url: str) -> tuple[str, list[str]]:
    """Every image that is not an upload of the course becomes a link to it; returns the image URLs too."""
    images: list[str] = []

    def as_link(img_html: str, href: str | None = None) -> str:
        attrs = _attributes(img_html)
        src = attrs.get("src", "")
        if UPLOAD_PATH.match(src):
            return img_html
        alt = plain_line(attrs.get("alt", ""), 200) or "image"
        url = _absolute(src, base_url)
        if url and url not in images:
            images.append(url)
        target = href or url
        return f'<a href="{_escape(target)}">[image: {_escape(alt)}]</a>' if target else f"[image: {_escape(alt)}]"

    def linked(match: re.Match) -> str:
        href = _absolute(_attributes(match.group(0)).get("href", ""), base_url)
        return as_link(match.group(1), href)

    fragment = LINKED_IMAGE.sub(linked, fragment)
    return IMAGE.sub(lambda m: as_link(m.group(0)), fragment), images


def _shortcodes(text: str) -> str:
    text = sub_before_last(CAPTION, r"\1", text, CAPTION_END)
    return EMBED.sub(lambda m: f'<a href="{_escape(m.group(1))}">{_escape(m.group(1))}</a>', text)


def _prepare(content: str, base_url: str) -> tuple[str, list[str]]:
    is_blocks = "<!-- wp:" in content
    text = _shortcodes(HTML_COMMENT.sub("", content))
    if not is_blocks and not HAS_PARAGRAPHS.search(text):
        text = autop(text)
    return images_to_links(text, base_url)


def essay_html(content: str, base_url: str = "") -> tuple[str, list[str]]:
    """(safe essay HTML, image URLs turned into links) for a WordPress post's content."""
    text, images = _prepare(content, base_url)
    return clean_essay_html(H1.sub(r"<\1h2>", text)).strip(), images


def comment_html(content: str, base_url: str = "") -> str:
    text, _images = _prepare(content, base_url)
    return clean_comment_html(text).strip()


BLOCK_END = re.compile(r"</(?:p|h[1-6]|blockquote|pre|table|ul|ol|figure|dl)>", re.I)
LINE_END = re.compile(r"<br\s*/?>\s*|</(?:li|tr|dt|dd|figcaption)>", re.I)
LIST_ITEM = re.compile(r"<li\b[^>]*>", re.I)
BETWEEN_TAGS = re.compile(r">(\s*+)<")
TAG_END = re.compile(">")


def html_to_text(fragment: str) -> str:
    """Readable plain text with paragraphs kept as blank lines (the editable source of an imported item)."""
    # Whitespace between tags goes when it holds a line break; taken whole (possessive), so a long run of
    # spaces and line breaks after one ">" is read once, not once per line break.
    text = BETWEEN_TAGS.sub(lambda found: "><" if "\n" in found.group(1) else found.group(), fragment)
    text = LINE_END.sub("\n", BLOCK_END.sub("\n\n", text))
    # Up to the last ">" only: past it, each "<li" would look for a ">" to the end of the text.
    text = sub_before_last(LIST_ITEM, "- ", text, TAG_END)
    text = html.unescape(replace_tags(text))
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
