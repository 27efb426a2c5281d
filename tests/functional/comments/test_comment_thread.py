import re
from datetime import UTC, datetime, timedelta

from tests import factories as f
from tests.functional.comment_helpers import seminar


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_heading_counts_comments_and_names_the_essay(client, app):
    s = seminar()
    html = page(client, s.essay_url())
    assert "thoughts on" not in html and "thought on" not in html
    f.make_thread_comment(s.essay, s.bob, "First!")
    assert "One thought on “The Illusion of Khrushchev”" in page(client, s.essay_url())
    for person in (s.carol, s.ta, s.instructor):
        f.make_thread_comment(s.essay, person, f"A note from {person.display_name}.")
    assert "4 thoughts on “The Illusion of Khrushchev”" in page(client, s.essay_url())


def test_comment_shows_author_badge_avatar_time_permalink_and_body(client, auth, app):
    s = seminar()
    auth.login(s.carol)
    at = datetime(2017, 4, 3, 16, 23, tzinfo=UTC)
    c = f.make_thread_comment(s.essay, s.ta, "I *agree* with the second paragraph.", at=at)
    html = page(client, s.essay_url())
    assert f'id="comment-{c.id}"' in html
    assert "Tess Aide" in html and ">TA</span>" in html
    assert '<span class="avatar avatar--' in html and ">TA</span>" in html
    stamp = '<time datetime="2017-04-03T12:23:00-04:00">April 3, 2017 at 12:23 pm</time>'
    assert f'href="?comment={c.id}#comment-{c.id}">{stamp}</a>' in html
    assert "<em>agree</em>" in html
    assert f"replytocom={c.id}#respond" in html


def test_course_display_name_is_shown_instead_of_the_account_name(client, app):
    s = seminar()
    from coursesite.people import accounts
    from coursesite.permissions import membership  # noqa: F401

    accounts.enroll(s.bob, s.course, course_name="B. the Historian")
    f.make_thread_comment(s.essay, s.bob, "Pseudonymous thought.")
    html = page(client, s.essay_url())
    assert "B. the Historian" in html and "Bob Brandt" not in html


def test_comments_are_oldest_first_and_replies_nest_up_to_five_levels(client, app):
    s = seminar()
    now = datetime.now(UTC) - timedelta(hours=3)
    second = f.make_thread_comment(s.essay, s.carol, "Second comment", at=now + timedelta(minutes=5))
    first = f.make_thread_comment(s.essay, s.bob, "First comment", at=now)
    parent = first
    chain = []
    for level in range(2, 9):
        parent = f.make_thread_comment(s.essay, s.carol if level % 2 else s.bob, f"Reply at level {level}",
                                       parent=parent, at=now + timedelta(minutes=10 + level))
        chain.append(parent)
    html = page(client, s.essay_url())
    assert html.index("First comment") < html.index("Second comment")
    assert html.index(f'id="comment-{first.id}"') < html.index(f'id="comment-{second.id}"')
    assert 'class="comment depth-5' in html
    assert "depth-6" not in html
    for c in chain[3:]:
        assert re.search(rf'id="comment-{c.id}" class="comment depth-5', html)


def test_visitors_read_but_are_asked_to_log_in(client, app):
    s = seminar()
    f.make_thread_comment(s.essay, s.bob, "Visible to the public.")
    html = page(client, s.essay_url())
    assert "Visible to the public." in html
    assert "Log in to leave a comment" in html
    assert 'name="body"' not in html


def test_members_get_the_form_and_non_members_none(client, auth, app):
    s = seminar()
    auth.login(s.carol)
    html = page(client, s.essay_url())
    assert "Leave a Reply" in html and 'name="body"' in html and "Post Comment" in html
    auth.logout()
    auth.login(s.outsider)
    html = page(client, s.essay_url())
    assert 'name="body"' not in html and "Leave a Reply" not in html


JUMP_TO_FORM = '<a class="comments-jump" href="#respond">Leave a Reply</a>'


def test_a_long_thread_opens_with_a_link_down_to_the_reply_form(client, auth, app):
    """Under the heading, before the comments: a member need not scroll or tab past every comment to answer."""
    s = seminar()
    f.make_thread_comment(s.essay, s.bob, "First of many.")
    auth.login(s.carol)
    html = page(client, s.essay_url())
    assert html.index("thought on") < html.index(JUMP_TO_FORM) < html.index("First of many.")
    auth.logout()
    auth.login(s.outsider)
    assert JUMP_TO_FORM not in page(client, s.essay_url())


def test_staff_moderate_a_comment_rather_than_report_it_to_themselves(client, auth, app):
    """A student reports a comment to the course staff; the instructor and the TA, who would receive that report,
    get the moderation tools instead of a Report button too."""
    s = seminar()
    f.make_thread_comment(s.essay, s.bob, "Worth a second look.")
    for person, tools in ((s.carol, ["Report"]), (s.instructor, ["Moderate"]), (s.ta, ["Moderate"])):
        auth.login(person)
        html = page(client, s.essay_url())
        assert re.findall(r"<summary>(Report|Moderate)[<]", html) == tools, person.display_name
        auth.logout()


def test_reply_link_without_js_shows_reply_to_name_with_cancel(client, auth, app):
    s = seminar()
    c = f.make_thread_comment(s.essay, s.bob, "Answer me.")
    auth.login(s.carol)
    html = page(client, s.essay_url() + f"?replytocom={c.id}")
    assert "Reply to Bob Brandt" in html
    assert f'name="parent_id" id="comment_parent" value="{c.id}"' in html
    assert re.search(r'id="cancel-comment-reply-link" href="[^"]+#respond">Cancel reply', html)
    # Beside the heading, not in it: a screen reader hears the heading as "Reply to Bob Brandt" alone.
    heading = re.search(r'<h2 id="reply-title"[^>]*>(.*?)</h2>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", heading).strip() == "Reply to Bob Brandt"


def test_hidden_comment_vanishes_for_students_and_is_marked_for_staff(client, auth, app):
    s = seminar()
    f.make_thread_comment(s.essay, s.bob, "Kept comment.")
    f.make_thread_comment(s.essay, s.carol, "Rude remark.", status="hidden", hidden_reason="Off topic")
    auth.login(s.alice)
    html = page(client, s.essay_url())
    assert "Rude remark." not in html and "One thought on" in html
    auth.logout()
    auth.login(s.ta)
    html = page(client, s.essay_url())
    assert "Rude remark." in html and "Hidden from students: Off topic" in html
    assert "2 thoughts on" in html


def test_deleted_comment_with_replies_leaves_a_placeholder(client, app):
    s = seminar()
    gone = f.make_thread_comment(s.essay, s.bob, "Regrettable words.", deleted_at=datetime.now(UTC))
    f.make_thread_comment(s.essay, s.carol, "A reply that stays.", parent=gone)
    f.make_thread_comment(s.essay, s.bob, "Deleted alone.", deleted_at=datetime.now(UTC))
    html = page(client, s.essay_url())
    assert "This comment was removed." in html
    assert "Regrettable words." not in html and "Deleted alone." not in html
    assert html.count("This comment was removed.") == 1
    assert "One thought on" in html


def test_held_comment_is_visible_to_its_author_and_staff_only(client, auth, app):
    s = seminar()
    f.make_thread_comment(s.essay, s.bob, "Waiting comment.", status="held")
    auth.login(s.bob)
    html = page(client, s.essay_url())
    assert "Waiting comment." in html and "Your comment is awaiting approval." in html
    auth.logout()
    auth.login(s.carol)
    assert "Waiting comment." not in page(client, s.essay_url())
    auth.logout()
    auth.login(s.instructor)
    html = page(client, s.essay_url())
    assert "Waiting comment." in html and "Approve" in html


def test_essay_page_runs_a_fixed_number_of_queries(client, auth, app, count_queries):
    s = seminar()
    auth.login(s.carol)
    client.get(s.essay_url())

    def queries_with(n):
        people = [s.bob, s.carol, s.ta, s.instructor]
        parent = None
        for i in range(n):
            parent = f.make_thread_comment(s.essay, people[i % 4], f"Comment {i} " + f.words(6),
                                           parent=parent if i % 3 else None, edited_at=datetime.now(UTC))
        with count_queries() as q:
            assert client.get(s.essay_url()).status_code == 200
        return q.count

    few = queries_with(5)
    many = queries_with(195)
    assert few == many, (few, many)
    # The course, the essay with its author and assignment, the reader and their enrollment, the neighbours (2),
    # the author's course name, the thread, the unread count; the hint: the reader's own deadline, the essays
    # they touched, their edited comments' revisions, their comments, the essays given to them to read.
    assert few <= 13, few
    auth.logout()
    auth.login(s.instructor)
    with count_queries() as q1:
        client.get(s.essay_url())
    assert q1.count <= few + 3


def test_each_report_button_names_the_comment_it_reports(client, auth, app):
    """A screen reader lists the Report buttons of a thread together: each says whose comment it is about."""
    s = seminar()
    f.make_thread_comment(s.essay, s.bob, "Worth a second look.")
    f.make_thread_comment(s.essay, s.alice, "Thank you, Bob.")
    auth.login(s.carol)
    summaries = re.findall(r"<summary>(.*?)</summary>", page(client, s.essay_url()))
    names = [re.sub(r"<[^>]+>", "", summary) for summary in summaries]
    assert names == ["Report the comment by Bob Brandt", "Report the comment by Alice Archer"]
