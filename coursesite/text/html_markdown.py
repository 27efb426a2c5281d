"""Sanitized HTML back to Markdown: the editable source of an imported essay or comment.

The essay editor keeps Markdown (`Post.body`) and renders it again on every change, so imported HTML is
turned into Markdown that renders to the same text, links, emphasis, lists, quotes, headings and code.
What Markdown cannot say (figures, definition lists) keeps its words as plain paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from coursesite.text.markdown import UPLOAD_PATH

VOID = frozenset({"br", "hr", "img", "col", "wbr"})
BLOCKS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "li", "hr", "table",
    "thead", "tbody", "tfoot", "tr", "td", "th", "figure", "figcaption", "dl", "dt", "dd", "section", "article",
})
SPECIAL = re.compile(r"([\\`*_\[\]<>~|])")
# What would start a heading, a list item or a setext underline at the start of a line.
LINE_START = re.compile(r"^(\s*)(?:([#+=-])|(\d+)([.)]))(?=\s|$|[#=-])")
# Deeper than Markdown itself nests (markdown-it stops at 100); each level costs the converter stack frames.
MAX_NESTING = 100


class NestingTooDeep(ValueError):
    """HTML with elements nested deeper than MAX_NESTING: no Markdown says it."""


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)
            if len(self.stack) > MAX_NESTING:
                raise NestingTooDeep(f"its HTML nests elements more than {MAX_NESTING} levels deep")

    def handle_endtag(self, tag) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data) -> None:
        self.stack[-1].children.append(data)


def _escape(text: str) -> str:
    return SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def _text_of(node: Node | str) -> str:
    if isinstance(node, str):
        return node
    return "\n" if node.tag == "br" else "".join(_text_of(child) for child in node.children)


EDGE = re.compile(r"(?:\s|\\\n)*")  # spaces and hard breaks stay outside
SPACE = re.compile(r"\s")


def _edges(text: str) -> tuple[str, str, str]:
    """(lead, core, trail): the spaces and hard breaks at either end, and what they surround. The trailing ones
    are found from the end: one pattern with a lazy core tried them again after each character (the square
    of a run of line breaks)."""
    start, end = EDGE.match(text).end(), len(text)
    while end > start and (SPACE.match(text[end - 1]) or (text[end - 1] == "\\" and text[end:end + 1] == "\n")):
        end -= 1
    return text[:start], text[start:end], text[end:]


def _wrap(marker: str, inner: str) -> str:
    lead, core, trail = _edges(inner)
    return f"{lead}{marker}{core}{marker}{trail}" if core else inner


def _code(text: str) -> str:
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _url(url: str) -> str:
    url = url.strip()
    return f"<{url}>" if re.search(r"[\s()<>]", url) else url


def _inline(node: Node | str) -> str:
    if isinstance(node, str):
        return _escape(node)
    tag, inner = node.tag, "".join(_inline(child) for child in node.children)
    if tag in {"em", "i", "cite"}:
        return _wrap("*", inner)
    if tag in {"strong", "b"}:
        return _wrap("**", inner)
    if tag in {"del", "s"}:
        return _wrap("~~", inner)
    if tag == "code":
        return _code(re.sub(r"\s*\n\s*", " ", _text_of(node)))  # a code span is one line
    if tag == "br":
        return "\\\n"
    if tag == "a" and node.attrs.get("href"):
        return f"[{inner.strip() or _escape(node.attrs['href'])}]({_url(node.attrs['href'])})"
    if tag == "img":
        src, alt = node.attrs.get("src", ""), _escape(node.attrs.get("alt", ""))
        return f"![{alt}]({_url(src)})" if UPLOAD_PATH.match(src) else alt
    return inner


def _escape_start(match: re.Match) -> str:
    space, mark, digits, punct = match.groups()
    return f"{space}\\{mark}" if mark else f"{space}{digits}\\{punct}"


def _paragraph(text: str) -> str:
    text = _edges(text)[1]  # a hard break at either end of a paragraph would show as "\\"
    lines = [LINE_START.sub(_escape_start, line.strip()) for line in text.strip().split("\n")]
    return "\n".join(lines).strip()


def _indent(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    return "\n".join([first + lines[0]] + [(rest + line) if line else "" for line in lines[1:]])


def _list(node: Node) -> str:
    items, number = [], int(node.attrs.get("start") or 1) if node.attrs.get("start", "").isdigit() else 1
    for child in node.children:
        if isinstance(child, Node) and child.tag == "li":
            marker = f"{number}. " if node.tag == "ol" else "- "
            items.append(_indent(_blocks(child.children) or "", marker, " " * len(marker)))
            number += 1
    return "\n".join(items)


def _table(node: Node) -> str:
    rows = []
    for row in (n for n in _descendants(node) if n.tag == "tr"):
        cells = [_inline(c).replace("\\\n", " ").replace("\n", " ").strip()
                 for c in row.children if isinstance(c, Node) and c.tag in {"td", "th"}]
        rows.append("| " + " | ".join(cells) + " |")
    if not rows:
        return ""
    width = rows[0].count(" | ") + 1
    return "\n".join([rows[0], "| " + " | ".join(["---"] * width) + " |", *rows[1:]])


def _descendants(node: Node):
    for child in node.children:
        if isinstance(child, Node):
            yield child
            yield from _descendants(child)


def _block(node: Node) -> str:
    tag = node.tag
    if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
        return "#" * max(2, int(tag[1])) + " " + _inline(node).replace("\\\n", " ").strip()
    if tag == "blockquote":
        return "\n".join(("> " + line) if line else ">" for line in _blocks(node.children).split("\n"))
    if tag == "pre":
        text = _text_of(node).strip("\n")
        fence = "~~~~" if "```" in text else "```"
        language = next((c.attrs.get("class", "")[9:] for c in node.children
                         if isinstance(c, Node) and c.attrs.get("class", "").startswith("language-")), "")
        return f"{fence}{language}\n{text}\n{fence}"
    if tag in {"ul", "ol"}:
        return _list(node)
    if tag == "hr":
        return "---"
    if tag == "table":
        return _table(node)
    if tag == "dt":
        return _wrap("**", _inline(node))
    return _blocks(node.children)


def _blocks(children: list[Node | str]) -> str:
    """Children of a block: runs of inline content become paragraphs, blocks render on their own."""
    out, run = [], []

    def flush() -> None:
        text = _paragraph("".join(run))
        if text:
            out.append(text)
        run.clear()

    for child in children:
        if isinstance(child, Node) and child.tag in BLOCKS:
            flush()
            rendered = _block(child)
            if rendered.strip():
                out.append(rendered)
        else:
            run.append(_inline(child))
    flush()
    return "\n\n".join(out)


def _tree(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def check_nesting(html: str) -> None:
    """NestingTooDeep for HTML that html_to_markdown would refuse."""
    _tree(html)


def html_to_markdown(html: str) -> str:
    """The Markdown of sanitized HTML; NestingTooDeep past MAX_NESTING levels."""
    return _blocks(_tree(html).children).strip()
