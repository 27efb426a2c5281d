"""Steps a person takes in the browser, and the accessibility and markup checkers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.live_server import PROJECT_ROOT, LiveServer

E2E_DIR = Path(__file__).resolve().parent
NODE_MODULES = Path(os.environ.get("COURSESITE_NODE_MODULES", E2E_DIR / "node_modules"))
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_PATH = "/__e2e__/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

DEMO_PASSWORD = "coursesite-demo"
PEOPLE = {
    "instructor": "instructor@example.edu",
    "ta": "ta@example.edu",
    "student": "student1@example.edu",
    "student2": "student2@example.edu",
    "student3": "student3@example.edu",  # has an extension on the demo's current assignment
    "student10": "student10@example.edu",  # has a draft in the demo
    "admin": "admin@example.edu",  # the site admin
}
DEMO_SLUG = "demo-101"


def unique(prefix: str) -> str:
    """A name no earlier run used: journeys share one server and must not collide."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    account_nav = page.get_by_role("navigation", name="Account")
    expect(account_nav.get_by_role("link", name="Log in")).to_be_visible()


def sign_up(page: Page, email: str, name: str, password: str, join_code: str = "") -> None:
    page.goto("/auth/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    if join_code:
        page.get_by_label("Course join code (optional)").fill(join_code)
    page.get_by_role("button", name="Sign up").click()


def create_course(page: Page, title: str, slug: str, term: str = "Spring 2027", public: bool = True) -> str:
    """As a course creator: fill in the new-course form; returns the join code the settings page shows."""
    page.goto("/")
    page.get_by_role("link", name="Create a course").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Term").fill(term)
    page.get_by_label("Address").fill(slug)
    page.get_by_label("Time zone").fill("America/Chicago")
    page.get_by_label("Public: anyone can read" if public else "Members only").check()
    page.get_by_role("button", name="Create course").click()
    expect(page).to_have_url(re.compile(rf"/c/{re.escape(slug)}/settings$"))
    return page.locator(".join-code").inner_text().strip()


def join_course(page: Page, code: str, course_name: str = "") -> None:
    """As a signed-in person: join with the code, then choose the name shown in the course."""
    page.goto("/")
    page.get_by_role("link", name="Join a course").click()
    page.get_by_label("Join code").fill(code)
    page.get_by_role("button", name="Join").click()
    page.get_by_label("Name shown in this course").fill(course_name)
    page.get_by_role("button", name="Continue to the course").click()


def run_axe(page: Page) -> list[dict]:
    """axe-core's violations on the page as it stands, for WCAG 2.1 A/AA and best practices."""
    if not AXE_JS.exists():
        raise FileNotFoundError(f"{AXE_JS} is missing: run `npm ci --ignore-scripts` in {E2E_DIR}")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # An inline <script> (add_script_tag(path=...)) is refused by the site's CSP, rightly; serve axe as if
        # from the site itself, so the page is checked with its real policy in force.
        page.route(f"**{AXE_PATH}", lambda route: route.fulfill(path=AXE_JS, content_type="text/javascript"))
        origin = page.evaluate("location.origin")
        page.add_script_tag(url=origin + AXE_PATH)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for node in v["nodes"][:5]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:240]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def in_live_server(live_server: LiveServer, args: list[str]) -> str:
    """Run Python (`-c ...`, `-m flask ...`) beside the live server, on its instance and database; its output."""
    result = subprocess.run([sys.executable, *args], cwd=PROJECT_ROOT, env=live_server._env(), capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout
