"""Every page a person can reach, as it stands in the demo: the accessibility and markup gates visit each.

Add a PageSpec when a feature adds a page (see tests/e2e/README.md). `person` is a key of helpers.PEOPLE
or None for a visitor; `path` is where to go; `then` (optional) takes the page to the state to check,
e.g. a form re-shown with its errors; `status` is the HTTP status the page answers with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page

from .helpers import DEMO_SLUG


@dataclass(frozen=True)
class PageSpec:
    name: str
    path: str
    person: str | None = None
    then: Callable[[Page], None] | None = None
    status: int = 200


def _submit_empty(button: str) -> Callable[[Page], None]:
    def submit(page: Page) -> None:
        page.get_by_role("button", name=button).first.click()
        page.wait_for_load_state()

    return submit


def _open_first_roster_edit(page: Page) -> None:
    page.get_by_role("link", name="Edit").last.click()
    page.wait_for_load_state()


C = f"/c/{DEMO_SLUG}"

PAGES = [
    PageSpec("home-visitor", "/"),
    PageSpec("home-student", "/", "student"),
    PageSpec("home-instructor", "/", "instructor"),
    PageSpec("login", "/auth/login"),
    PageSpec("login-errors", "/auth/login", then=_submit_empty("Log in")),
    PageSpec("signup", "/auth/signup"),
    PageSpec("signup-errors", "/auth/signup", then=_submit_empty("Sign up")),
    PageSpec("reset-request", "/auth/reset"),
    PageSpec("account", "/auth/account", "student"),
    PageSpec("account-errors", "/auth/account", "student", then=_submit_empty("Change password")),
    PageSpec("new-course", "/courses/new", "instructor"),
    PageSpec("new-course-errors", "/courses/new", "instructor", then=_submit_empty("Create course")),
    PageSpec("join", "/join", "student"),
    PageSpec("join-errors", "/join", "student", then=_submit_empty("Join")),
    PageSpec("welcome", f"{C}/welcome", "student"),
    PageSpec("course-blog-visitor", f"{C}/"),
    PageSpec("course-blog-student", f"{C}/", "student"),
    PageSpec("course-settings", f"{C}/settings", "instructor"),
    PageSpec("roster", f"{C}/roster", "instructor"),
    PageSpec("roster-edit-person", f"{C}/roster", "instructor", then=_open_first_roster_edit),
    PageSpec("error-404", "/no-such-page", status=404),
    PageSpec("error-403", f"{C}/roster", "student", status=403),
]
