"""Telling a text function that is linear in its input from one that is quadratic, on any machine.

The function runs on a text and on the same text eight times longer, each measured in this process's CPU
time (other programs on the machine do not count) and best of three. Linear work grows about 8 times,
quadratic work 64 times. Linear work on a text past the processor's caches grows more: a fast function
stops at the product's length limit, so its shorter text (50,000 characters) fits in the cache and the
longer one does not, and one splitting "- =(" runs into many small strings measured 15 to 22 times on an
idle machine and 27 on a loaded one. Quadratic work measured 40 at its lowest on the loaded machine, 60 to
66 otherwise. So the bound is 32, between the two, and a ratio over it is measured twice more and judged by
the median of the three, so one burst of other work decides nothing either way. The text starts long
enough to take milliseconds where it can, so the timer's resolution does not matter; speed targets
themselves belong to `make bench`.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from hypothesis import strategies as st

GROWTH = 8
MAX_RATIO = 32
MIN_SECONDS = 0.004
MAX_LENGTH = 400_000

# The shapes that make a backtracking pattern or a recursive walk pay for each character again: long runs
# of one punctuation mark, openings never closed, entities cut short, Markdown marks that open and nest.
WORST_UNITS = [
    "<", "&#", "[](", "[", "(", "]", ")", "!", "*", "_", "`", "~", "\\", "&", "#", ">", "|", "-", "=", ".",
    "'", '"', "/", ":", "@", "\u0301", "\u200b", "\ufeff", "\x0b", "\x01", " ", "\t", "\n", " \n",
    "&#x", "&amp", "<a ", "<a href=", "<h1>", "<h2 ", "<p>", "<br>", "<li", "<pre", "<!--", "<img ", "</b>",
    "[a](", "![", "](", "**a", "*a", "_a", "> ", "- ", "1. ", "```", "~~", "http://", "www.", "a\u0301",
    "[caption", "[embed]", "\U0001f600", "\u4e00<", "a" * 40,
]
PUNCTUATION = "<>&#[]()!*_`~\\|-=.:;/'\"@{}^%$?+,"


def worst_units() -> st.SearchStrategy[str]:
    """One of the known worst shapes, a short mix of punctuation, or either with a letter or a mark mixed in."""
    mixed = st.text(alphabet=PUNCTUATION + "\u0301a ", min_size=1, max_size=6)
    return st.one_of(st.sampled_from(WORST_UNITS), mixed, st.lists(st.sampled_from(WORST_UNITS), min_size=2,
                                                                  max_size=4).map("".join))


def _cpu_seconds(func: Callable[[str], object], text: str, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        func(text)
        best = min(best, time.process_time() - start)
    return best


def growth_ratio(func: Callable[[str], object], unit: str, prefix: str = "", suffix: str = "",
                 max_length: int = MAX_LENGTH) -> float:
    """How much longer `func` takes on prefix + unit * 8n + suffix than on prefix + unit * n + suffix."""
    count = max(1, 2000 // len(unit))
    while True:
        small = _cpu_seconds(func, prefix + unit * count + suffix)
        if small >= MIN_SECONDS or len(unit) * count * GROWTH * 2 > max_length:
            break
        count *= 2
    large = _cpu_seconds(func, prefix + unit * count * GROWTH + suffix, repeats=2)
    return large / max(small, 1e-6)


def assert_linear(func: Callable[[str], object], unit: str, prefix: str = "", suffix: str = "",
                  max_length: int = MAX_LENGTH) -> None:
    """`max_length` bounds the longer text: the most the product lets into `func`, where that is less."""
    ratio = growth_ratio(func, unit, prefix, suffix, max_length)
    if ratio >= MAX_RATIO:
        # A burst of other work can land on either run: the median of three measures.
        ratio = statistics.median([ratio, *(growth_ratio(func, unit, prefix, suffix, max_length) for _ in range(2))])
    assert ratio < MAX_RATIO, f"{getattr(func, '__name__', func)} on {unit!r} runs: {GROWTH}x text took {ratio:.0f}x"
