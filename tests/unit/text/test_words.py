"""The one word-counting rule (shared with static/js/words.js through tests/fixtures/word_cases.json)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursesite.text.markdown import render_essay
from coursesite.text.words import count_html_words, count_text_words, excerpt

ROOT = Path(__file__).resolve().parents[3]
CASES = json.loads((ROOT / "tests/fixtures/word_cases.json").read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["note"] for c in CASES])
def test_shared_cases(case):
    assert count_text_words(case["text"]) == case["words"]


def test_fixture_covers_the_hard_parts():
    notes = " ".join(c["note"] for c in CASES)
    for topic in ("URL", "Japanese", "Chinese", "Korean", "Markdown", "emoji", "space"):
        assert topic in notes


@pytest.mark.parametrize("markdown, words", [
    ("**Bold** and *italic* words", 4),
    ("## A heading\n\nA paragraph.", 4),
    ("> Quoted words here", 3),
    ("- one\n- two\n- three", 3),
    ("[the link text](https://example.org/a/very/long/path)", 3),
    ("See <https://example.org/page> now", 2),
    ("![a picture of a map](/c/demo-101/uploads/abcdefghijklmnopqrstuvwx.png) Caption", 1),
    ("`code` and ```\nblock code\n```", 4),
    ("| a | b |\n|---|---|\n| one | two |", 4),
    ("中文**重要**", 4),
    ("word&nbsp;word", 2),
    ("A&amp;B", 1),
])
def test_counts_the_rendered_text_not_the_markdown(markdown, words):
    assert count_html_words(render_essay(markdown)) == words


def test_block_ends_separate_words():
    assert count_html_words("<p>end</p><p>start</p><ul><li>a</li><li>b</li></ul>") == 4
    assert count_html_words("line<br>break") == 2


@given(st.lists(st.from_regex(r"[A-Za-z0-9]{1,12}", fullmatch=True), max_size=40))
def test_space_separated_words_count_once_each(words):
    assert count_text_words(" ".join(words)) == len(words)


@given(st.text(max_size=200))
def test_count_never_exceeds_the_characters(text):
    assert 0 <= count_text_words(text) <= len(text)


@given(st.text(max_size=100), st.text(max_size=100))
def test_joining_with_a_space_adds_the_counts(left, right):
    assert count_text_words(left + " " + right) <= count_text_words(left) + count_text_words(right) + 1


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js not installed")
def test_the_browser_counter_agrees_on_every_case():
    script = (
        "global.window={};require(process.argv[1]);"
        "const c=JSON.parse(require('fs').readFileSync(0,'utf8'));"
        "console.log(JSON.stringify(c.map(x=>window.CoursesiteWords.countText(x.text))));"
    )
    result = subprocess.run(
        ["node", "-e", script, str(ROOT / "static/js/words.js")],
        input=json.dumps(CASES), capture_output=True, text=True, timeout=30, check=True,
    )
    assert json.loads(result.stdout) == [c["words"] for c in CASES]


class TestExcerpt:
    def test_short_text_is_kept_whole(self):
        assert excerpt("<p>Only a few words.</p>") == "Only a few words."

    def test_long_text_is_cut_at_55_words_with_a_marker(self):
        html = "<p>" + " ".join(f"w{i}" for i in range(100)) + "</p>"
        text = excerpt(html)
        assert text.endswith(" […]")
        assert count_text_words(text.removesuffix(" […]")) == 55

    def test_headings_are_left_out_and_entities_decoded(self):
        assert excerpt("<h2>Heading</h2><p>Tom &amp; Jerry</p>") == "Tom & Jerry"

    def test_cjk_text_is_cut_by_characters(self):
        text = excerpt("<p>" + "字" * 80 + "</p>")
        assert text == "字" * 55 + " […]"

    def test_exactly_55_words_has_no_marker(self):
        assert not excerpt("<p>" + " ".join(["word"] * 55) + "</p>").endswith("[…]")
