"""An assignment's readers page for a large class in assigned mode: fifty readers a page with a search, the
forms coming back to the page and search they were sent from, and the essays with the fewest readers counted
in SQL rather than one row per essay."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import Assignment, Enrollment, PeerAssignment, Post, User, utcnow
from tests import factories as f
from tests.functional.courses.test_paged_student_lists import get, statements, title


@pytest.fixture
def course(auth):
    # 120 students by name, Amara to Chen, each with an essay for "Mercator", which asks each to read one.
    course = f.make_course(slug="hist-310", title="History of Maps")
    names = ["Amara Okafor", "Benjamin Hart", *(f"Bulk Student {n:04}" for n in range(3, 120)), "Chen Wei"]
    assignment = f.make_assignment(course, title="Mercator", peer_mode="assigned", required_comments=1)
    for name in names:
        author = f.make_author(course, name=name)
        f.make_post(course, author, title=f"Map by {name}", assignment_id=assignment.id)
    chen = db.session.scalar(select(Enrollment).where(Enrollment.course_id == course.id,
                                                      Enrollment.user.has(display_name="Chen Wei")))
    chen.user.email = "cwei@maps.example"
    db.session.commit()
    auth.login(f.instructor_of(course))
    return course


@pytest.fixture
def assignment(course):
    return db.session.scalar(select(Assignment).where(Assignment.course_id == course.id))


def readers_url(course, assignment) -> str:
    return f"/c/{course.slug}/assignments/{assignment.id}/readers"


def readers(page: str) -> list[str]:
    """The readers the who-reads-whom table lists."""
    table = page.split('class="data-table readers-table', 1)[1].split("</table>", 1)[0]
    return [name.strip() for name in re.findall(r'<th scope="row">([^<]+)', table)]


def reader_options(page: str) -> list[str]:
    form = page.split('id="add-reviewer"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option [^>]*>([^<]+)</option>", form)


def essay_options(page: str) -> list[str]:
    form = page.split('id="add-essay"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', form)  # the essays, not "Choose an essay"


def fewer(page: str) -> list[tuple[str, str]]:
    """(essay, readers) of the table of essays with fewer readers than the assignment asks."""
    if 'id="fewer-heading"' not in page:
        return []
    table = page.split('id="fewer-heading"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr><th scope="row">([^<]+)</th><td>[^<]*</td><td>(\d+)</td></tr>', table)


def user_id(course, name) -> int:
    return db.session.scalar(select(Enrollment.user_id).where(Enrollment.course_id == course.id)
                             .where(Enrollment.user.has(display_name=name)))


def pair_of(assignment, reader_id) -> PeerAssignment:
    return db.session.scalar(select(PeerAssignment).where(PeerAssignment.assignment_id == assignment.id,
                                                          PeerAssignment.reviewer_id == reader_id))


class TestReaderPages:
    def test_fifty_readers_a_page_and_the_form_offers_those_readers(self, client, course, assignment):
        url = readers_url(course, assignment)
        first = get(client, url)
        assert len(readers(first)) == 50 and readers(first)[:2] == ["Amara Okafor", "Benjamin Hart"]
        assert "Students 1–50 of 120" in first and first.count(f'href="{url}?page=2" rel="next"') == 2
        assert reader_options(first) == readers(first)
        # Every published essay may be given to any of them.
        assert len(essay_options(first)) == 120 and essay_options(first)[0] == "Amara Okafor: “Map by Amara Okafor”"
        last = get(client, url, page=3)
        assert len(readers(last)) == 20 and readers(last)[-1] == "Chen Wei"
        assert title(last).startswith("Readers: page 3 of 3 · Mercator")

    def test_search_by_name_or_email_kept_across_pages(self, client, course, assignment):
        url = readers_url(course, assignment)
        for typed in ("chen", "CWEI@maps"):
            assert readers(get(client, url, q=typed)) == ["Chen Wei"]
        bulk = get(client, url, q="bulk")
        assert "117 students match “bulk”" in bulk and f'href="{url}?q=bulk&amp;page=2" rel="next"' in bulk
        nobody = get(client, url, q='<b>"zelda')
        assert "No student matches “&lt;b&gt;&#34;zelda”." in nobody and "<b>" not in nobody
        assert 'class="data-table readers-table' not in nobody

    def test_each_reader_shows_what_they_were_given_and_whether_they_commented(self, client, course, assignment):
        url = readers_url(course, assignment)
        client.post(url, data={"action": "assign"})
        assert db.session.scalar(select(func.count(PeerAssignment.id))) == 120
        chen = user_id(course, "Chen Wei")
        given = db.session.get(Post, pair_of(assignment, chen).post_id)
        f.make_comment(given, db.session.get(User, chen), body="A careful reading.")
        db.session.commit()
        row = get(client, url, q="chen").split('class="data-table readers-table', 1)[1]
        assert f"“{given.title}”" in row and "commented" in row

    def test_an_essay_gone_from_the_blog_or_the_assignment_stays_in_the_row_to_be_removed(self, client, course,
                                                                                        assignment):
        url = readers_url(course, assignment)
        client.post(url, data={"action": "assign"})
        chen, amara = user_id(course, "Chen Wei"), user_id(course, "Amara Okafor")
        trashed, moved = (db.session.get(Post, pair_of(assignment, reader).post_id) for reader in (chen, amara))
        trashed.deleted_at = utcnow()
        moved.assignment_id = f.make_assignment(course, title="Another").id
        db.session.commit()
        for reader, essay, why in (("chen", trashed, "no longer on the blog"),
                                   ("amara", moved, "moved to another assignment")):
            row = get(client, url, q=reader).split('class="data-table readers-table', 1)[1]
            assert f"“{essay.title} ({why})”" in row and "Remove" in row
        assert all(essay.title not in option for option in essay_options(get(client, url))
                   for essay in (trashed, moved))

    def test_removing_and_adding_from_a_searched_page_come_back_to_it(self, client, course, assignment):
        url = readers_url(course, assignment)
        client.post(url, data={"action": "assign"})
        reader = user_id(course, "Bulk Student 0060")
        pair = pair_of(assignment, reader)
        removed = client.post(url, query_string={"q": "bulk", "page": 2},
                              data={"action": "remove", "pair_id": str(pair.id)})
        assert removed.headers["Location"] == f"{url}?q=bulk&page=2"
        assert "Reader removed." in get(client, url, q="bulk", page=2)
        added = client.post(url, query_string={"q": "bulk", "page": 2},
                            data={"action": "add", "reviewer_id": str(reader), "post_id": str(pair.post_id)})
        assert added.headers["Location"] == f"{url}?q=bulk&page=2&reader={reader}"
        back = get(client, url, q="bulk", page=2, reader=reader)
        assert "Reader added." in back and f'<option value="{reader}" selected>' in back

    def test_the_essays_with_fewer_readers_than_asked_come_first(self, client, course, assignment):
        url = readers_url(course, assignment)
        client.post(url, data={"action": "assign"})
        assert "Each of the 120 published essays has 1 reader." in get(client, url) and fewer(get(client, url)) == []
        # Amara's reader is taken away and a late essay comes in: those two have fewer readers than the rest.
        amara_essay = db.session.scalar(select(Post.id).where(Post.title == "Map by Amara Okafor"))
        db.session.delete(db.session.scalar(select(PeerAssignment).where(PeerAssignment.post_id == amara_essay)))
        f.make_post(course, f.make_author(course, name="Dana Late"), title="A late map", assignment_id=assignment.id)
        db.session.commit()
        page = get(client, url)
        assert "Of 121 published essays, 119 have 1 reader, 2 have no readers." in page
        assert fewer(page) == [("A late map", "0"), ("Map by Amara Okafor", "0")]

    def test_no_more_than_fifty_essays_are_listed(self, client, course, assignment):
        url = readers_url(course, assignment)
        client.post(url, data={"action": "assign"})
        assignment.required_comments = 2  # asked for more, not assigned again yet
        db.session.commit()
        page = get(client, url)
        assert "Each of the 120 published essays has 1 reader." in page
        assert "Essays with fewer than 2 readers: the first 50 of 120" in page
        assert len(fewer(page)) == 50 and fewer(page)[0] == ("Map by Amara Okafor", "1")

    def test_bad_page_numbers_long_searches_and_other_courses_ids_change_nothing(self, client, course, assignment):
        url = readers_url(course, assignment)
        client.post(url, data={"action": "assign"})
        assert readers(get(client, url, page="abc"))[0] == "Amara Okafor"
        assert readers(get(client, url, page="-2"))[0] == "Amara Okafor"
        assert readers(get(client, url, page=999))[-1] == "Chen Wei"
        assert "No student matches" in get(client, url, q="x" * 5000)
        other = f.make_course(instructor=f.instructor_of(course))
        other_assignment = f.make_assignment(other, peer_mode="assigned", required_comments=1)
        outsider = f.make_author(other, name="Olu Outsider")
        other_essay = f.make_post(other, f.make_author(other), assignment_id=other_assignment.id)
        other_pair = PeerAssignment(assignment_id=other_assignment.id, reviewer_id=outsider.id, post_id=other_essay.id)
        db.session.add(other_pair)
        db.session.commit()
        before = db.session.scalar(select(func.count(PeerAssignment.id)))
        essay = db.session.scalar(select(Post.id).where(Post.title == "Map by Chen Wei"))
        refused = client.post(url, data={"action": "add", "reviewer_id": str(outsider.id), "post_id": str(essay)},
                              follow_redirects=True)
        assert "Choose a student of this course as the reader." in refused.get_data(as_text=True)
        gone = client.post(url, data={"action": "remove", "pair_id": str(other_pair.id)}, follow_redirects=True)
        assert "That reader was already removed." in gone.get_data(as_text=True)
        assert client.post(url, data={"action": "nonsense"}).status_code == 400
        assert db.session.scalar(select(func.count(PeerAssignment.id))) == before

    def test_a_small_class_has_no_search_and_says_what_no_one_reads(self, client, auth):
        course = f.make_course(slug="small-seminar")
        assignment = f.make_assignment(course, title="Letters", peer_mode="assigned", required_comments=1)
        for name in ("Ada", "Bo", "Cy"):
            f.make_post(course, f.make_author(course, name=name), title=f"{name}'s letter", assignment_id=assignment.id)
        db.session.commit()
        auth.login(f.instructor_of(course))
        page = get(client, readers_url(course, assignment))
        assert readers(page) == ["Ada", "Bo", "Cy"] and 'id="reader-search"' not in page
        assert "Each of the 3 published essays has no readers." in page
        assert fewer(page) == [("Ada&#39;s letter", "0"), ("Bo&#39;s letter", "0"), ("Cy&#39;s letter", "0")]
        assert "Essays nobody reads yet" in page

    def test_statements_do_not_grow_with_the_class(self, client, course, assignment, count_queries):
        client.post(readers_url(course, assignment), data={"action": "assign"})
        small = f.make_course(instructor=f.instructor_of(course))
        small_assignment = f.make_assignment(small, peer_mode="assigned", required_comments=1)
        for name in ("Ada", "Bo", "Cy"):
            f.make_post(small, f.make_author(small, name=name), assignment_id=small_assignment.id)
        db.session.commit()
        client.post(readers_url(small, small_assignment), data={"action": "assign"})
        urls = [readers_url(small, small_assignment), readers_url(course, assignment)]
        counts = [statements(client, url, count_queries) for url in urls]
        assert counts[0] == counts[1], counts


def test_the_essays_to_give_are_listed_by_author(client, auth):
    """Typing a name in the list finds that author's essay, whatever its title."""
    course = f.make_course()
    assignment = f.make_assignment(course, title="Atlases", peer_mode="assigned", required_comments=1)
    for name, essay in (("Zoe Zimmer", "An atlas"), ("Adam Abel", "Zones of the map")):
        f.make_post(course, f.make_author(course, name=name), title=essay, assignment_id=assignment.id)
    db.session.commit()
    auth.login(f.instructor_of(course))
    page = get(client, readers_url(course, assignment))
    assert essay_options(page) == ["Adam Abel: “Zones of the map”", "Zoe Zimmer: “An atlas”"]


def test_no_essay_is_chosen_for_the_instructor_and_none_chosen_is_refused(client, auth):
    """Preselecting the first essay offered the first reader, Adam, his own essay: refused on Add."""
    course = f.make_course()
    assignment = f.make_assignment(course, title="Atlases", peer_mode="assigned", required_comments=1)
    adam = f.make_author(course, name="Adam Abel")
    f.make_post(course, adam, title="Zones of the map", assignment_id=assignment.id)
    db.session.commit()
    auth.login(f.instructor_of(course))
    url = readers_url(course, assignment)
    form = get(client, url).split('id="add-essay"', 1)[1].split("</select>", 1)[0]
    assert '<option value="">Choose an essay</option>' in form and "selected" not in form and " required>" in form
    client.post(url, data={"action": "add", "reviewer_id": str(adam.id), "post_id": ""})
    assert "Choose a published essay of this assignment." in get(client, url)
