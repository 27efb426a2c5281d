"""Imported HTML turned back into Markdown renders to the same text (the essay editor keeps Markdown)."""

import html

from hypothesis import given
from hypothesis import strategies as st

from coursesite.text.html_markdown import html_to_markdown
from coursesite.text.markdown import render_essay
from coursesite.text.words import html_to_text


def words(fragment: str) -> list[str]:
    return html_to_text(fragment).split()


def test_formatting_survives():
    source = ('<h2>The Plan</h2><p>Aid was <em>large</em>, <strong>fast</strong> and '
              '<a href="https://example.org/a_(b)">documented</a>.</p><blockquote><p>Quoted</p></blockquote>'
              '<ul><li>one</li><li>two</li></ul><pre><code>x = 1\n\ny = 2</code></pre>')
    rendered = render_essay(html_to_markdown(source))
    for piece in ("<h2>The Plan</h2>", "<em>large</em>", "<strong>fast</strong>", 'href="https://example.org/a_(b)"',
                  "<blockquote>", "<li>one</li>", "x = 1\n\ny = 2"):
        assert piece in rendered


def test_line_starts_that_look_like_markdown_stay_text():
    source = "<p>1. not a list<br>- nor this<br># nor a heading<br>=== nor this</p>"
    assert words(render_essay(html_to_markdown(source))) == words(source)
    assert "<ol>" not in render_essay(html_to_markdown(source))


TEXT = st.text(alphabet=st.sampled_from(list("ab 1.#-+*_`[]()<>!~|\\=&;:\n")), max_size=60)


@given(TEXT)
def test_any_text_renders_back_to_itself(text):
    source = f"<p>{html.escape(text)}</p>"
    assert words(render_essay(html_to_markdown(source))) == words(source)
