"""Every text function that reads what a user typed or imported costs time in proportion to its length.

A pattern that backtracks, or searches again from each character, turns a run of one punctuation mark into
seconds of a worker's time per page; each function here is run on the worst shapes (tests/text_cost.py).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coursesite.essays import listing as posts
from coursesite.essays import terms
from coursesite.essays.writing import MAX_BODY_CHARS
from coursesite.people import names
from coursesite.posts.essay_feeds import absolute_urls
from coursesite.text import html_markdown, words
from coursesite.text import markdown as rendering
from coursesite.text.xml_text import xml_text
from coursesite.wordpress import content as wxr_content
from coursesite.wordpress import importer as wxr_import
from coursesite.wordpress import people as wxr_people
from tests.text_cost import MAX_RATIO, WORST_UNITS, assert_linear, worst_units

ROOT = Path(__file__).resolve().parents[3]

# What a user fills in, and every function its text goes through.
TEXT_FUNCTIONS = {
    "essay body: word count": lambda s: words.count_html_words(rendering.render_essay(s)),
    "essay body: excerpt": lambda s: words.excerpt(rendering.render_essay(s)),
    "essay body: preview": rendering.render_essay,
    "comment body": rendering.render_comment,
    "comment body: word count": words.count_text_words,
    "html word count": words.count_html_words,
    "html excerpt": words.excerpt,
    "html text": words.html_to_text,
    "title: slug": terms.slugify,
    "category: slug": terms.term_slug,
    "WordPress slug": wxr_import.slugify,
    "WordPress title": lambda s: wxr_content.plain_line(s, 300),
    "WordPress content: text": wxr_content.html_to_text,
    "WordPress content: Markdown": lambda s: html_markdown.html_to_markdown(rendering.clean_essay_html(s)),
    "feed links": lambda s: absolute_urls(s, "https://example.org/"),
    "XML text": xml_text,
    "WordPress login": wxr_people.login_key,
    "display name: impersonation key": names.name_key,
    "search: where the match is": lambda s: posts.snippet(s, ["a", "<"]),
}
# Imported content costs more per character (wpautop's patterns and the sanitizer): fewer, larger units.
IMPORT_FUNCTIONS = {
    "WordPress essay": lambda s: wxr_content.essay_html(s, "https://old.example/"),
    "WordPress comment": lambda s: wxr_content.comment_html(s, "https://old.example/"),
}
SLOW_BEFORE = ["<", "&#", "[](", "[", "(", "\u0301", "!", "<h1 ", "<h2>x", "<li"]


@pytest.mark.parametrize("unit", SLOW_BEFORE)
@pytest.mark.parametrize("name", sorted(TEXT_FUNCTIONS))
def test_runs_that_were_quadratic(name, unit):
    assert_linear(TEXT_FUNCTIONS[name], unit)


@pytest.mark.parametrize("name", sorted(TEXT_FUNCTIONS))
@settings(max_examples=6, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(unit=worst_units())
@example(unit="<")
@example(unit="&#")
@example(unit="[](")
def test_worst_shapes_cost_linear_time(name, unit):
    assert_linear(TEXT_FUNCTIONS[name], unit)


@pytest.mark.parametrize("name", sorted(IMPORT_FUNCTIONS))
@pytest.mark.parametrize("unit", ["<", "&#", "<a ", "<img ", "<!--", "<li", "<p>", "<br>", " ", "\n"])
def test_imported_content_costs_linear_time(name, unit):
    # An essay's length limit: past it the sanitizer's time on one run of entities grows faster (imports
    # are bounded per item by wxr_parse.MAX_CONTENT_CHARS).
    assert_linear(IMPORT_FUNCTIONS[name], unit, max_length=MAX_BODY_CHARS)


@pytest.mark.parametrize("unit", ["<", "[](", "&#", "*"])
def test_a_long_word_around_the_run_changes_nothing(unit):
    assert_linear(words.count_text_words, unit, prefix="a" * 5000, suffix="b" * 5000)
    assert_linear(words.excerpt, unit, prefix="<p>" + "word " * 60, suffix="</p>")


# The word rule as it was written first: kept here as the reference the linear one must agree with.
_SPACE = words.SPACE
_CJK = words.CJK
REFERENCE_WORD = re.compile(rf"[{_CJK}]|[^{_SPACE}{_CJK}]*[^\W_{_CJK}][^{_SPACE}{_CJK}]*")


def _reference_count(text: str) -> int:
    return len(REFERENCE_WORD.findall(words.URL.sub(" ", text)))


@given(text=st.one_of(st.text(max_size=300), worst_units().flatmap(lambda u: st.integers(1, 30).map(u.__mul__))))
def test_counts_are_what_they_were(text):
    assert words.count_text_words(text) == _reference_count(text)


@pytest.mark.parametrize("unit", WORST_UNITS)
def test_counts_are_what_they_were_with_words_around(unit):
    text = f"one {unit * 3}two {unit} three{unit}four 字{unit}語"
    assert words.count_text_words(text) == _reference_count(text)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js not installed")
def test_the_browser_counter_is_linear_too():
    # The same measure as tests/text_cost.py, in Node's CPU time, for the editor's live count.
    script = """
    global.window = {}; require(process.argv[1]);
    const W = window.CoursesiteWords;
    const cpu = (f, s) => { let best = Infinity; for (let i = 0; i < 3; i++) {
      const t = process.cpuUsage(); f(s); const u = process.cpuUsage(t); best = Math.min(best, u.user + u.system); }
      return best; };
    const out = {};
    for (const unit of JSON.parse(process.argv[2])) {
      let n = 2000;
      const both = (s) => { W.countText(s); W.countMarkdown(s); };
      while (cpu(both, unit.repeat(n)) < 4000 && n * unit.length * 16 < 400000) n *= 2;
      out[unit] = cpu(both, unit.repeat(8 * n)) / Math.max(cpu(both, unit.repeat(n)), 1);
    }
    console.log(JSON.stringify(out));
    """
    units = ["<", "&#", "[](", "[", "(", "](", "![", "\u0301", "*", "a"]
    result = subprocess.run(["node", "-e", script, str(ROOT / "static/js/words.js"), json.dumps(units)],
                            capture_output=True, text=True, timeout=300, check=True)
    ratios = json.loads(result.stdout)
    assert all(ratio < MAX_RATIO for ratio in ratios.values()), ratios


@pytest.mark.parametrize("unit", ["<br>", "<br> ", "<br>\n", " "])
def test_line_breaks_inside_emphasis_cost_linear_time(unit):
    # Spaces and hard breaks between two words: the Markdown converter found the trailing ones from each
    # character of the run.
    assert_linear(TEXT_FUNCTIONS["WordPress content: Markdown"], unit, prefix="<p><em>a", suffix="b</em></p>")
