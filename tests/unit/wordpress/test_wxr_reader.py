"""Reading a WXR file a piece at a time: what a hostile file of tiny elements may cost, and how it is refused."""

import weakref
from xml.etree.ElementTree import Element

import pytest

from coursesite.wordpress import reader
from coursesite.wordpress.parse import WxrError, parse_wxr
from coursesite.wordpress.reader import MAX_AUTHORS, MAX_DEPTH, MAX_ITEMS

HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        b'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Blog</title><wp:wxr_version>1.2</wp:wxr_version>')
TAIL = b"</channel></rss>"
ITEM = b"<item><title>One</title><wp:post_id>7</wp:post_id><wp:post_type>post</wp:post_type>"
COMMENT = (b"<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author>Ann</wp:comment_author>"
           b"<wp:comment_content>Hi</wp:comment_content><wp:comment_approved>1</wp:comment_approved>"
           b"<wp:commentmeta><wp:meta_key>k</wp:meta_key><wp:meta_value>v</wp:meta_value></wp:commentmeta>"
           b"</wp:comment>")
POSTMETA = b"<wp:postmeta><wp:meta_key>k</wp:meta_key><wp:meta_value>v</wp:meta_value></wp:postmeta>"


def wxr(channel: bytes, after: bytes = TAIL) -> bytes:
    return HEAD + channel + after


def one_item(inside: bytes) -> bytes:
    return wxr(ITEM + inside + b"</item>")


@pytest.fixture
def held(monkeypatch):
    """How many elements the reader holds at once, at most: each one it makes is watched until it is freed."""
    count = {"now": 0, "most": 0}
    watched = set()

    def freed(ref):
        count["now"] -= 1
        watched.discard(ref)

    def watched_element(tag, attrib):
        element = Element(tag, attrib)
        count["now"] += 1
        count["most"] = max(count["most"], count["now"])
        watched.add(weakref.ref(element, freed))
        return element

    monkeypatch.setattr(reader, "Element", watched_element)
    return count


def test_the_reader_holds_a_few_elements_at_a_time_however_many_the_file_has(held):
    comments = b"".join(COMMENT % n for n in range(1, 3001))
    data = one_item(POSTMETA * 3000 + b'<category domain="post_tag" nicename="t">T</category>' * 3000 + comments)
    assert data.count(b"<") > 60_000
    doc = parse_wxr(data)
    assert len(doc.items) == 1 and len(doc.items[0].terms) == 3000
    assert [c.comment_id for c in doc.items[0].comments] == list(range(1, 3001))
    assert (doc.items[0].comments[-1].author, doc.items[0].comments[-1].content) == ("Ann", "Hi")
    # The channel and its fields, the item and its fields, one comment and its fields.
    assert held["most"] <= 30


def test_elements_the_import_does_not_read_are_never_made(held):
    parse_wxr(one_item(POSTMETA * 10_000 + b"<x/>" * 10_000))
    assert held["most"] <= 10


@pytest.mark.parametrize(
    "unit,count,what",
    [
        (b"<item/>", MAX_ITEMS, "20,000 items (posts, pages and media)"),
        (b"<wp:author><wp:author_login>a</wp:author_login></wp:author>", MAX_AUTHORS, "20,000 authors"),
    ],
)
def test_a_file_with_more_items_or_authors_than_an_export_holds_is_refused(unit, count, what):
    assert parse_wxr(wxr(unit * count))
    with pytest.raises(WxrError) as caught:
        parse_wxr(wxr(unit * (count + 1)))
    assert str(caught.value) == (f"refused: the file holds more than {what}, more than a course blog's export "
                                 "would (in WordPress, export one author or a range of dates at a time)")


@pytest.mark.parametrize(
    "unit,what",
    [(b"<wp:comment/>", "50,000 comments"), (b"<category/>", "50,000 categories and tags on its items")],
)
def test_a_file_with_more_comments_or_categories_than_an_export_holds_is_refused(unit, what):
    data = wxr(ITEM + unit * 25_000 + b"</item>" + ITEM + unit * 25_001 + b"</item>")
    with pytest.raises(WxrError, match=f"^refused: the file holds more than {what}, more than"):
        parse_wxr(data)


@pytest.mark.parametrize("kind,unit", [("comment", b"<wp:comment/>"), ("category", b"<category/>")])
def test_comments_and_categories_are_counted_over_the_whole_file(monkeypatch, kind, unit):
    monkeypatch.setitem(reader.LIMITS, kind, (100, kind))
    assert parse_wxr(wxr(ITEM + unit * 50 + b"</item>" + ITEM + unit * 50 + b"</item>"))
    with pytest.raises(WxrError, match=f"^refused: the file holds more than 100 {kind}, more than"):
        parse_wxr(wxr(ITEM + unit * 50 + b"</item>" + ITEM + unit * 51 + b"</item>"))


def test_a_file_with_more_xml_elements_than_an_export_holds_is_refused(monkeypatch):
    monkeypatch.setitem(reader.LIMITS, "element", (1_000, "XML elements"))
    assert parse_wxr(one_item(b"<x/>" * 990))
    with pytest.raises(WxrError, match="^refused: the file holds more than 1,000 XML elements, more than"):
        parse_wxr(one_item(b"<x/>" * 1_000))


def test_the_refusal_comes_as_the_limit_is_passed_without_reading_further():
    # What follows the item over the limit is not even well-formed: it is never read.
    data = wxr(b"<item/>" * (MAX_ITEMS + 1), after=b"<<<not xml" * 1000)
    with pytest.raises(WxrError, match="more than 20,000 items"):
        parse_wxr(data)


def nested(depth: int) -> bytes:
    return b"<x>" * depth + b"</x>" * depth


def test_nesting_deeper_than_an_export_is_refused_before_the_rest_is_read():
    # rss, channel and item are three levels: an export of 100 levels is still read.
    assert parse_wxr(one_item(nested(MAX_DEPTH - 3))).items[0].post_id == 7
    deep = HEAD + ITEM + b"<x>" * 200_000  # and never closed
    with pytest.raises(WxrError) as caught:
        parse_wxr(deep, max_bytes=len(deep))
    assert str(caught.value) == ("refused: the file nests XML elements more than 100 levels deep "
                                 "(a WordPress export nests 6)")


def test_only_the_first_copy_of_a_field_is_read_as_before():
    data = one_item(b"<title>Second</title>" * 1000 + b"<wp:post_id>8</wp:post_id>")
    item = parse_wxr(data).items[0]
    assert (item.title, item.post_id) == ("One", 7)


def test_a_field_reads_its_text_up_to_its_first_child_as_before():
    item = parse_wxr(wxr(b"<item><title> Before <b>bold</b> after</title><wp:post_id>3</wp:post_id></item>")).items[0]
    assert item.title == "Before"


def test_a_doctype_is_still_refused_before_anything_is_expanded():
    data = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "b">]>' + HEAD.split(b"?>", 1)[1] + b"&a;" + TAIL
    with pytest.raises(WxrError, match="^refused: the file declares a DOCTYPE"):
        parse_wxr(data)
