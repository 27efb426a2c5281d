"""A thread of sixty questions under one post, in the browser: fifty top-level comments a page, pages that
pass axe on a desktop and a phone, and Older/Newer comments links that the keyboard follows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import DEMO_PASSWORD, describe_violations, in_live_server, log_in, run_axe, unique
from tests.e2e.test_accessibility import SCREENS

# Sixty comments cannot be posted through the form at a person's pace of six a minute: written beside the live
# server, as a term of questions would have left them.
SIXTY_QUESTIONS = """
import sys
from datetime import timedelta
from coursesite import create_app
from coursesite.coursework.courses import create_course
from coursesite.extensions import db
from coursesite.models import Comment, Post, User, utcnow
from coursesite.people.accounts import enroll
from coursesite.text.markdown import render_comment
slug, password = sys.argv[1:]
app = create_app()
with app.app_context():
    # People of their own: the demo's are other tests' (a second course would change where they land).
    people = [User(email=f"{slug}-{n}@example.edu", display_name=f"Questioner {n}") for n in range(13)]
    db.session.add_all(people)
    db.session.flush()
    instructor, students = people[0], people[1:]
    students[0].set_password(password)  # the one who reads the thread in the browser
    course = create_course(instructor, slug=slug, title="Office Hours", timezone="America/New_York",
                           visibility="public")
    for student in students:
        enroll(student, course)
    start = utcnow() - timedelta(days=3)
    post = Post(course_id=course.id, author_id=instructor.id, title="Questions before the final", slug="questions",
                body="Ask here.", body_html="<p>Ask here.</p>", status="published", word_count=2, created_at=start,
                published_at=start)
    db.session.add(post)
    db.session.flush()
    for n in range(1, 61):
        body = f"Question {n}: will the final cover the readings of week {n % 12 + 1}?"
        db.session.add(Comment(post_id=post.id, author_id=students[n % len(students)].id, body=body,
                               body_html=render_comment(body), word_count=len(body.split()),
                               created_at=start + timedelta(minutes=n)))
    db.session.commit()
"""


@pytest.fixture(scope="module")
def office_hours(live_server) -> str:
    slug = unique("office-hours")
    in_live_server(live_server, ["-c", SIXTY_QUESTIONS, slug, DEMO_PASSWORD])
    return slug


@pytest.fixture
def questions_url(office_hours) -> str:
    return f"/c/{office_hours}/essays/questions/"


@pytest.fixture
def reader(new_context, office_hours):
    """A page for a visitor (None), or for a student of the course ("member"), who may reply."""

    def open_page(person: str | None, **context_args):
        page = new_context(**context_args).new_page()
        if person == "member":
            log_in(page, f"{office_hours}-1@example.edu", DEMO_PASSWORD)
        return page

    return open_page


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize("person", [None, "member"])
def test_both_pages_of_a_long_thread_pass_axe_and_fit_a_phone(reader, questions_url, person, screen):
    page = reader(person, **SCREENS[screen])
    for address, first, last in ((questions_url, 1, 50), (f"{questions_url}?cpage=2", 51, 60)):
        page.goto(address)
        expect(page.get_by_role("heading", name="60 thoughts on “Questions before the final”")).to_be_visible()
        expect(page.locator(".comment-content").first).to_contain_text(f"Question {first}:")
        expect(page.locator(".comment-content").last).to_contain_text(f"Question {last}:")
        violations = run_axe(page)
        assert not violations, f"{address} at {screen}:\n{describe_violations(violations)}"
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{address} scrolls sideways: {widths[0]} px wide"


def test_the_keyboard_goes_to_newer_comments_and_back(reader, questions_url):
    page = reader("member", viewport={"width": 390, "height": 740}, is_mobile=True, has_touch=True)
    page.goto(questions_url)
    top = page.get_by_role("navigation", name="Comment pages", exact=True)
    expect(top).to_contain_text("Page 1 of 2")
    top.get_by_role("link", name="Newer comments").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{questions_url}?cpage=2#comments")
    expect(page.locator("ol.comment-list > li.comment")).to_have_count(10)
    bottom = page.get_by_role("navigation", name="Comment pages, after the comments")
    expect(bottom).to_contain_text("Page 2 of 2")
    expect(bottom.get_by_role("link", name="Newer comments")).to_have_count(0)
    bottom.get_by_role("link", name="Older comments").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{questions_url}#comments")
    expect(page.locator("ol.comment-list > li.comment")).to_have_count(50)


def test_a_reply_kept_in_the_browser_says_it_answers_a_comment_on_another_page(reader, questions_url):
    """A reply begun on page 2 and left unsent comes back on page 1, where the comment it answers is not: the form
    says so and leads there, rather than posting it unseen under a comment not shown."""
    page = reader("member")
    page.goto(f"{questions_url}?cpage=2")
    page.locator("li.comment", has_text="Question 55:").locator(".comment-reply-link").click()
    text = "The week eight readings were long: will the final ask about them?"
    page.get_by_label("Comment", exact=True).fill(text)
    page.get_by_role("navigation", name="Comment pages", exact=True).get_by_role("link", name="Older comments").click()
    expect(page.get_by_label("Comment", exact=True)).to_have_value(text)
    there = page.locator("#reply-title-text").get_by_role("link", name="Reply to a comment on another page")
    expect(there).to_be_visible()
    expect(page.locator("#cancel-comment-reply-link")).to_be_visible()
    there.click()
    expect(page).to_have_url(re.compile(r"/questions/\?replytocom=\d+#respond$"))
    expect(page.locator("li.comment", has_text="Question 55:").locator("#respond")).to_have_count(1)
    expect(page.get_by_label("Comment", exact=True)).to_have_value(text)
