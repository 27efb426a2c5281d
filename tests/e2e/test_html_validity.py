"""Every page's HTML, as the server sent it, passes the Nu Html Checker (vnu.jar) without an error."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.e2e.helpers import VNU_JAR
from tests.e2e.pages import PAGES

# A known-bad document checked alongside the pages: if vnu reports nothing for it, it checked nothing.
CANARY = "<!doctype html><html lang=en><head><title>canary</title></head><body><p><div></p></body></html>"


def served_html(as_person, spec) -> str:
    """The last main-frame document the server sent (after any redirect or form post), not the live DOM."""
    page = as_person(spec.person)
    documents = []

    def keep(response):
        if response.request.is_navigation_request() and response.frame == page.main_frame \
                and not 300 <= response.status < 400:
            documents.append(response)

    page.on("response", keep)
    page.goto(spec.path)
    if spec.then:
        spec.then(page)
    page.wait_for_load_state()
    return documents[-1].text()


def run_vnu(files) -> list[dict]:
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.fail(f"needs Java 17 (apt-get install openjdk-17-jre-headless) and {VNU_JAR} (npm ci)")
    result = subprocess.run(
        [java, "-Dnu.validator.servlet.allow-forbidden-hosts=true", "-jar", str(VNU_JAR), "--errors-only",
         "--format", "json", *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )
    report = result.stderr.strip() or result.stdout.strip()
    return json.loads(report)["messages"] if report else []


def test_every_page_is_valid_html(as_person, tmp_path):
    files = []
    for spec in PAGES:
        path = tmp_path / f"{spec.name}.html"
        path.write_text(served_html(as_person, spec), encoding="utf-8")
        files.append(path)
    canary = tmp_path / "zz-canary.html"
    canary.write_text(CANARY)
    messages = run_vnu([*files, canary])
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert any(m["url"].endswith("zz-canary.html") for m in errors), "vnu found nothing in a broken page"
    errors = [m for m in errors if not m["url"].endswith("zz-canary.html")]
    lines = [f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']} :: {m.get('extract', '')!r}"
             for m in errors]
    assert not errors, f"{len(errors)} HTML errors in {len(files)} pages:\n" + "\n".join(lines)
