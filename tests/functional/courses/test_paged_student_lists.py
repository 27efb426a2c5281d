"""The roster and an assignment's extensions for a large class: fifty people a page, a search by name or email,
and forms that bring the instructor back to the page and search they were on."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import CourseInvitation, Enrollment, Excusal
from coursesite.people import accounts
from coursesite.people import invitations as course_invitations
from tests import factories as f


@pytest.fixture
def course(auth):
    # 120 students by name: Amara, Benjamin, Bulk Student 0003 to 0119, Chen; the instructor heads the roster.
    course = f.make_course(slug="hist-300", title="History of Maps")
    f.make_author(course, name="Amara Okafor")
    f.make_author(course, name="Benjamin Hart")
    for n in range(3, 120):
        f.make_author(course, name=f"Bulk Student {n:04}")
    f.make_author(course, name="Chen Wei")
    _email(course, "Chen Wei", "cwei@maps.example")
    db.session.commit()
    auth.login(f.instructor_of(course))
    return course


@pytest.fixture
def assignment(course):
    return f.make_assignment(course, title="Mercator", opens_at=datetime(2030, 9, 1, tzinfo=UTC),
                             post_due_at=datetime(2030, 9, 20, 21, 0, tzinfo=UTC))


def _email(course, name, email):
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.course_id == course.id)
                                   .where(Enrollment.user.has(display_name=name)))
    enrollment.user.email = email


def user_id(course, name) -> int:
    return db.session.scalar(select(Enrollment.user_id).where(Enrollment.course_id == course.id)
                             .where(Enrollment.user.has(display_name=name)))


def get(client, url, **args) -> str:
    response = client.get(url, query_string=args or None)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def extensions(course, assignment) -> str:
    return f"/c/{course.slug}/assignments/{assignment.id}/exceptions"


def roster(course) -> str:
    return f"/c/{course.slug}/roster"


def students(page: str) -> list[str]:
    """The students an extensions page lists."""
    return re.findall(r'<label for="student-\d+">([^<]+)</label>', page)


def people(page: str) -> list[str]:
    """The people a roster page (or the invitations page) lists."""
    return [name.strip() for name in re.findall(r'<th scope="row">([^<]+)', page)]


def invitations(course) -> str:
    return f"/c/{course.slug}/roster/invitations"


def count_invitations(course) -> int:
    return db.session.scalar(select(func.count()).select_from(course_invitations.pending_in(course).subquery()))


def invite(course, count: int) -> None:
    """`count` people invited by a roster file, oldest first: Invited 0001, Invited 0002..."""
    for n in range(1, count + 1):
        person = f.make_user(f"Account Holder {n:04}", email=f"{course.slug}.person{n:04}@invited.example",
                             password=None)
        course_invitations.invite(course, person, f.instructor_of(course), role="student", section=None, ids={},
                                  name=f"Invited {n:04}")
    db.session.commit()


def statements(client, url, count_queries) -> int:
    """How many SQL statements showing the page takes, with nothing of it in the session beforehand."""
    client.get(url)  # warm up
    db.session.expunge_all()
    with count_queries() as queries:
        get(client, url)
    return queries.count


def title(page: str) -> str:
    return re.search(r"<title>([^<]*)</title>", page).group(1)


class TestExtensionsPages:
    def test_fifty_students_a_page_with_page_links_above_and_below(self, client, course, assignment):
        url = extensions(course, assignment)
        first = get(client, url)
        assert len(students(first)) == 50 and students(first)[:2] == ["Amara Okafor", "Benjamin Hart"]
        assert "Students 1–50 of 120" in first
        assert first.count(f'href="{url}?page=2" rel="next"') == 2
        last = get(client, url, page=3)
        assert len(students(last)) == 20 and students(last)[-1] == "Chen Wei"
        assert title(last).startswith("Extensions and excusals: page 3 of 3 · Mercator")
        assert 'aria-current="page"><span class="visually-hidden">Page </span>3' in last

    def test_search_by_part_of_a_name_or_email_whatever_its_case(self, client, course, assignment):
        url = extensions(course, assignment)
        for typed in ("chen", "WEI", "cwei@maps"):
            page = get(client, url, q=typed)
            assert students(page) == ["Chen Wei"], typed
            assert "1 student matches" in page
        assert title(get(client, url, q="chen")).startswith("Extensions and excusals: matching “chen” · Mercator")
        assert students(get(client, url, q="100%")) == []  # a % is a character, not a wildcard

    def test_the_search_is_kept_across_the_page_links(self, client, course, assignment):
        url = extensions(course, assignment)
        first = get(client, url, q="bulk")
        assert "117 students match “bulk”" in first and "Students 1–50 of 117" in first
        assert f'href="{url}?q=bulk&amp;page=2" rel="next"' in first
        second = get(client, url, q="bulk", page=2)
        assert students(second)[0] == "Bulk Student 0053"
        assert f'href="{url}?q=bulk" rel="prev"' in second
        assert title(second).startswith("Extensions and excusals: matching “bulk”, page 2 of 3 · ")
        assert 'value="bulk"' in second  # the search box still says what was searched

    def test_a_search_that_finds_nobody_says_so_and_leads_back(self, client, course, assignment):
        page = get(client, extensions(course, assignment), q="Zelda")
        assert "No student matches “Zelda”." in page
        assert f'<a href="{extensions(course, assignment)}">Clear the search' in page
        assert "No students are enrolled yet." not in page and students(page) == []

    def test_an_action_from_page_two_comes_back_to_page_two(self, client, course, assignment):
        url = extensions(course, assignment)
        second = get(client, url, q="bulk", page=2)
        chosen = re.search(r'value="(\d+)" id="student-\d+"', second).group(1)
        response = client.post(f"{url}?q=bulk&page=2", data={"students": [chosen], "action": "excuse"})
        assert response.status_code == 302
        assert response.headers["Location"] == f"{url}?q=bulk&page=2"
        assert [e.user_id for e in db.session.scalars(select(Excusal))] == [int(chosen)]

    def test_a_student_of_another_page_may_still_be_chosen(self, client, course, assignment):
        chen = user_id(course, "Chen Wei")  # on page 3
        response = client.post(extensions(course, assignment), data={"students": [str(chen)], "action": "excuse"})
        assert response.status_code == 302
        assert [e.user_id for e in db.session.scalars(select(Excusal))] == [chen]

    def test_no_one_but_a_student_of_the_course_may_be_chosen(self, client, course, assignment):
        # The choices are no longer the page's rows: a forged id (another course's student, the instructor, no
        # one) is refused with the form's message, and the student chosen with it is not excused either.
        stranger = f.make_author(f.make_course(slug="geo-101", title="Geography"), name="Stranger Danger")
        db.session.commit()
        chen = str(user_id(course, "Chen Wei"))
        for forged in (str(stranger.id), str(f.instructor_of(course).id), "999999", "abc"):
            response = client.post(extensions(course, assignment),
                                   data={"students": [chen, forged], "action": "excuse"})
            assert response.status_code == 200, forged
            assert "Please correct the fields marked below." in response.get_data(as_text=True)
        assert db.session.scalars(select(Excusal)).all() == []

    def test_nonsense_or_too_high_page_numbers_show_a_page(self, client, course, assignment):
        url = extensions(course, assignment)
        assert students(get(client, url, page="abc"))[0] == "Amara Okafor"
        assert students(get(client, url, page=999)) == students(get(client, url, page=3))

    def test_the_search_is_shown_as_text(self, client, course, assignment):
        page = get(client, extensions(course, assignment), q='<b>"x&y')
        assert "No student matches “&lt;b&gt;&#34;x&amp;y”." in page and "<b>" not in page
        assert "Extensions and excusals: matching “&lt;b&gt;&#34;x&amp;y”" in title(page)

    def test_statements_do_not_grow_with_the_class(self, app, client, course, assignment, count_queries):
        small = f.make_course(instructor=f.instructor_of(course))
        small_assignment = f.make_assignment(small, opens_at=datetime(2030, 9, 1, tzinfo=UTC))
        for _ in range(3):
            f.make_author(small)
        counts = [statements(client, url, count_queries)
                  for url in (extensions(small, small_assignment), extensions(course, assignment))]
        assert counts[0] == counts[1], counts


class TestRosterPages:
    def test_fifty_people_a_page(self, client, course):
        first = get(client, roster(course))
        assert len(people(first)) == 50 and people(first)[0].startswith("Instructor")
        assert "121 people." in first and "People 1–50 of 121" in first
        assert first.count(f'href="{roster(course)}?page=2" rel="next"') == 2
        last = get(client, roster(course), page=3)
        assert len(people(last)) == 21 and people(last)[-1] == "Chen Wei"
        assert title(last).startswith("Roster: page 3 of 3 ·")

    def test_search_by_name_or_email_kept_across_pages(self, client, course):
        for typed in ("Chen", "cwei@MAPS.example"):
            assert people(get(client, roster(course), q=typed)) == ["Chen Wei"]
        first = get(client, roster(course), q="bulk")
        assert "121 people." in first and "117 people match “bulk”" in first
        assert f'href="{roster(course)}?q=bulk&amp;page=2" rel="next"' in first
        assert people(get(client, roster(course), q="bulk", page=3))[-1] == "Bulk Student 0119"
        nobody = get(client, roster(course), q="zelda")
        assert "No person matches “zelda”." in nobody and people(nobody) == []

    def test_names_beyond_ascii_are_found_whatever_their_case(self, client, course):
        for name in ("Émile Zola", "Åsa Berg", "Ölçer Demir"):
            f.make_author(course, name=name)
        db.session.commit()
        for typed, found in (("émile", "Émile Zola"), ("ÅSA", "Åsa Berg"), ("ölÇER", "Ölçer Demir")):
            assert people(get(client, roster(course), q=typed)) == [found]

    def test_editing_someone_from_page_two_comes_back_to_page_two(self, client, course):
        second = get(client, roster(course), q="bulk", page=2)
        edit = re.search(r'href="(/c/hist-300/roster/\d+\?q=bulk&amp;page=2)"', second).group(1).replace("&amp;", "&")
        form = get(client, edit)
        assert f'href="{roster(course)}?q=bulk&amp;page=2">Cancel' in form
        response = client.post(edit, data={"role": "student", "section": "", "course_name": "", "extra_minutes": "30"})
        assert response.headers["Location"] == f"{roster(course)}?q=bulk&page=2"

    def test_removing_someone_from_page_two_comes_back_to_page_two(self, client, course):
        second = get(client, roster(course), page=2)
        edit = re.search(r'href="(/c/hist-300/roster/(\d+)\?page=2)"', second)
        page = get(client, edit.group(1))
        remove = re.search(r'action="(/c/hist-300/roster/\d+/remove\?page=2)"', page).group(1)
        response = client.post(remove, data={"confirm": "yes"})
        assert response.headers["Location"] == f"{roster(course)}?page=2"

    def test_nonsense_or_too_high_page_numbers_show_a_page(self, client, course):
        assert people(get(client, roster(course), page="-2"))[0].startswith("Instructor")
        assert people(get(client, roster(course), page=999))[-1] == "Chen Wei"

    def test_statements_do_not_grow_with_the_class(self, client, course, count_queries):
        small = f.make_course(instructor=f.instructor_of(course))
        for _ in range(3):
            f.make_author(small)
        counts = [statements(client, url, count_queries) for url in (roster(small), roster(course))]
        assert counts[0] == counts[1], counts



class TestInvitationPages:
    """A class new to the site, imported from a file, is invited whole: 120 invitations waiting."""

    def test_the_roster_counts_them_and_leads_to_them(self, client, course):
        invite(course, 120)
        page = get(client, roster(course))
        assert f'<a href="{invitations(course)}">120 people invited, not joined yet</a>' in page
        assert "Invited 0001" not in page  # the roster lists who joined: no second list below it
        # A roster search for someone who has not joined yet leads to their invitation.
        searched = get(client, roster(course), q="invited 0042")
        assert "No person matches “invited 0042”." in searched
        assert (f'<a href="{invitations(course)}?q=invited+0042">1 person invited, not joined yet, matching '
                "“invited 0042”</a>") in searched

    def test_fifty_a_page_oldest_first(self, client, course):
        invite(course, 120)
        first = get(client, invitations(course))
        assert people(first) == [f"Invited {n:04}" for n in range(1, 51)]
        assert "Invitations 1–50 of 120" in first
        assert first.count(f'href="{invitations(course)}?page=2" rel="next"') == 2
        last = get(client, invitations(course), page=3)
        assert people(last) == [f"Invited {n:04}" for n in range(101, 121)]
        assert title(last).startswith("Invited, not joined yet: page 3 of 3 ·")

    def test_search_by_the_files_name_or_email_never_the_accounts_name(self, client, course):
        invite(course, 120)
        assert people(get(client, invitations(course), q="invited 0117")) == ["Invited 0117"]
        assert people(get(client, invitations(course), q="PERSON0042@")) == ["Invited 0042"]
        searched = get(client, invitations(course), q="0")
        assert "120 invitations match “0”" in searched
        assert f'href="{invitations(course)}?q=0&amp;page=2" rel="next"' in searched
        nobody = get(client, invitations(course), q="Account Holder")
        assert "No invitation matches “Account Holder”." in nobody and people(nobody) == []

    def test_withdrawing_or_sending_again_comes_back_to_the_same_page_and_search(self, client, course, outbox):
        invite(course, 120)
        said = []
        for action in ("withdraw", "resend"):
            page = get(client, invitations(course), q="invited", page=3)
            form = re.search(rf'action="(/c/hist-300/roster/invitations/\d+/{action}[^"]*)"', page).group(1)
            response = client.post(form.replace("&amp;", "&"))
            assert response.headers["Location"] == f"{invitations(course)}?q=invited&page=3"
            said.append(get(client, response.headers["Location"]))
        assert "The invitation to Invited 0101 is withdrawn." in said[0] and people(said[0])[0] == "Invited 0102"
        assert "The invitation to Invited 0102 is sent again." in said[1]
        assert [m["To"] for m in outbox] == ["hist-300.person0102@invited.example"]

    def test_a_page_open_since_the_invitation_was_answered_changes_nothing_and_says_so(self, client, course,
                                                                                        outbox):
        invite(course, 60)
        page = get(client, invitations(course), page=2)  # Invited 0051 to 0060
        withdraw, _ = re.findall(r'action="(/c/hist-300/roster/invitations/\d+/withdraw\?page=2)"', page)[:2]
        resend, resend_next = re.findall(r'action="(/c/hist-300/roster/invitations/\d+/resend\?page=2)"', page)[:2]
        assert client.post(withdraw).status_code == 302  # Invited 0051 withdrawn, in another tab say
        course_invitations.accept(db.session.scalar(select(CourseInvitation).where(
            CourseInvitation.name == "Invited 0052")))  # and Invited 0052 accepts meanwhile
        db.session.commit()
        for stale in (withdraw, resend, resend_next):
            response = client.post(stale)
            assert response.headers["Location"] == f"{invitations(course)}?page=2"
            assert "That invitation is no longer waiting: it was accepted, declined or withdrawn" in get(
                client, response.headers["Location"])
        assert count_invitations(course) == 58 and outbox == []

    def test_hostile_search_and_page_numbers(self, client, course):
        invite(course, 60)
        page = get(client, invitations(course), q='<b>"x&y')
        assert "No invitation matches “&lt;b&gt;&#34;x&amp;y”." in page and "<b>" not in page
        assert title(page).startswith("Invited, not joined yet: matching “&lt;b&gt;&#34;x&amp;y”")
        assert people(get(client, invitations(course), q="%"))[0:1] == []  # % is a character, not a wildcard
        assert people(get(client, invitations(course), page="abc"))[0] == "Invited 0001"
        assert people(get(client, invitations(course), page="-2"))[0] == "Invited 0001"
        assert people(get(client, invitations(course), page=999))[-1] == "Invited 0060"

    def test_none_waiting_says_so(self, client, course):
        page = get(client, invitations(course))
        assert "Nobody is waiting to answer an invitation" in page and people(page) == []
        assert "invited, not joined yet</a>" not in get(client, roster(course))

    def test_only_the_roster_keepers_see_them(self, client, course, auth):
        invite(course, 1)
        student = f.make_user("Signed-in Student")
        accounts.enroll(student, course, role="student")
        db.session.commit()
        auth.logout()
        auth.login(student)
        assert client.get(invitations(course)).status_code == 403
        auth.logout()
        assert client.get(invitations(course)).status_code == 302  # to the login page

    def test_statements_do_not_grow_with_the_invitations(self, client, course, count_queries):
        small = f.make_course(instructor=f.instructor_of(course))
        invite(small, 3)
        invite(course, 120)
        counts = [statements(client, url, count_queries) for url in (invitations(small), invitations(course))]
        assert counts[0] == counts[1], counts

def test_a_small_class_has_neither_page_links_nor_search(client, auth):
    course = f.make_course()
    f.make_author(course, name="Amara Okafor")
    assignment = f.make_assignment(course)
    auth.login(f.instructor_of(course))
    for page in (get(client, roster(course)), get(client, extensions(course, assignment))):
        assert 'class="matrix-pages"' not in page and 'name="q"' not in page
    assert students(get(client, extensions(course, assignment))) == ["Amara Okafor"]
