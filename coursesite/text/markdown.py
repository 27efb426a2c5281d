"""Markdown to safe HTML: markdown-it-py (no raw HTML) then nh3 with WordPress kses-like allowlists.

Essays get a larger allowlist than comments. Images are shown only when they are uploads of the course;
any other image becomes a plain link, so a page never fetches from outside.
"""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

LINK_REL = "nofollow ugc noopener"
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Exactly the addresses posts.upload_file serves: a course slug and a storage key (files/storage.KEY).
UPLOAD_PATH = re.compile(r"^/c/[a-z0-9-]+/uploads/[A-Za-z0-9_-]{16,64}\.(?:png|jpg|gif|webp)$")

COMMENT_TAGS = frozenset({"a", "p", "br", "em", "strong", "code", "pre", "blockquote", "del", "s"})
ESSAY_TAGS = COMMENT_TAGS | frozenset(
    {
        "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "hr", "img", "figure", "figcaption",
        "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "abbr", "cite", "q", "dl", "dt", "dd",
    }
)
COMMENT_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
ESSAY_ATTRIBUTES = {
    **COMMENT_ATTRIBUTES,
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "scope"},
    "td": {"align"},
    "ol": {"start"},
    "code": {"class"},
}


def _is_course_upload(src: str) -> bool:
    return bool(UPLOAD_PATH.match(src))


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src" and not _is_course_upload(value):
        return None
    if element == "code" and attribute == "class" and not re.fullmatch(r"language-[\w+-]{1,30}", value):
        return None
    return value


def _render_image(renderer, tokens, idx, options, env):
    """An image that is not one of the course's uploads is shown as a link to it."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = token.content or "image"
    if _is_course_upload(src):
        return f'<img src="{_escape(src)}" alt="{_escape(alt)}">'
    return f'<a href="{_escape(src)}">[image: {_escape(alt)}]</a>'


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # maxNesting 20, as markdown-it's CommonMark preset has it (js-default allows 100): each "[" is scanned
    # to that depth, so 99,000 of them cost 100 steps apiece; no essay nests lists or quotes 20 deep.
    md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False, "maxNesting": 20})
    md.add_render_rule("image", _render_image)
    return md


def _cleaner(tags: frozenset, attributes: dict, **more) -> nh3.Cleaner:
    """Built once per allowlist: nh3.clean builds its allowlists again on every call, which costs more than the
    cleaning."""
    return nh3.Cleaner(tags=set(tags), attributes={k: set(v) for k, v in attributes.items()},
                       url_schemes=set(URL_SCHEMES), link_rel=LINK_REL, strip_comments=True, **more)


_ESSAY_CLEANER = _cleaner(ESSAY_TAGS, ESSAY_ATTRIBUTES, attribute_filter=_keep_attribute)
_COMMENT_CLEANER = _cleaner(COMMENT_TAGS, COMMENT_ATTRIBUTES)


def clean_essay_html(html: str) -> str:
    """Sanitize HTML for an essay (Markdown output or imported WordPress content)."""
    return _ESSAY_CLEANER.clean(html)


def clean_comment_html(html: str) -> str:
    return _COMMENT_CLEANER.clean(html)


def _demote_h1(html: str) -> str:
    # The essay's title is the page's only h1.
    return re.sub(r"<(/?)h1>", r"<\1h2>", html)


def render_essay(markdown: str) -> str:
    return clean_essay_html(_demote_h1(_markdown().render(markdown)))


# What can make a line more than a paragraph of its own text: a line break, a mark that starts emphasis, code,
# a link, an escape, an entity or strikethrough anywhere, or a block's mark (heading, quote, list, indented
# code) at its start; and space at either end, which a paragraph trims.
_NOT_PLAIN = re.compile(r"[\n\r\x00\\`*_\[<&~]|^[\s#>+\-0-9]|\s$")


def _plain_paragraph(markdown: str) -> str | None:
    """The HTML markdown-it makes of a one-line text with no mark in it; None for any other text. Most
    comments are such a line, and parsing costs more than everything else in writing one."""
    if not markdown or _NOT_PLAIN.search(markdown):
        return None
    return f"<p>{escapeHtml(markdown)}</p>\n"


def render_comment(markdown: str) -> str:
    return clean_comment_html(_plain_paragraph(markdown) or _markdown().render(markdown))


def render_prompt(markdown: str) -> str:
    """An assignment's prompt: the essay allowlist."""
    return render_essay(markdown)
