"""WordPress content made safe: paragraphs, block comments, images as links, hostile HTML inert."""

import pytest

from coursesite.wordpress.content import autop, comment_html, essay_html, html_to_text, plain_line
from coursesite.wordpress.importer import slugify


def test_blank_lines_make_paragraphs_and_newlines_make_breaks():
    assert autop("Hello\nworld\n\nSecond") == "<p>Hello<br>\nworld</p>\n<p>Second</p>\n"


def test_block_html_is_not_wrapped_and_pre_keeps_its_blank_lines():
    html = autop("Intro\n\n<blockquote>One\n\nTwo</blockquote>\n\n<pre>a\n\nb</pre>\nend")
    assert html == ("<p>Intro</p>\n<blockquote><p>One</p>\n<p>Two</p></blockquote>\n<pre>a\n\nb</pre>\n"
                    "<p>end</p>\n")


def test_block_editor_comments_are_removed_without_adding_paragraphs():
    html, _ = essay_html("<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:more --><!--more-->")
    assert html == "<p>One</p>"


def test_images_become_links_and_are_listed():
    html, images = essay_html(
        '[caption id="x" width="300"]<a href="/wp-content/uploads/big.jpg"><img src="/wp-content/uploads/s.jpg" '
        'alt="A > B"></a> Bridge[/caption]\n\n<img src="https://cdn.example/t.png">',
        "https://old.example/blog",
    )
    assert "<img" not in html
    assert '<a href="https://old.example/wp-content/uploads/big.jpg" rel="nofollow ugc noopener">' in html
    assert "[image: A &gt; B]" in html and "Bridge" in html
    assert images == ["https://old.example/wp-content/uploads/s.jpg", "https://cdn.example/t.png"]


def test_course_uploads_stay_images():
    src = "/c/hist-101/uploads/Vq3kX9_aB-2mLpQr7sTu.png"  # a storage key as uploads are named
    html, images = essay_html(f'<p><img src="{src}" alt="map"></p>')
    assert f'<img src="{src}" alt="map">' in html
    assert images == []


def test_headings_one_become_two():
    assert essay_html("<h1>Title</h1>")[0] == "<h2>Title</h2>"


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<details open ontoggle=alert(1)>x</details>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '"><script>alert(1)</script>',
    "<object data=javascript:alert(1)></object>",
    '<p onclick="alert(1)">x</p>',
    "<!--><script>alert(1)</script>-->",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
]


@pytest.mark.parametrize("payload", XSS)
def test_hostile_html_is_inert_in_essays_and_comments(payload):
    for html in (essay_html(payload)[0], comment_html(payload), essay_html(f"<!-- wp:html -->{payload}")[0]):
        lowered = html.lower()
        for bad in ("<script", "onerror", "onload", "ontoggle", "onclick", "javascript:", "<iframe", "<svg",
                    "style=", "<form", "<object", "data:text"):
            assert bad not in lowered, (payload, html)


def test_plain_line_drops_tags_entities_and_bidi_overrides():
    assert plain_line("<em>Markup</em> &amp; \u202eevil\u202c  title", 100) == "Markup & evil title"
    assert plain_line("x" * 50, 10) == "x" * 10


def test_slugs_keep_any_script_and_decode_wordpress_escapes():
    assert slugify("%e8%bf%9c%e5%be%81") == "远征"
    assert slugify("Hello, World!") == "hello-world"
    assert slugify("hello-w\u202eorld\u202c-utf8-💫-test") == "hello-w-orld-utf8-test"


def test_text_version_keeps_paragraphs_and_lines():
    html, _ = essay_html("para one\nline two\n\n<ul><li>a</li><li>b</li></ul>\n\n&amp; more")
    assert html_to_text(html) == "para one\nline two\n\n- a\n- b\n\n& more"
