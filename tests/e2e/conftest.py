"""Real-browser fixtures: one live server per session, Debian's Chromium, and guards on every page.

Every browser context made here (the `context`/`page` fixtures and any `new_context(...)`) is guarded:
- requests to anything but 127.0.0.1 are aborted and recorded (the pages must need no outside resource);
- any JavaScript dialog (alert/confirm/prompt/beforeunload) is dismissed and recorded;
- Content-Security-Policy violations and uncaught script errors are recorded.
A test that leaves any record fails. Screenshots and traces of failed tests go to the `--output` folder
(`make e2e` uses ci-artifacts/e2e).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.helpers import DEMO_PASSWORD, PEOPLE, log_in
from tests.live_server import LiveServer

CHROMIUM = os.environ.get("COURSESITE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1"}
# The server log goes here; pytest-playwright empties its own --output folder at the start of a run,
# so `make e2e` points that one at a subfolder (ci-artifacts/e2e/failures).
ARTIFACTS = Path(os.environ.get("COURSESITE_E2E_ARTIFACTS", "ci-artifacts/e2e"))


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def live_server():
    if not Path(CHROMIUM).exists():
        pytest.exit(f"{CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium", returncode=3)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    server = LiveServer(log=ARTIFACTS / "server.log").start()
    try:
        yield server
    finally:
        server.stop()
        server.remove_instance()


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # No viewport here: tests choose theirs, and pytest-playwright refuses a keyword given twice.
    return {**browser_context_args, "locale": "en-US", "timezone_id": "America/New_York"}


DESKTOP = {"width": 1280, "height": 900}


class Incidents:
    """What the guards saw during one test."""

    def __init__(self):
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.csp: list[str] = []
        self.script_errors: list[str] = []

    def report(self) -> list[str]:
        lines = [f"request to a non-local address: {u}" for u in self.blocked]
        lines += [f"JavaScript dialog opened: {d}" for d in self.dialogs]
        lines += [f"Content-Security-Policy violation: {c}" for c in self.csp]
        lines += [f"uncaught script error: {e}" for e in self.script_errors]
        return list(dict.fromkeys(lines))


@pytest.fixture
def incidents() -> Incidents:
    return Incidents()


def guard_context(context, incidents: Incidents) -> None:
    """Keep the context on 127.0.0.1 and record dialogs, CSP violations and script errors."""

    def route(route):
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            incidents.blocked.append(url)
            route.abort("blockedbyclient")

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            incidents.csp.append(message.text)

    def on_dialog(dialog):
        incidents.dialogs.append(f"{dialog.type}: {dialog.message!r} on {dialog.page.url if dialog.page else '?'}")
        dialog.dismiss()

    def watch(page):
        page.on("console", on_console)
        page.on("pageerror", lambda error: incidents.script_errors.append(str(error)))

    context.set_default_timeout(10_000)
    context.route("**/*", route)
    context.on("dialog", on_dialog)
    context.on("page", watch)
    for page in context.pages:
        watch(page)


@pytest.fixture
def new_context(new_context, incidents):
    """pytest-playwright's factory (screenshots/traces on failure), with the guards on every context."""

    def make(**kwargs):
        kwargs.setdefault("viewport", DESKTOP)
        context = new_context(**kwargs)
        guard_context(context, incidents)
        return context

    return make


@pytest.fixture(autouse=True)
def _fail_on_incidents(request, incidents):
    yield
    problems = incidents.report()
    if problems:
        pytest.fail("the browser guards recorded:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def login_states(browser, live_server, browser_context_args, tmp_path_factory):
    """Storage state (session cookie) of each demo person, made once by logging in through the form."""
    folder = tmp_path_factory.mktemp("login-states")
    cache: dict[str, str] = {}

    def state_for(person: str) -> str:
        if person not in cache:
            context = browser.new_context(**browser_context_args, viewport=DESKTOP)
            guard_context(context, Incidents())
            page = context.new_page()
            log_in(page, PEOPLE[person], DEMO_PASSWORD)
            path = folder / f"{person}.json"
            context.storage_state(path=path)
            context.close()
            cache[person] = str(path)
        return cache[person]

    return state_for


@pytest.fixture
def as_person(new_context, login_states):
    """A page logged in as a demo person (`None` for a visitor): `as_person("instructor", viewport=...)`."""

    def open_page(person: str | None, **context_args):
        if person is not None:
            context_args["storage_state"] = login_states(person)
        return new_context(**context_args).new_page()

    return open_page


def pytest_sessionfinish(session, exitstatus):
    # Playwright writes nothing for passing tests; leave no empty folder behind to confuse a reader.
    output = Path(session.config.getoption("--output", default="test-results"))
    if output.exists() and not any(output.iterdir()):
        shutil.rmtree(output, ignore_errors=True)
