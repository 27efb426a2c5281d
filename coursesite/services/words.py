"""Counting words one way everywhere: the words of the rendered text.

Markdown syntax and URLs do not count; in Chinese and Japanese text, where words are not separated by
spaces, each Han, Hiragana or Katakana character counts as one word. static/js/words.js implements the
same rule with the same character classes, and tests/fixtures/word_cases.json holds the cases both must
agree on.
"""

from __future__ import annotations

import html
import re

# Spelled out rather than \s, whose meaning differs between Python and JavaScript: this is the union of
# both, so a character is a separator in the browser exactly when it is one on the server.
SPACE = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
URL = re.compile(rf"(?:https?://|www\.)[^{SPACE}]+", re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre|td|th|tr|dt|dd|figcaption)>|<br\s*/?>", re.I)
# A word: one CJK character, or a run of other non-space characters holding at least one letter or digit.
WORD = re.compile(rf"[{CJK}]|[^{SPACE}{CJK}]*[^\W_{CJK}][^{SPACE}{CJK}]*")

EXCERPT_WORDS = 55
EXCERPT_MORE = " [\u2026]"


def html_to_text(fragment: str) -> str:
    return html.unescape(TAG.sub(" ", BLOCK_END.sub(" ", fragment)))


def count_text_words(text: str) -> int:
    """Words in plain text: URLs removed, CJK characters one each, other runs with a letter or digit."""
    return len(WORD.findall(URL.sub(" ", text)))


def count_html_words(fragment: str) -> int:
    return count_text_words(html_to_text(fragment))


HEADING = re.compile(r"<h([1-6])\b[^>]*>.*?</h\1>", re.I | re.S)


def excerpt(fragment: str, words: int = EXCERPT_WORDS) -> str:
    """The first `words` words of rendered HTML as plain text, the way WordPress makes an excerpt
    (headings left out: run into the sentences around them they read as nonsense)."""
    text = " ".join(html_to_text(HEADING.sub(" ", fragment)).split())
    matches = WORD.finditer(text)
    for number, match in enumerate(matches, start=1):
        if number == words:
            rest = text[match.end():]
            if WORD.search(rest):
                return text[: match.end()].rstrip(" ,;:") + EXCERPT_MORE
            return text
    return text
