"""Counting words one way everywhere: the words of the rendered text.

Markdown syntax and URLs do not count; in Chinese and Japanese text, where words are not separated by
spaces, each Han, Hiragana or Katakana character counts as one word. static/js/words.js implements the
same rule, and tests/fixtures/word_cases.json holds the cases both must agree on.
"""

from __future__ import annotations

import html
import re

URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre|td|th|tr|dt|dd|figcaption)>|<br\s*/?>", re.I)
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{CJK}]|[^\s{CJK}]*[^\W_][^\s{CJK}]*")


def html_to_text(fragment: str) -> str:
    return html.unescape(TAG.sub(" ", BLOCK_END.sub(" ", fragment)))


def count_text_words(text: str) -> int:
    """Words in plain text: URLs removed, CJK characters one each, other runs with a letter or digit."""
    return len(WORD.findall(URL.sub(" ", text)))


def count_html_words(fragment: str) -> int:
    return count_text_words(html_to_text(fragment))
