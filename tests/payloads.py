"""Hostile input every user-controlled field is pushed through (tests/functional/security/test_xss.py and later areas).

Each payload is at most 80 characters so that it fits every short field (term, section) unchanged.
A page that shows one must show it as text: no new tags, no event handlers, no javascript: links, and
template syntax left alone (TEMPLATE_MARKERS must not appear as numbers). assert_page_is_safe() checks that.
"""

import re
from html import unescape
from html.parser import HTMLParser

XSS_PAYLOADS: list[str] = [
    # script tags
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script>alert(document.cookie)</script>",
    "<scr<script>ipt>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</option><script>alert(1)</script>",
    "<script/x>alert(1)</script>",
    "<<script>alert(1)//<</script>",
    # event handlers
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=\"alert(1)\">",
    "<body onload=alert(1)>",
    "<div onmouseover=\"alert(1)\">hover</div>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>",
    "<img src=x:x onerror=alert(1)//",
    "<iframe onload=alert(1)></iframe>",
    # javascript: URLs
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">click</a>",
    "<a href=\"java&#x09;script:alert(1)\">tab</a>",
    "<a href=\" javascript:alert(1)\">space</a>",
    "javascript:alert(1)",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<form action=\"javascript:alert(1)\"><button>go</button></form>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    # SVG and MathML tricks
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    # markdown link and image tricks
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "![x](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    "[x](&#106;avascript:alert(1))",
    "[a](https://ok.example \"x\" onmouseover=alert(1))",
    # attribute breaking
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "\" onmouseover=\"alert(1)",
    "' onfocus='alert(1)' autofocus='",
    "\" autofocus onfocus=alert(1) x=\"",
    "`><img src=x onerror=alert(1)>",
    # entity-encoded and escaped variants
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    "<a href=\"&#106;&#97;&#118;&#97;script:alert(1)\">x</a>",
    # odd markup the browser still runs
    "<base href=\"javascript:alert(1)//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<style>@import 'javascript:alert(1)';</style>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    # template injection
    "{{7*7}}",
    "{{ 13337*7331 }}",
    "{% print 13337*7331 %}",
    "${13337*7331}",
    "#{13337*7331}",
    "{{config.SECRET_KEY}}",
    "{{ ''.__class__.__mro__ }}",
    # runs a backtracking pattern pays for again from each character, and characters XML forbids
    "<" * 80,
    "&#" * 40,
    "[](" * 26,
    "[" * 80,
    "**_" * 26,
    "a\u0301" * 40,
    "Vertical\x0btab, start\x01of heading, escape\x1b and form\x0cfeed",
    "\ufffe\uffff not characters \x08",
]

# --- identity: names and emails that pass for someone else ----------------------------------------------
# A course display name written any of these ways reads as IMPERSONATED_NAME and must be refused when that is
# another member's name (tests/functional/accounts/test_pseudonyms.py).
IMPERSONATED_NAME = "Prof. Ada Smith"
NAME_LOOKALIKES: list[str] = [
    "Prof. Ada Smith",
    "prof. ada smith",
    "PROF. ADA SMITH",
    "  Prof.   Ada\tSmith ",  # runs of spaces, a tab
    "Prof Ada Smith",  # punctuation dropped
    "Ｐｒｏｆ． Ａｄａ Ｓｍｉｔｈ",  # fullwidth
    "Prof. \u0410da Smith",  # Cyrillic capital A
    "Pr\u043ef. Ada Smith",  # Cyrillic small o
    "Prof. Ad\u03b1 Smith",  # Greek alpha
    "Prof. Ádá Smith",  # accents
    "Prof. A\u0301da Smith",  # a combining accent
    "Prof.\u200b Ada Smith",  # zero-width space
    "\u202eProf. Ada Smith",  # a direction override
    "Prof. Ada Smit\u0127",  # h with stroke
]
# Emails that are IMPERSONATED_EMAIL's account (email addresses are matched case-insensitively) ...
IMPERSONATED_EMAIL = "admin@example.edu"
SAME_EMAIL_VARIANTS: list[str] = ["Admin@Example.edu", "ADMIN@EXAMPLE.EDU", "  admin@example.edu  "]
# ... and emails that are other addresses: never that account (tests/functional/wordpress/test_wxr_identity.py).
OTHER_EMAIL_VARIANTS: list[str] = [
    "admin+blog@example.edu",  # a +tag is another address as far as this site knows
    "ａｄｍｉｎ@example.edu",  # fullwidth letters
    "admin@example.edu.",
    "\u0430dmin@example.edu",  # Cyrillic a
]

# What an evaluated template payload would produce (13337*7331); no page that shows the payloads may contain it.
TEMPLATE_MARKERS = ("97773547",)  # a number no counter of the test data reaches


# --- checking a rendered page ---------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "svg", "math", "base", "frame", "frameset", "applet", "style"}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.I)


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.problems.append(f"<script> that is not ours: {attrs}")
        is_our_chart = tag == "svg" and (attributes.get("class") or "").split()[:1] == ["chart"]
        if tag in FORBIDDEN_TAGS and not is_our_chart:
            self.problems.append(f"<{tag}> tag")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        href = attributes.get("href") or ""
        is_feed = attributes.get("rel") == "alternate" and href.startswith("/c/") and href.endswith(".atom")
        if tag == "link" and not (href.startswith("/static/") or is_feed):
            self.problems.append(f"<link> that is not ours: {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            # Browsers ignore whitespace and control characters inside a URL's scheme.
            squeezed = re.sub(r"[\x00-\x20]", "", value or "")
            if name in URL_ATTRIBUTES and BAD_SCHEME.match(squeezed):
                self.problems.append(f"{name}={value!r} on <{tag}>")
            if name == "style":
                self.problems.append(f"inline style on <{tag}>")


def executable_markup(html: str) -> list[str]:
    """What in this page a browser could run that our templates never write."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.problems


def visible_text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def assert_page_is_safe(html: str, where: str = "") -> None:
    problems = executable_markup(html)
    assert not problems, f"{where}: {problems}"
    text = visible_text(html)
    for marker in TEMPLATE_MARKERS:
        assert marker not in text, f"{where}: template syntax was evaluated ({marker})"


# --- numbers ---------------------------------------------------------------------------------------------
# Typed where a page, an id or a count is read. None may reach the database driver (SQLite stops at 2**63-1,
# PostgreSQL's INTEGER at 2**31-1): each answers 400/404 or a field error. "²" and "٣" pass str.isdigit(),
# and int() takes "٣", "+2" and " 7".
HUGE_NUMBER = "99999999999999999999999"
NUMBER_PAYLOADS: list[str] = [
    HUGE_NUMBER, "9223372036854775808", "2147483648", "-1", "0", "1e9", "2.5", "٣", "²", "+2", " 7", "", "NaN",
]

# Dates typed in any date field: year 9999 moves past datetime's range when converted from the course's zone.
DATE_PAYLOADS: list[str] = ["9999-12-31T23:59", "0001-01-01T00:00", "1000-01-01T00:00", "3000-01-01T00:00"]
