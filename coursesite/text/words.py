"""Counting words one way everywhere: the words of the rendered text.

Markdown syntax and URLs do not count; in Chinese and Japanese text, where words are not separated by
spaces, each Han, Hiragana or Katakana character counts as one word. static/js/words.js implements the
same rule with the same character classes, and tests/fixtures/word_cases.json holds the cases both must
agree on.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from coursesite.text.tags import replace_tags

# Spelled out rather than \s, whose meaning differs between Python and JavaScript: this is the union of
# both, so a character is a separator in the browser exactly when it is one on the server.
SPACE = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
URL = re.compile(rf"(?:https?://|www\.)[^{SPACE}]+", re.IGNORECASE)
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre|td|th|tr|dt|dd|figcaption)>|<br\s*/?>", re.I)
# A word: one CJK character, or a run of other non-space characters holding at least one letter or digit.
# Runs are matched whole and tested for a letter after: one pattern asking for the letter inside the run
# backtracks through every run without one, from each of its characters (the square of its length).
RUN = re.compile(rf"(?P<cjk>[{CJK}])|[^{SPACE}{CJK}]++")
LETTER_OR_DIGIT = re.compile(r"[^\W_]")

EXCERPT_WORDS = 55
EXCERPT_MORE = " [\u2026]"


def html_to_text(fragment: str) -> str:
    return html.unescape(replace_tags(BLOCK_END.sub(" ", fragment), " "))


def _words(text: str) -> Iterator[re.Match]:
    return (run for run in RUN.finditer(text) if run.group("cjk") or LETTER_OR_DIGIT.search(run.group()))


def count_text_words(text: str) -> int:
    """Words in plain text: URLs removed, CJK characters one each, other runs with a letter or digit."""
    return sum(1 for _word in _words(URL.sub(" ", text)))


def count_html_words(fragment: str) -> int:
    return count_text_words(html_to_text(fragment))


HEADING_OPEN = re.compile(r"<h([1-6])\b[^>]*>", re.I)
HEADING_CLOSE = {level: re.compile(f"</h{level}>", re.I) for level in "123456"}


def _without_headings(fragment: str) -> str:
    """Headings replaced by a space, each level's end searched for once: a level with no end left closes
    none of its later openings, and looking again from each would cost the square of the text's length."""
    out, done, start, end = [], 0, 0, fragment.rfind(">") + 1
    unclosed: set[str] = set()
    while match := HEADING_OPEN.search(fragment, start, end):
        level = match.group(1)
        close = None if level in unclosed else HEADING_CLOSE[level].search(fragment, match.end())
        if close is None:
            unclosed.add(level)
            start = match.end()
            continue
        out += [fragment[done:match.start()], " "]
        done = start = close.end()
    return "".join(out) + fragment[done:]


def excerpt(fragment: str, words: int = EXCERPT_WORDS) -> str:
    """The first `words` words of rendered HTML as plain text, the way WordPress makes an excerpt
    (headings left out: run into the sentences around them they read as nonsense)."""
    text = " ".join(html_to_text(_without_headings(fragment)).split())
    found = _words(text)
    for number, match in enumerate(found, start=1):
        if number == words:
            if next(found, None) is not None:
                return text[: match.end()].rstrip(" ,;:") + EXCERPT_MORE
            return text
    return text
