"""Hostile comment bodies (and reasons, and names) render inert everywhere comments appear."""

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Comment
from tests.functional.comment_helpers import seminar

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<body onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    "![x](https://evil.example/track.png)",
    "<a href='x' onclick='alert(1)'>x</a>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<style>body{display:none}</style>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<meta http-equiv=refresh content=0;url=https://evil.example>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<form action=https://evil.example><input name=q></form>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<video><source onerror=alert(1)></video>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<IMG SRC=\"jav&#x09;ascript:alert(1);\">",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "> <script>alert(1)</script>",
    "**<img src=x onerror=alert(1)>**",
    "<base href=https://evil.example/>",
    "{{ 7*7 }} {% raw %}",
    "<a href=\"https://ok.example\" target=_blank onmouseover=alert(1)>hover</a>",
    "<p title=\"x\" onclick=\"alert(1)\">text</p>",
    "[a](https://ok.example \"title\\\" onmouseover=alert(1)\")",
]

OUR_SCRIPTS = ("/static/js/",)


class Inspector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not (attrs.get("src") or "").startswith(OUR_SCRIPTS):
            self.problems.append(f"script tag {attrs}")
        if tag in {"iframe", "object", "embed", "svg", "math", "style", "base", "meta"} and tag != "meta":
            self.problems.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in attrs:
            self.problems.append("meta refresh")
        if tag == "img" and not (attrs.get("src") or "").startswith("/"):
            self.problems.append(f"outside image {attrs}")
        if tag == "link" and not (attrs.get("href") or "").startswith(("/static/", "/c/")):
            self.problems.append(f"outside link {attrs}")
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag} {name}={value}")
            if name in {"href", "src", "action", "formaction", "data"} and value:
                lowered = "".join(value.split()).lower()
                if lowered.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"{tag} {name}={value}")
        if tag == "form" and not (attrs.get("action") or "/").startswith("/"):
            self.problems.append(f"outside form {attrs}")


def assert_inert(html: str) -> None:
    inspector = Inspector()
    inspector.feed(html)
    assert inspector.problems == []


@pytest.fixture
def app_config(base_config, tmp_path):
    return {**base_config, "COMMENT_RATE_LIMIT": "1000 per minute"}


def test_at_least_forty_payloads():
    assert len(PAYLOADS) >= 40


def test_hostile_comments_render_inert_for_readers_staff_feeds_and_lists(client, auth, app):
    s = seminar()
    from coursesite.people import accounts

    accounts.enroll(s.bob, s.course, course_name="<img src=x onerror=alert('name')>")
    db.session.commit()
    auth.login(s.bob)
    for payload in PAYLOADS:
        response = client.post(s.create_url(), data={"body": payload})
        assert response.status_code in (302, 422), payload
    written = db.session.scalars(select(Comment)).all()
    assert len(written) >= 40
    first = written[0]
    client.post(f"/c/{s.course.slug}/essays/{s.essay.slug}/comments", data={"body": PAYLOADS[2], "parent_id": "x"})
    auth.logout()
    auth.login(s.carol)
    for payload in PAYLOADS[:5]:
        client.post(f"/c/{s.course.slug}/comments/{first.id}/report", data={"reason": payload})
    pages = [s.essay_url(), s.essay_url() + f"?replytocom={first.id}", f"/c/{s.course.slug}/my-comments"]
    for url in pages:
        assert_inert(client.get(url).get_data(as_text=True))
    auth.logout()
    auth.login(s.alice)
    assert_inert(client.get("/notifications").get_data(as_text=True))
    auth.logout()
    auth.login(s.ta)
    for payload in PAYLOADS[:5]:
        client.post(f"/c/{s.course.slug}/comments/{written[1].id}/hide", data={"reason": payload})
    for url in [s.essay_url(), f"/c/{s.course.slug}/moderation", f"/c/{s.course.slug}/comments/{first.id}/edit"]:
        assert_inert(client.get(url).get_data(as_text=True))
    feed = client.get(f"/c/{s.course.slug}/comments.atom").get_data(as_text=True)
    assert "<script" not in feed.replace("&lt;script", "") and "onerror=" not in feed.replace("onerror=alert", "")


def test_a_refused_hostile_comment_is_shown_back_escaped(client, auth, app):
    s = seminar()
    auth.login(s.outsider)
    payload = "</textarea><script>alert(1)</script>"
    html = client.post(s.create_url(), data={"body": payload}).get_data(as_text=True)
    assert "&lt;/textarea&gt;&lt;script&gt;" in html
    assert_inert(html)
