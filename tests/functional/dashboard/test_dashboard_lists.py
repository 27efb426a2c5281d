"""An assignment's essays and its grading queue for a large class: fifty students a page, and the queue can show
only the essays still to grade."""

import re

import pytest

from coursesite.extensions import db
from tests.functional.grading_world import add_class, build_grading_world


@pytest.fixture
def w(app, auth):
    world = build_grading_world()
    # 120 students by name: Amara, Benjamin, Bulk Student 0003 to 0119, Chen. Of the bulk ones every other one
    # (0004, 0006, ..., 0118) is graded, so 62 still need a grade: Amara, Benjamin, Chen and 59 bulk ones.
    add_class(world.course, world.assignment, world.students[0], 117, start=len(world.students))
    db.session.flush()
    auth.login(world.instructor)
    return world


def get(client, url, **args):
    response = client.get(url, query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def essays(w):
    return f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}"


def queue(w):
    return f"{essays(w)}/grading"


def names(page):
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', page)


def test_an_assignments_essays_are_shown_fifty_students_a_page(client, w):
    first = get(client, essays(w))
    assert len(names(first)) == 50 and names(first)[:3] == ["Amara Okafor", "Benjamin Hart", "Bulk Student 0003"]
    assert "Students 1–50 of 120" in first
    assert re.search(r"<caption[^>]*>[^<]*; students 1–50 of 120</caption>", first)
    assert f'href="{essays(w)}?page=2#essays" rel="next"' in first
    assert f'href="{essays(w)}#essays"' not in first  # page 1 is the page without a number
    assert "62 still to grade" in first  # counted over the whole class, not the page
    last = get(client, essays(w), page=3)
    assert len(names(last)) == 20 and names(last)[-1] == "Chen Wei"
    assert "Students 101–120 of 120" in last
    assert 'aria-current="page"><span class="visually-hidden">Page </span>3' in last
    assert f'href="{essays(w)}?page=2#essays" rel="prev"' in last
    assert f'href="{essays(w)}#essays" rel="prev"' in get(client, essays(w), page=2)
    assert "<title>The Berlin Airlift: page 3 of 3 · Dashboard · " in last


def test_an_assignment_page_past_the_end_shows_the_last_and_nonsense_the_first(client, w):
    assert names(get(client, essays(w), page=99)) == names(get(client, essays(w), page=3))
    assert names(get(client, essays(w), page="abc"))[0] == "Amara Okafor"
    assert names(get(client, queue(w), page=99))[-1] == "Chen Wei"
    assert "Students 101–120 of 120" in get(client, queue(w), page=99)


def test_the_grading_queue_is_shown_fifty_students_a_page(client, w):
    first = get(client, queue(w))
    assert len(names(first)) == 50 and "Students 1–50 of 120" in first
    assert "58 of 120 students graded" in first  # the whole class's count, whatever the page
    assert f'href="{queue(w)}?page=2#queue-filter" rel="next"' in first
    second = get(client, queue(w), page=2)
    assert names(second)[0] == "Bulk Student 0051" and len(names(second)) == 50
    assert "<title>Grading The Berlin Airlift: page 2 of 3 · " in second
    assert re.search(r"<caption[^>]*>[^<]*; students 51–100 of 120</caption>", second)


def test_the_queue_can_show_only_the_essays_still_to_grade_across_its_pages(client, w):
    page = get(client, queue(w))
    assert f'href="{queue(w)}?show=ungraded#queue-filter">only students still to grade (62)</a>' in page
    todo = get(client, queue(w), show="ungraded")
    shown = names(todo)
    assert len(shown) == 50 and "Bulk Student 0004" not in shown  # graded: left out
    assert shown[:4] == ["Amara Okafor", "Benjamin Hart", "Bulk Student 0003", "Bulk Student 0005"]
    assert '<strong aria-current="true">only students still to grade (62)</strong>' in todo
    assert "Students 1–50 of 62" in todo
    assert re.search(r"<caption[^>]*>[^<]*; only students still to grade; students 1–50 of 62</caption>", todo)
    assert "<title>Grading The Berlin Airlift: only students still to grade · " in todo
    assert f'href="{queue(w)}?show=ungraded&amp;page=2#queue-filter" rel="next"' in todo
    rest = get(client, queue(w), show="ungraded", page=2)
    assert len(names(rest)) == 12 and names(rest)[-1] == "Chen Wei"
    assert all(int(name[-4:]) % 2 for name in names(rest) if name.startswith("Bulk"))
    assert f'href="{queue(w)}?show=ungraded#queue-filter" rel="prev"' in rest
    assert f'href="{queue(w)}#queue-filter">every student</a>' in rest
    assert "<title>Grading The Berlin Airlift: only students still to grade, page 2 of 2 · " in rest


def test_save_and_next_ungraded_goes_on_to_a_student_of_the_next_page(client, w):
    grade_link = r'href="([^"]+/grade/\d+)">{}<'
    bulk_0049 = re.search(grade_link.format("Bulk Student 0049"), get(client, queue(w))).group(1)  # page 1's last
    response = client.post(bulk_0049, data={"essay_score": "7", "version": "0", "action": "next"})
    bulk_0051 = re.search(grade_link.format("Bulk Student 0051"), get(client, queue(w), page=2)).group(1)
    assert response.headers["Location"] == bulk_0051  # 0050 is graded already
    assert "Bulk Student 0049" not in names(get(client, queue(w), show="ungraded"))


def test_both_lists_have_their_page_links_above_and_below_the_table(client, w):
    # Page 1 of the queue is some 11,000 px tall on a phone: the way to page 2 is not only at its foot.
    for page, label in ((get(client, essays(w)), "Pages of the essays"),
                        (get(client, queue(w)), "Pages of the grading queue")):
        table_at = page.index("<table")
        above = page.index(f'aria-label="{label}"')
        below = page.index(f'aria-label="{label}, after the table"')
        assert above < table_at < below
        assert page.count('rel="next"') == 2
