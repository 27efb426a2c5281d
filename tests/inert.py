"""Checks that HTML produced from user input cannot run anything in a browser."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

FORBIDDEN_TAGS = frozenset(
    {"script", "iframe", "object", "embed", "svg", "math", "style", "form", "input", "button", "base", "meta",
     "link", "frame", "frameset", "applet", "template", "noscript", "textarea", "select", "video", "audio", "source"}
)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"})
SAFE_SCHEMES = ("http://", "https://", "mailto:")
CONTROL = re.compile(r"[\x00-\x20\x7f]+")
UPLOAD = re.compile(r"^(https?://[^/]+)?/c/[a-z0-9-]+/uploads/[\w.-]+$")


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event attribute {name} on <{tag}>")
            if name in ("style", "srcdoc", "formaction"):
                self.problems.append(f"{name} attribute on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                url = CONTROL.sub("", html.unescape(value)).lower()
                if ":" in url.split("/")[0] and not url.startswith(SAFE_SCHEMES):
                    self.problems.append(f"{name}={value!r} on <{tag}>")
            if tag == "img" and name == "src" and value and not UPLOAD.match(value):
                self.problems.append(f"image from outside the course uploads: {value!r}")


def problems(fragment: str) -> list[str]:
    inspector = _Inspector()
    inspector.feed(fragment)
    inspector.close()
    return inspector.problems


def assert_inert(fragment: str) -> None:
    found = problems(fragment)
    assert not found, f"{found} in {fragment!r}"
