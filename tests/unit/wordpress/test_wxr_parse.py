"""Reading WXR files: hardened parsing, any wp namespace, and WordPress's dates."""

from datetime import UTC, datetime

import pytest

from coursesite.wordpress.parse import WxrError, parse_wxr, wxr_time

MINIMAL = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{ns}">
<channel><title>Blog</title><wp:wxr_version>{version}</wp:wxr_version>
<wp:base_site_url>http://old.example</wp:base_site_url>
<item><title>One</title><dc:creator>ann</dc:creator><content:encoded><![CDATA[Hi]]></content:encoded>
<wp:post_id>7</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item>
</channel></rss>"""


@pytest.mark.parametrize(
    "ns,version",
    [
        ("http://wordpress.org/export/1.0/", "1.0"),
        ("http://wordpress.org/export/1.1/", "1.1"),
        ("http://wordpress.org/export/1.2/", "1.2"),
        ("https://wordpress.org/export/1.2/", "1.2"),
        ("https://wordpress.org/export/1.3/", "1.3"),
    ],
)
def test_the_wp_namespace_is_read_from_the_document(ns, version):
    doc = parse_wxr(MINIMAL.format(ns=ns, version=version).encode())
    assert doc.version == version
    assert [(i.post_id, i.title, i.creator, i.status) for i in doc.items] == [(7, "One", "ann", "publish")]


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss><channel><title>&lol3;</title></channel></rss>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://example.com/evil.dtd"><rss/>"""
DOCTYPE_ONLY = b"""<?xml version="1.0"?><!DOCTYPE rss><rss><channel/></rss>"""


@pytest.mark.parametrize(
    "data,reason",
    [
        (BOMB, "refused: the file declares a DOCTYPE"),
        (EXTERNAL, "refused: the file declares a DOCTYPE"),
        (DOCTYPE_ONLY, "refused: the file declares a DOCTYPE"),
        (b"this is not xml", "not a WordPress export (WXR): this is not an XML file"),
        (b"email,name\nada@example.org,Ada\n", "not a WordPress export (WXR): this is not an XML file"),
        (b"", "the file is empty"),
        (b" \n\n", "the file is empty"),
        (MINIMAL.format(ns="http://wordpress.org/export/1.2/", version="1.2").encode()[:-20],
         "the file stops part-way through"),
        (b"<rss><channel><title>Feed</title></chan></rss>", "not well-formed XML: mismatched tag"),
        (b"<html><body>hello</body></html>", "not a WordPress export"),
        (b"<rss><channel><title>Feed</title></channel></rss>", "not a WordPress export"),
        (MINIMAL.format(ns="http://wordpress.org/export/1.2/", version="x").encode(), "not a WordPress export"),
    ],
)
def test_bad_input_is_refused_with_one_line(data, reason):
    with pytest.raises(WxrError) as caught:
        parse_wxr(data)
    assert str(caught.value).startswith(reason)
    assert "\n" not in str(caught.value)


def test_files_over_the_limit_are_refused_before_parsing():
    data = MINIMAL.format(ns="http://wordpress.org/export/1.2/", version="1.2").encode()
    with pytest.raises(WxrError, match="larger than the limit"):
        parse_wxr(data, max_bytes=len(data) - 1)


def test_gmt_time_wins():
    assert wxr_time("2011-01-18 07:40:14", "2011-01-18 02:40:14", "America/New_York") == datetime(
        2011, 1, 18, 7, 40, 14, tzinfo=UTC
    )


def test_zero_gmt_falls_back_to_local_time_in_the_course_zone():
    # small-export.xml's draft page: post_date 2011-01-18 07:46:29, post_date_gmt 0000-00-00 00:00:00.
    assert wxr_time("0000-00-00 00:00:00", "2011-01-18 07:46:29", "America/New_York") == datetime(
        2011, 1, 18, 12, 46, 29, tzinfo=UTC
    )
    assert wxr_time("0000-00-00 00:00:00", "2011-07-18 07:46:29", "America/New_York") == datetime(
        2011, 7, 18, 11, 46, 29, tzinfo=UTC
    )
    assert wxr_time("0000-00-00 00:00:00", "2011-01-18 07:46:29", "Asia/Tokyo") == datetime(
        2011, 1, 17, 22, 46, 29, tzinfo=UTC
    )


def test_times_the_clocks_skip_or_repeat_are_still_read():
    assert wxr_time("", "2021-03-14 02:30:00", "America/New_York") == datetime(2021, 3, 14, 7, 30, tzinfo=UTC)
    assert wxr_time("", "2021-11-07 01:30:00", "America/New_York") == datetime(2021, 11, 7, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize("gmt,local", [("", ""), ("0000-00-00 00:00:00", "0000-00-00 00:00:00"), ("soon", "later")])
def test_no_usable_date_gives_none(gmt, local):
    assert wxr_time(gmt, local, "UTC") is None
