"""The grading page lists the student's comments for the assignment beside the comment score, each with the
verdict of the participation rules and a link to it; an essay under the minimum words says so."""

import re
from datetime import timedelta

import pytest

from tests import factories as f
from tests.functional.grading_world import build_grading_world


@pytest.fixture
def w(app, auth):
    world = build_grading_world()
    auth.login(world.instructor)
    return world


def page_of(client, w, student):
    html = client.get(f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}/grade/{student.id}")
    return html.get_data(as_text=True)


def item_for(page, comment):
    """The text of the list item that links to `comment`."""
    found = re.search(rf'<li class="verdicts__item">((?:(?!</li>).)*#comment-{comment.id}".*?)</li>', page, re.S)
    assert found, f"comment {comment.id} is not listed"
    spoken = re.sub(r'<span aria-hidden="true">.*?</span>', " ", found.group(1))
    return " ".join(re.sub(r"<[^>]+>", " ", spoken).split())


def test_each_comment_is_listed_with_its_verdict_and_a_link(client, w):
    amara, benjamin, chen = w.students
    due = w.assignment.comments_due_at
    own = f.make_post(w.course, amara, title="Bread and Bombers", assignment_id=w.assignment.id)
    peer = f.make_post(w.course, benjamin, title="Tempelhof at Night", assignment_id=w.assignment.id)
    other = f.make_post(w.course, chen, title="Operation Vittles", assignment_id=w.assignment.id)
    on_time = f.make_thread_comment(peer, amara, "A careful and generous reading.", at=due - timedelta(hours=5))
    capped = f.make_thread_comment(peer, amara, "And one more thought on the pilots.", at=due - timedelta(hours=4))
    late = f.make_thread_comment(other, amara, "The candy drops were a gesture.", at=due + timedelta(hours=2))
    short = f.make_thread_comment(other, amara, "Nice.", at=due - timedelta(hours=3))
    mine = f.make_thread_comment(own, amara, "Replying to my readers here.", at=due - timedelta(hours=2))
    held = f.make_thread_comment(other, amara, "Waiting for the staff to approve.", at=due - timedelta(hours=1),
                                 status="held")

    page = page_of(client, w, amara)

    assert "1 of 2 qualifying comments → 5 of 10" in page
    assert item_for(page, on_time).startswith("On time On “Tempelhof at Night” by Benjamin Hart")
    assert item_for(page, late).startswith("Late On “Operation Vittles”")
    assert item_for(page, capped).startswith("Beyond the per-essay cap · not counted")
    assert item_for(page, short).startswith("Too short: under 3 words · not counted")
    assert item_for(page, mine).startswith("Own essay · not counted")
    assert item_for(page, held).startswith("Held · not counted")
    assert re.search(rf'href="/c/{w.course.slug}/[^"]*{peer.slug}[^"]*#comment-{on_time.id}"', page)


def test_no_comments_yet_says_so(client, w):
    assert "No comments on The Berlin Airlift’s essays yet." in page_of(client, w, w.students[0]).replace(
        "&#8217;", "’")


def test_an_essay_under_the_minimum_words_is_marked(client, w):
    w.assignment.min_post_words = 500
    f.make_post(w.course, w.students[0], assignment_id=w.assignment.id, body=f.words(312))
    page = page_of(client, w, w.students[0])
    assert "312 words — under the 500 minimum" in page


def test_an_essay_long_enough_is_not_marked(client, w):
    w.assignment.min_post_words = 300
    f.make_post(w.course, w.students[0], assignment_id=w.assignment.id, body=f.words(312))
    page = page_of(client, w, w.students[0])
    assert "312 words (300 asked)" in " ".join(page.split()) and "under the" not in page
