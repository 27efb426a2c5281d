"""Markdown to safe HTML: what an essay and a comment may contain, and what never survives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursesite.text import markdown as rendering
from coursesite.text.markdown import clean_essay_html, render_comment, render_essay
from tests.inert import assert_inert, problems
from tests.payloads_markdown import HOSTILE_MARKDOWN

UPLOAD = "/c/demo-101/uploads/abcdefghijklmnopqrstuvwx.png"


def test_the_payload_list_is_long():
    assert len(HOSTILE_MARKDOWN) >= 40


@pytest.mark.parametrize("payload", HOSTILE_MARKDOWN)
def test_hostile_markdown_renders_inert_in_essays(payload):
    assert_inert(render_essay(payload))


@pytest.mark.parametrize("payload", HOSTILE_MARKDOWN)
def test_hostile_markdown_renders_inert_in_comments(payload):
    assert_inert(render_comment(payload))


@pytest.mark.parametrize("payload", HOSTILE_MARKDOWN)
def test_hostile_html_is_cleaned_when_imported(payload):
    """Imported WordPress content arrives as HTML: the sanitizer alone must make it inert."""
    assert_inert(clean_essay_html(payload))


def test_the_inertness_check_itself_catches_executable_markup():
    assert problems('<img src=x onerror="alert(1)">')
    assert problems('<a href="jav&#x09;ascript:alert(1)">x</a>')
    assert problems("<script>alert(1)</script>")
    assert not problems('<p><a href="https://example.org" rel="nofollow">x</a></p>')


def test_essays_keep_the_writing_markup():
    html = render_essay(
        "# Title\n\n## Part\n\nSome **bold** and *italic* text with `code`.\n\n> A quote\n\n"
        "- one\n- two\n\n1. first\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint(1)\n```\n\n---\n"
    )
    for tag in ("<h2>", "<strong>", "<em>", "<code>", "<blockquote>", "<ul>", "<ol>", "<table>", "<hr>",
                'class="language-python"'):
        assert tag in html
    assert "<h1>" not in html  # the essay's title is the page's only h1


def test_links_are_marked_as_user_content():
    html = render_essay("[source](https://example.org/a)")
    assert 'href="https://example.org/a"' in html
    assert 'rel="nofollow ugc noopener"' in html


def test_course_uploads_are_images_and_other_images_are_links():
    assert f'<img src="{UPLOAD}" alt="a map">' in render_essay(f"![a map]({UPLOAD})")
    outside = render_essay("![a map](https://tracker.example/pixel.png)")
    assert "<img" not in outside
    assert 'href="https://tracker.example/pixel.png"' in outside and "[image: a map]" in outside


@pytest.mark.parametrize("src", [
    "/c/demo-101/uploads/../../secret.png",
    "/c/demo-101/uploads/short.png",
    "/c/demo-101/uploads/abcdefghijklmnopqrstuvwx.svg",
    "//evil.example/c/demo-101/uploads/abcdefghijklmnopqrstuvwx.png",
    "/c/Demo/uploads/abcdefghijklmnopqrstuvwx.png",
])
def test_only_real_upload_addresses_become_images(src):
    assert "<img" not in render_essay(f"![x]({src})")


def test_comments_get_the_small_allowlist():
    html = render_comment("## Heading\n\n- item\n\n![x](" + UPLOAD + ")\n\n**bold** [a](https://example.org)")
    assert "<h2>" not in html and "<li>" not in html and "<img" not in html
    assert "<strong>bold</strong>" in html and 'rel="nofollow ugc noopener"' in html


def test_code_classes_are_limited_to_languages():
    assert 'class="language-js"' in render_essay("```js\nx\n```")
    assert "class" not in clean_essay_html('<pre><code class="x onmouseover">y</code></pre>')


def test_raw_html_is_shown_as_text_not_dropped():
    """A student writing about HTML sees their angle brackets, escaped."""
    assert "&lt;b&gt;" in render_essay("Use <b> for bold")


# Every character that means something to Markdown somewhere, spaces of several kinds, and plain letters;
# and the characters a plain line may hold, so that many texts take the shortcut.
_MARKDOWN_ALPHABET = "abc XYZ019.,;:!?'\"()[]{}<>&#*_-+=|~`\\/@$%^\t\n\r\x00\x0b\x0c\xa0\u2028\u0085é漢"
_PLAIN_ALPHABET = "abc XYZ019.,;:!?'\"(){}]>#+-=|/@$%^\t\x0b\x0c\xa0\u2028\u0085\u3000é漢\U0001F600"


@given(st.text(alphabet=_MARKDOWN_ALPHABET, max_size=40) | st.text(alphabet=_PLAIN_ALPHABET, max_size=40))
@settings(max_examples=3000, deadline=None)
def test_a_plain_line_renders_as_markdown_it_renders_it(text):
    """The shortcut for a one-line comment with no marks must give exactly what the parser gives."""
    plain = rendering._plain_paragraph(text)
    if plain is not None:
        assert plain == rendering._markdown().render(text)


@pytest.mark.parametrize("text", ["Great essay!", 'He said "no" > yes, 3 times: see p. 4 | 5'])
def test_most_comments_take_the_shortcut_and_come_out_the_same(text):
    assert rendering._plain_paragraph(text) is not None
    assert rendering.render_comment(text) == rendering.clean_comment_html(rendering._markdown().render(text))


@pytest.mark.parametrize("text", ["1. a list", "# A heading", "> quoted", "- item", "a *word*", "two\nlines",
                                  "    code", "[a](b)", "x &amp; y", "trailing  ", ""])
def test_anything_marked_goes_through_the_parser(text):
    assert rendering._plain_paragraph(text) is None
