"""Feeds, the My comments checklist and the readers page."""

import re
from datetime import UTC, datetime, timedelta

from defusedxml import ElementTree
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import PeerAssignment
from coursesite.participation.checklist import WAITING_LISTED, checklists
from tests import factories as f
from tests.functional.comment_helpers import seminar

ATOM = "{http://www.w3.org/2005/Atom}"


def test_essay_and_course_feeds_list_only_visible_comments(client, app):
    s = seminar()
    f.make_thread_comment(s.essay, s.bob, "Public *thought*.")
    f.make_thread_comment(s.essay, s.carol, "Secret hidden.", status="hidden", hidden_reason="x")
    f.make_thread_comment(s.essay, s.carol, "Held back.", status="held")
    f.make_thread_comment(s.bob_essay, s.carol, "On Berlin.")
    draft = f.make_post(s.course, s.carol, status="draft")
    f.make_thread_comment(draft, s.carol, "Draft note.")
    db.session.commit()
    response = client.get(f"/c/{s.course.slug}/essays/{s.essay.slug}/comments.atom")
    assert response.status_code == 200 and response.content_type.startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}title").text == "Bob Brandt on “The Illusion of Khrushchev”"
    assert "<em>thought</em>" in entries[0].find(f"{ATOM}content").text
    body = response.get_data(as_text=True)
    assert "Secret hidden" not in body and "Held back" not in body
    course_feed = client.get(f"/c/{s.course.slug}/comments.atom").get_data(as_text=True)
    assert "On Berlin." in course_feed and "Public" in course_feed and "Draft note." not in course_feed
    assert "grade" not in course_feed.lower()
    assert client.get(f"/c/{s.course.slug}/essays/{draft.slug}/comments.atom").status_code == 404


def test_the_course_feed_lists_the_newest_fifty_shown_comments_of_its_live_essays_newest_first(client, app):
    s = seminar()
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for n in range(52):  # on both essays, alternately, a minute apart
        f.make_thread_comment((s.essay, s.bob_essay)[n % 2], s.carol, f"Comment number {n}.",
                              at=start + timedelta(minutes=n))
    newest = start + timedelta(hours=2)  # each newer than all of the above, none of them in the feed
    f.make_thread_comment(s.essay, s.bob, "Deleted since.", at=newest, deleted_at=newest)
    f.make_thread_comment(s.essay, s.bob, "Held back.", at=newest, status="held")
    scheduled = f.make_post(s.course, s.carol, published_at=datetime.now(UTC) + timedelta(days=2))
    f.make_thread_comment(scheduled, s.alice, "On an essay not out yet.", at=newest)
    elsewhere = f.make_post(f.make_course(), s.alice)
    f.make_thread_comment(elsewhere, s.alice, "In another course.", at=newest)
    db.session.commit()
    feed = ElementTree.fromstring(client.get(f"/c/{s.course.slug}/comments.atom").data)
    shown = [entry.find(f"{ATOM}content").text.strip() for entry in feed.findall(f"{ATOM}entry")]
    assert shown == [f"<p>Comment number {n}.</p>" for n in range(51, 1, -1)]
    essay = ElementTree.fromstring(client.get(f"/c/{s.course.slug}/essays/{s.essay.slug}/comments.atom").data)
    shown = [entry.find(f"{ATOM}content").text.strip() for entry in essay.findall(f"{ATOM}entry")]
    assert shown == [f"<p>Comment number {n}.</p>" for n in range(50, -1, -2)]


def test_a_comments_feed_entry_keeps_its_id_and_links_to_the_page_holding_the_comment(client, app):
    """An entry's id never changes (RFC 4287): a reader would show every comment as new again. Its link names the
    comment, so a long thread opens at the page holding it."""
    s = seminar()
    comment = f.make_thread_comment(s.essay, s.bob, "Public thought.")
    db.session.commit()
    essay = f"http://coursesite.test{s.essay_url()}"
    for feed in (f"/c/{s.course.slug}/essays/{s.essay.slug}/comments.atom", f"/c/{s.course.slug}/comments.atom"):
        entry = ElementTree.fromstring(client.get(feed).data).find(f"{ATOM}entry")
        assert entry.find(f"{ATOM}id").text == f"{essay}#comment-{comment.id}"
        assert entry.find(f"{ATOM}link").get("href") == f"{essay}?comment={comment.id}#comment-{comment.id}"


def test_members_course_feeds_are_404_for_visitors(client, app):
    s = seminar(visibility="members")
    assert client.get(f"/c/{s.course.slug}/comments.atom").status_code == 404
    assert client.get(f"/c/{s.course.slug}/essays/{s.essay.slug}/comments.atom").status_code == 404


def test_my_comments_moves_from_zero_to_done(client, auth, app):
    s = seminar()
    auth.login(s.carol)
    html = client.get(f"/c/{s.course.slug}/my-comments").get_data(as_text=True)
    assert "0 of 2 done" in html and "Essays waiting for a comment" in html
    assert "The Illusion of Khrushchev" in html and "Berlin, 1961" in html
    essay_page = client.get(s.essay_url()).get_data(as_text=True)
    assert "This will count toward Essay 2 once it has 5 words: 0 of 2 done." in essay_page
    assert "0 / 5 words" in essay_page
    client.post(s.create_url(), data={"body": "Too short here."})
    client.post(s.create_url(), data={"body": "A careful reading of the sources, well argued."})
    client.post(s.create_url(s.bob_essay), data={"body": "Berlin is described with real care and detail."})
    html = client.get(f"/c/{s.course.slug}/my-comments").get_data(as_text=True)
    assert "2 of 2 done" in html and "Complete" in html
    assert "shorter than 5 words" in html or "another comment of yours" in html
    essay_page = client.get(s.essay_url()).get_data(as_text=True)
    assert "already counts toward Essay 2" in essay_page


def test_my_comments_offers_the_least_answered_essays_and_counts_the_rest(client, auth, app):
    """A class of hundreds: ten essays, fewest comments first, then how many more wait and where to find them."""
    s = seminar()
    f.make_thread_comment(s.essay, s.bob, "One.")
    f.make_thread_comment(s.essay, s.bob, "Two, but held.", status="held")
    f.make_thread_comment(s.bob_essay, s.alice, "One.")
    f.make_thread_comment(s.bob_essay, s.alice, "Two.")
    peers = [f.make_member(s.course, name=f"Peer {n:02}") for n in range(WAITING_LISTED + 2)]
    for n, peer in enumerate(peers):
        f.make_post(s.course, peer, title=f"Quiet essay {n:02}", assignment_id=s.assignment.id)
    f.make_post(s.course, s.carol, title="Carol's own", assignment_id=s.assignment.id)
    f.make_post(s.course, s.alice, title="A draft", assignment_id=s.assignment.id, status="draft")
    f.make_post(s.course, s.alice, title="Scheduled", assignment_id=s.assignment.id,
                published_at=datetime.now(UTC) + timedelta(days=1))
    f.make_post(s.course, s.alice, title="Trashed", assignment_id=s.assignment.id, deleted_at=datetime.now(UTC))
    f.make_post(s.course, s.ta, title="The TA's model essay", assignment_id=s.assignment.id)
    db.session.commit()

    [checklist] = checklists(s.course, s.carol.id)
    assert [w.essay.title for w in checklist.waiting] == [f"Quiet essay {n:02}" for n in range(WAITING_LISTED)]
    assert {w.comments for w in checklist.waiting} == {0}
    assert checklist.more_waiting == 4  # two quiet essays, then Khrushchev (1 shown comment), then Berlin (2)

    auth.login(s.carol)
    client.post(s.create_url(s.bob_essay), data={"body": "Berlin is described with real care and detail."})
    for peer in peers:
        db.session.add(f.make_comment(f.make_post(s.course, peer, title="Also quiet", assignment_id=s.assignment.id),
                                      s.alice, "Shown."))
    db.session.commit()
    [checklist] = checklists(s.course, s.carol.id)
    titles = [w.essay.title for w in checklist.waiting]
    assert titles == [f"Quiet essay {n:02}" for n in range(WAITING_LISTED)]
    assert checklist.done == 1
    assert checklist.more_waiting == 2 + 1 + len(peers)  # Berlin, where her comment counts, is no longer offered

    html = client.get(f"/c/{s.course.slug}/my-comments").get_data(as_text=True)
    assert f"{2 + 1 + len(peers)} more essays waiting: every essay for Essay 2" in html
    assert f'href="/c/{s.course.slug}/assignment/{s.assignment.id}/"' in html
    assert "Carol&#39;s own" not in html and "A draft" not in html and "Trashed" not in html
    assert "model essay" not in html


def test_my_comments_shows_the_deadline_and_late_ones_apart(client, auth, app):
    s = seminar()
    s.assignment.comments_due_at = datetime.now(UTC) - timedelta(hours=1)
    db.session.commit()
    auth.login(s.carol)
    client.post(s.create_url(), data={"body": "Late but thoughtful words about this."})
    html = client.get(f"/c/{s.course.slug}/my-comments").get_data(as_text=True)
    facts = _checklist_facts(html)
    assert facts[:2] == ["0 of 2 done", "✗ Missed (1 written late)"]  # a word, not colour alone
    assert facts[2].startswith("Was due ")
    assert "status--bad" in html.split('class="checklist__state"', 1)[1].split("</li>", 1)[0]
    assert "<h3>Late</h3>" in html


def test_my_comments_stops_offering_essays_once_the_comment_deadline_has_passed(client, auth, app):
    """Past the student's own deadline the essays are not ranked (a class of 3,000 writes 3,000 per assignment):
    the page says the deadline passed and links to every essay; an assignment still open keeps its list."""
    s = seminar()
    s.assignment.comments_due_at = datetime.now(UTC) - timedelta(hours=1)
    still_open = f.make_assignment(s.course, title="Essay 3", required_comments=1,
                                   comments_due_at=datetime.now(UTC) + timedelta(days=2))
    f.make_post(s.course, s.bob, title="Vienna, 1955", assignment_id=still_open.id)
    db.session.commit()
    auth.login(s.carol)

    html = client.get(f"/c/{s.course.slug}/my-comments").get_data(as_text=True)
    closed, open_one = html.split('id="a-', 2)[1:]
    assert "Essay 2" in closed and "Essay 3" in open_one
    assert "The comment deadline has passed: comments you write now count as late." in closed
    assert f'href="/c/{s.course.slug}/assignment/{s.assignment.id}/">Every essay for Essay 2</a>' in closed
    assert "The Illusion of Khrushchev" not in closed and "No other essays are waiting" not in closed
    assert "Vienna, 1955" in open_one and "deadline has passed" not in open_one

def test_a_students_extension_moves_their_own_comment_deadline(client, auth, app):
    """My comments and the hint under the box judge by the student's own deadline, as grading does."""
    s = seminar()
    s.assignment.comments_due_at = datetime.now(UTC) - timedelta(hours=1)
    f.make_extension(s.assignment, s.carol, comments_due_at=datetime.now(UTC) + timedelta(days=2))
    db.session.commit()
    auth.login(s.carol)
    essay_page = client.get(s.essay_url()).get_data(as_text=True)
    assert "This will count toward Essay 2" in essay_page and "deadline has passed" not in essay_page
    client.post(s.create_url(), data={"body": "On time by my own extended deadline."})
    html = client.get(f"/c/{s.course.slug}/my-comments").get_data(as_text=True)
    assert "<strong>1 of 2 done</strong>" in html
    assert "<h3>Late</h3>" not in html


def test_own_essay_hint(client, auth, app):
    s = seminar()
    auth.login(s.alice)
    html = client.get(s.essay_url()).get_data(as_text=True)
    assert "Your own essay: does not count toward Essay 2." in html


def test_hidden_comment_stops_counting(client, auth, app):
    s = seminar()
    auth.login(s.carol)
    client.post(s.create_url(), data={"body": "A careful reading of the sources, well argued."})
    assert "1 of 2 done" in client.get(f"/c/{s.course.slug}/my-comments").get_data(as_text=True)
    from coursesite.models import Comment

    comment = db.session.scalar(select(Comment))
    auth.logout()
    auth.login(s.ta)
    client.post(f"/c/{s.course.slug}/comments/{comment.id}/hide", data={"reason": "Copied text"})
    auth.logout()
    auth.login(s.carol)
    assert "0 of 2 done" in client.get(f"/c/{s.course.slug}/my-comments").get_data(as_text=True)


def test_staff_assign_readers_and_adjust_by_hand(client, auth, app):
    s = seminar()
    s.assignment.peer_mode = "assigned"
    s.assignment.required_comments = 1
    carol_essay = f.make_post(s.course, s.carol, title="Carol on Suez", assignment_id=s.assignment.id)
    db.session.commit()
    url = f"/c/{s.course.slug}/assignments/{s.assignment.id}/readers"
    auth.login(s.ta)
    assert "Assign readers" in client.get(url).get_data(as_text=True)
    client.post(url, data={"action": "assign"})
    pairs = db.session.scalars(select(PeerAssignment)).all()
    assert len(pairs) == 3
    own = {s.alice.id: s.essay.id, s.bob.id: s.bob_essay.id, s.carol.id: carol_essay.id}
    assert all(p.post_id != own[p.reviewer_id] for p in pairs)
    html = client.get(url).get_data(as_text=True)
    assert "Carol on Suez" in html
    mine = next(p for p in pairs if p.reviewer_id == s.alice.id)
    client.post(url, data={"action": "remove", "pair_id": str(mine.id)})
    assert db.session.scalar(select(func.count(PeerAssignment.id))) == 2
    response = client.post(url, data={"action": "add", "reviewer_id": str(s.alice.id), "post_id": str(s.essay.id)},
                           follow_redirects=True)
    assert "cannot be given their own essay" in response.get_data(as_text=True)
    client.post(url, data={"action": "add", "reviewer_id": str(s.alice.id), "post_id": str(carol_essay.id)})
    assert db.session.scalar(select(func.count(PeerAssignment.id))) == 3
    auth.logout()
    auth.login(s.alice)
    html = client.get(f"/c/{s.course.slug}/my-comments").get_data(as_text=True)
    assert "Essays assigned to you" in html and "Carol on Suez" in html
    bob_page = client.get(s.essay_url(s.bob_essay)).get_data(as_text=True)
    assert "Not one of the essays assigned to you" in bob_page


def test_my_comments_lists_the_essays_given_to_the_student_until_their_comment_counts(client, auth, app):
    """Assigned mode: the essays given to Carol, by title, with their shown comments and her own date for the one
    given late; the one her comment counts on leaves the list, an essay not given to her never joins it."""
    s = seminar()
    s.assignment.peer_mode = "assigned"
    vienna = f.make_post(s.course, s.alice, title="Vienna, 1955", assignment_id=s.assignment.id)
    f.make_thread_comment(s.bob_essay, s.alice, "Berlin is described with real care and detail.")
    own_date = datetime.now(UTC) + timedelta(days=9)
    db.session.add_all([PeerAssignment(assignment_id=s.assignment.id, reviewer_id=s.carol.id, post_id=vienna.id),
                        PeerAssignment(assignment_id=s.assignment.id, reviewer_id=s.carol.id, post_id=s.bob_essay.id,
                                       due_at=own_date)])
    db.session.commit()
    auth.login(s.carol)
    html = client.get(f"/c/{s.course.slug}/my-comments").get_data(as_text=True)
    waiting = html.split('<ul class="waiting-list">', 1)[1].split("</ul>", 1)[0]
    items = [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in waiting.split("<li>")[1:]]
    assert [item.split(" by ")[0] for item in items] == ["“Berlin, 1961”", "“Vienna, 1955”"]
    assert items[0].startswith("“Berlin, 1961” by Bob Brandt · 1 comment · yours due ")
    assert items[1] == "“Vienna, 1955” by Alice Archer · 0 comments"
    assert "The Illusion of Khrushchev" not in waiting
    client.post(s.create_url(vienna), data={"body": "Vienna is described with real care and detail."})
    html = client.get(f"/c/{s.course.slug}/my-comments").get_data(as_text=True)
    waiting = html.split('<ul class="waiting-list">', 1)[1].split("</ul>", 1)[0]
    assert "Berlin, 1961" in waiting and "Vienna, 1955" not in waiting


def test_an_open_and_an_assigned_assignment_list_their_essays_each_their_own_way(client, auth, app):
    s = seminar()
    given = f.make_assignment(s.course, title="Essay 3", required_comments=1, peer_mode="assigned")
    suez = f.make_post(s.course, s.alice, title="Suez, 1956", assignment_id=given.id)
    f.make_post(s.course, s.bob, title="Budapest, 1956", assignment_id=given.id)
    db.session.add(PeerAssignment(assignment_id=given.id, reviewer_id=s.carol.id, post_id=suez.id))
    db.session.commit()
    lists = {c.assignment.id: c for c in checklists(s.course, s.carol.id)}
    assert [w.essay.title for w in lists[s.assignment.id].waiting] == ["The Illusion of Khrushchev", "Berlin, 1961"]
    assert [(w.essay.title, w.essay.live, w.due_at) for w in lists[given.id].waiting] == [("Suez, 1956", True, None)]
    assert (lists[s.assignment.id].more_waiting, lists[given.id].more_waiting) == (0, 0)


def _readers_page_of_instructor(auth):
    """A seminar with Carol's essay too, its readers page's address, the instructor signed in."""
    s = seminar()
    carol_essay = f.make_post(s.course, s.carol, title="Carol on Suez", assignment_id=s.assignment.id)
    db.session.commit()
    auth.login(s.instructor)
    return s, carol_essay, f"/c/{s.course.slug}/assignments/{s.assignment.id}/readers"


def _add_pair_form(html: str) -> str:
    return html.split('id="add-pair-heading"', 1)[1].split("</form>", 1)[0]


def test_the_readers_page_lists_the_essays_once_not_once_per_student(client, auth, app):
    # Each student's row had its own list of every essay: 86,000 options, 6 MB, for a class of 300.
    s, carol_essay, url = _readers_page_of_instructor(auth)
    html = client.get(url).get_data(as_text=True)
    assert html.count(f'<option value="{carol_essay.id}">Carol Chen: “Carol on Suez”</option>') == 1
    form = _add_pair_form(html)
    assert all(f'<option value="{p.id}">{p.display_name}</option>' in form for p in (s.alice, s.bob, s.carol))
    client.post(url, data={"action": "add", "reviewer_id": str(s.alice.id), "post_id": str(carol_essay.id)})
    assert db.session.scalar(select(PeerAssignment.post_id).where(PeerAssignment.reviewer_id == s.alice.id)) \
        == carol_essay.id


def test_readers_page_is_for_staff_of_the_course(client, auth, app):
    s = seminar()
    url = f"/c/{s.course.slug}/assignments/{s.assignment.id}/readers"
    auth.login(s.bob)
    assert client.get(url).status_code == 403
    assert client.post(url, data={"action": "assign"}).status_code == 403
    auth.logout()
    auth.login(s.instructor)
    assert client.get(f"/c/{s.course.slug}/assignments/999999/readers").status_code == 404


def _checklist_facts(html: str) -> list[str]:
    """The separate lines of the first checklist's summary: count, state, due date."""
    facts = html.split('<ul class="checklist__facts">', 1)[1].split("</ul>", 1)[0]
    items = facts.split("<li")[1:]
    return [" ".join(re.sub(r"<[^>]+>", " ", "<li" + item).split()) for item in items]


def test_a_complete_checklist_keeps_its_status_and_due_date_apart(client, auth, app):
    s = seminar()
    auth.login(s.carol)
    client.post(s.create_url(), data={"body": "A careful reading of the sources, well argued."})
    client.post(s.create_url(s.bob_essay), data={"body": "Berlin is described with real care and detail."})
    facts = _checklist_facts(client.get(f"/c/{s.course.slug}/my-comments").get_data(as_text=True))
    assert facts[:2] == ["2 of 2 done", "✓ Complete"]
    assert facts[2].startswith("Due ")


def test_the_hint_follows_the_per_essay_cap_and_the_students_total(client, auth, app):
    """With two comments counted per essay, a second comment on the same essay still counts; a third does not;
    once the assignment is done, the box says so."""
    s = seminar()
    s.assignment.comments_counted_per_essay = 2
    db.session.commit()
    auth.login(s.carol)
    client.post(s.create_url(), data={"body": "A careful reading of the sources, well argued."})
    assert "This will count toward Essay 2 once it has 5 words: 1 of 2 done." in client.get(s.essay_url()).get_data(
        as_text=True)
    client.post(s.create_url(), data={"body": "And a second thought on the same careful essay."})
    essay_page = client.get(s.essay_url()).get_data(as_text=True)
    assert "Your comment here already counts toward Essay 2 (2 of 2 done)." in essay_page
    bob_page = client.get(s.essay_url(s.bob_essay)).get_data(as_text=True)
    assert "You have done all 2 for Essay 2; more comments are welcome." in bob_page


def test_my_comments_says_you_for_a_comment_on_ones_own_essay(client, auth, app):
    s = seminar()
    auth.login(s.alice)
    client.post(s.create_url(), data={"body": "Answering the questions on my own essay here."})
    client.post(s.create_url(s.bob_essay), data={"body": "Berlin is described with real care and detail."})
    html = client.get(f"/c/{s.course.slug}/my-comments").get_data(as_text=True)
    assert "by you ·" in html and f"by {s.alice.display_name}" not in html
    assert "by Bob Brandt ·" in html


def test_the_readers_form_comes_back_with_its_choices_after_a_refusal_and_its_reader_after_an_add(client, auth, app):
    # One form for the whole class: coming back on the first of 300 readers and essays loses the choice made.
    s, carol_essay, url = _readers_page_of_instructor(auth)

    def form(response):
        return _add_pair_form(response.get_data(as_text=True))

    refused = client.post(url, data={"action": "add", "reviewer_id": str(s.carol.id), "post_id": str(carol_essay.id)},
                          follow_redirects=True)
    assert "cannot be given their own essay" in refused.get_data(as_text=True)
    assert f'<option value="{s.carol.id}" selected>' in form(refused)
    assert f'<option value="{carol_essay.id}" selected>' in form(refused)
    added = client.post(url, data={"action": "add", "reviewer_id": str(s.bob.id), "post_id": str(carol_essay.id)},
                        follow_redirects=True)
    assert "Reader added." in added.get_data(as_text=True)
    assert f'<option value="{s.bob.id}" selected>' in form(added) and " selected>" not in form(added).split(
        'id="add-essay"', 1)[1]
    hostile = client.get(url, query_string={"reader": "<script>", "essay": "9" * 40})
    assert hostile.status_code == 200 and " selected>" not in form(hostile)
