"""Every page a person can reach, as it stands in the demo: the accessibility and markup gates visit each.

Add a PageSpec when a feature adds a page (see tests/e2e/README.md). `person` is a key of helpers.PEOPLE
or None for a visitor; `path` is where to go; `then` (optional) takes the page to the state to check,
e.g. a form re-shown with its errors; `status` is the HTTP status the page answers with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page

from tests.e2e.helpers import DEMO_SLUG


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


def _open_first_essay(page: Page) -> None:
    """The demo's essay slugs come from their titles; reach one the way a reader does, from the blog."""
    page.locator(".post-summary__title a").first.click()
    page.wait_for_load_state()


def _open_first_essay_then_submit_empty_comment(page: Page) -> None:
    _open_first_essay(page)
    _submit_empty("Post Comment")(page)


def _trash_a_new_draft(page: Page) -> None:
    """Save a draft, then move it to the trash through the question page: Drafts then lists it to restore."""
    page.get_by_label("Title").fill("A draft to throw away")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("link", name="Move to trash…").click()
    page.get_by_role("button", name="Move to trash").click()
    page.wait_for_load_state()


C = f"/c/{DEMO_SLUG}"
# The demo (coursesite/demo/*.py) is built the same way every time, so these ids are stable.
ESSAY_ASSIGNMENT = 1  # "A turning point of the twentieth century", graded, with readers assigned
STUDENT_ID = 3  # student1@example.edu, who wrote essay 1 on it
STUDENT_POST = 1
STUDENT_COMMENT = 1  # student1's first comment, past its edit window

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
    PageSpec("course-blog-student", f"{C}/blog/", "student"),  # a student's course home is This week
    PageSpec("this-week", f"{C}/", "student"),
    PageSpec("this-week-extended", f"{C}/week/", "student3"),
    PageSpec("this-week-all-courses", "/week/", "student3"),
    PageSpec("course-settings", f"{C}/settings", "instructor"),
    PageSpec("roster", f"{C}/roster", "instructor"),
    PageSpec("roster-edit-person", f"{C}/roster", "instructor", then=_open_first_roster_edit),
    PageSpec("roster-invitations", f"{C}/roster/invitations", "instructor"),
    # Posts: the course blog and its essays
    PageSpec("essay-visitor", f"{C}/", then=_open_first_essay),
    PageSpec("essay-student", f"{C}/blog/", "student", then=_open_first_essay),
    PageSpec("essay-instructor", f"{C}/", "instructor", then=_open_first_essay),
    PageSpec("essay-comment-errors", f"{C}/blog/", "student2", then=_open_first_essay_then_submit_empty_comment),
    PageSpec("course-blog-instructor", f"{C}/", "instructor"),
    PageSpec("course-blog-page-2", f"{C}/?page=2"),
    PageSpec("new-post", f"{C}/posts/new", "student"),
    PageSpec("new-post-for-assignment", f"{C}/posts/new?assignment={ESSAY_ASSIGNMENT}", "student"),
    PageSpec("new-post-errors", f"{C}/posts/new", "student", then=_submit_empty("Publish")),
    PageSpec("edit-post", f"{C}/posts/{STUDENT_POST}/edit", "student"),
    PageSpec("drafts", f"{C}/drafts", "student"),
    PageSpec("drafts-with-a-draft", f"{C}/drafts", "student10"),
    PageSpec("revisions", f"{C}/posts/{STUDENT_POST}/revisions", "student"),
    PageSpec("search", f"{C}/search?q=war"),
    PageSpec("search-empty", f"{C}/search", "student"),
    PageSpec("search-no-results", f"{C}/search?q=zzzzqqq", "student"),
    PageSpec("author", f"{C}/author/{STUDENT_ID}/"),
    PageSpec("by-assignment", f"{C}/assignment/{ESSAY_ASSIGNMENT}/"),
    PageSpec("category", f"{C}/category/cold-war/"),
    PageSpec("tag", f"{C}/tag/1918/"),
    PageSpec("trash", f"{C}/trash", "instructor"),
    PageSpec("confirm-trash", f"{C}/posts/{STUDENT_POST}/delete", "student"),
    PageSpec("confirm-trash-instructor", f"{C}/posts/{STUDENT_POST}/delete", "instructor"),
    PageSpec("drafts-with-trash", f"{C}/posts/new", "student", then=_trash_a_new_draft),
    PageSpec("my-work", f"{C}/my-work", "student"),
    # Assignments
    PageSpec("assignments-student", f"{C}/assignments/", "student"),
    PageSpec("assignments-instructor", f"{C}/assignments/", "instructor"),
    PageSpec("assignment-student", f"{C}/assignments/{ESSAY_ASSIGNMENT}", "student"),
    PageSpec("assignment-instructor", f"{C}/assignments/{ESSAY_ASSIGNMENT}", "instructor"),
    PageSpec("new-assignment", f"{C}/assignments/new", "instructor"),
    PageSpec("new-assignment-errors", f"{C}/assignments/new", "instructor", then=_submit_empty("Create assignment")),
    PageSpec("edit-assignment", f"{C}/assignments/{ESSAY_ASSIGNMENT}/edit", "instructor"),
    PageSpec("assignment-deadlines", f"{C}/assignments/{ESSAY_ASSIGNMENT}/deadlines", "instructor"),
    PageSpec("assignment-exceptions", f"{C}/assignments/{ESSAY_ASSIGNMENT}/exceptions", "instructor"),
    PageSpec("copy-course", f"{C}/copy", "instructor"),
    # Comments
    PageSpec("my-comments", f"{C}/my-comments", "student"),
    PageSpec("notifications", "/notifications", "student"),
    PageSpec("moderation-queue", f"{C}/moderation", "instructor"),
    PageSpec("readers", f"{C}/assignments/{ESSAY_ASSIGNMENT}/readers", "instructor"),
    PageSpec("comment-edit", f"{C}/comments/{STUDENT_COMMENT}/edit", "student"),
    # Dashboard and grades
    PageSpec("dashboard-instructor", f"{C}/dashboard/", "instructor"),
    PageSpec("dashboard-ta", f"{C}/dashboard/", "ta"),
    PageSpec("dashboard-activity", f"{C}/dashboard/activity", "instructor"),
    PageSpec("dashboard-student", f"{C}/dashboard/students/{STUDENT_ID}", "instructor"),
    PageSpec("dashboard-assignment", f"{C}/dashboard/assignments/{ESSAY_ASSIGNMENT}", "instructor"),
    PageSpec("grading-queue", f"{C}/dashboard/assignments/{ESSAY_ASSIGNMENT}/grading", "ta"),
    PageSpec("grade-essay", f"{C}/dashboard/assignments/{ESSAY_ASSIGNMENT}/grade/{STUDENT_ID}", "instructor"),
    PageSpec("rubric", f"{C}/dashboard/assignments/{ESSAY_ASSIGNMENT}/rubric", "instructor"),
    PageSpec("release", f"{C}/dashboard/assignments/{ESSAY_ASSIGNMENT}/release", "instructor"),
    PageSpec("my-grades", f"{C}/my-grades", "student"),
    # Roster and WordPress import
    PageSpec("roster-import", f"{C}/roster/import", "instructor"),
    PageSpec("roster-import-errors", f"{C}/roster/import", "instructor", then=_submit_empty("Preview the import")),
    PageSpec("wordpress-import", f"{C}/import", "instructor"),
    PageSpec("wordpress-import-errors", f"{C}/import", "instructor", then=_submit_empty("Preview import")),
    PageSpec("account-instructor", "/auth/account", "instructor"),
    # Each person's own data, and the site administration
    PageSpec("privacy", "/privacy"),
    PageSpec("admin-accounts", "/admin/", "admin"),
    PageSpec("admin-accounts-search", "/admin/?q=student1", "admin"),
    PageSpec("admin-account", f"/admin/accounts/{STUDENT_ID}", "admin"),
    PageSpec("error-404", "/no-such-page", status=404),
    PageSpec("error-403", f"{C}/roster", "student", status=403),
]
