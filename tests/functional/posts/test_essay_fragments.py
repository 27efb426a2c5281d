"""The comment thread's headings and texts are kept rendered for every reader (posts/essay_fragments.py): a
signed-in reader never sees a kept part older than what it shows, and what belongs to one reader (their own
comment's tools, their form token, their comment awaiting approval, staff tools) never reaches another."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Enrollment, utcnow
from tests import factories as f


def essay_url(post) -> str:
    return f"/c/{post.course.slug}/essays/{post.slug}/"


def signed_in(client, user) -> None:
    """A browser session of its own for `user`, as after logging in."""
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def page(client, post) -> str:
    response = client.get(essay_url(post))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def comment_html(html: str, comment) -> str:
    """The <li> of one comment (up to the next comment's)."""
    found = re.search(rf'<li id="comment-{comment.id}".*?(?=<li id="comment-|</ol>)', html, re.S)
    assert found, f"comment {comment.id} not on the page"
    return found.group(0)


@pytest.fixture
def thread():
    course = f.make_course(visibility="members", title="Postwar Europe", timezone="America/New_York")
    post = f.make_post(course, f.make_author(course, name="Hana Sato"), title="Letters from Yalta")
    commenter = f.make_author(course, name="Ines Duarte")
    comment = f.make_thread_comment(post, commenter, "The second letter changes everything about the conference.",
                                    at=utcnow() - timedelta(hours=2))
    reader = f.make_member(course, name="Reader Kim")
    return course, post, commenter, comment, reader


def test_every_change_to_what_a_comment_shows_reaches_a_signed_in_reader_at_once(client, thread):
    course, post, commenter, comment, reader = thread
    signed_in(client, reader)
    assert "Ines Duarte" in comment_html(page(client, post), comment)  # kept from here on

    def change(apply, shown: str, gone: str | None = None) -> None:
        apply()
        db.session.flush()
        html = page(client, post)
        assert shown in html, shown
        assert gone is None or gone not in html, gone

    def edit() -> None:
        comment.body = "Revised: the letters matter less."
        comment.body_html = f"<p>{comment.body}</p>"

    change(lambda: setattr(comment, "edited_at", utcnow()), "· Edited")  # saved again with the same text
    change(edit, "<p>Revised: the letters matter less.</p>", "changes everything")
    change(lambda: setattr(commenter, "display_name", "Inês Duarte"), "Inês Duarte", "Ines Duarte")
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == commenter.id))
    change(lambda: setattr(enrollment, "course_name", "I. D."), '<b class="fn">I. D.</b>', "Inês Duarte")
    change(lambda: setattr(enrollment, "role", "ta"), '<span class="badge role-badge">TA</span>')
    shown_time = re.search(r'class="comment-permalink"[^>]*><time datetime="([^"]+)"', page(client, post)).group(1)
    change(lambda: setattr(course, "timezone", "Asia/Tokyo"), "+09:00", shown_time)
    second = f.make_thread_comment(post, f.make_author(course, name="Omar Haddad"), "A second reading of Yalta.")
    change(lambda: None, "A second reading of Yalta.")
    change(lambda: setattr(second, "status", "hidden"), "Revised: the letters", "A second reading of Yalta.")
    change(lambda: setattr(comment, "deleted_at", utcnow()), "Leave a Reply", "Revised: the letters")


class TestPerReaderParts:
    @pytest.fixture
    def app_config(self, base_config):
        return {**base_config, "WTF_CSRF_ENABLED": True}

    def test_one_readers_own_comment_tools_and_form_token_never_reach_another(self, app, client, thread):
        course, post, commenter, comment, reader = thread
        own = f.make_thread_comment(post, reader, "My own remark on the letters, still editable.")
        signed_in(client, reader)
        mine = page(client, post)
        token = re.search(r'name="csrf_token" value="([^"]+)"', mine).group(1)
        assert "comment--own" in comment_html(mine, own) and 'class="comment-edit-link"' in comment_html(mine, own)

        other = f.make_member(course, name="Other Reader")
        signed_in(client, other)
        theirs = page(client, post)
        assert "My own remark on the letters" in theirs
        assert "comment--own" not in theirs and 'class="comment-edit-link"' not in theirs
        assert "your comment" not in theirs and token not in theirs
        signed_in(client, reader)
        assert 'class="comment-edit-link"' in comment_html(page(client, post), own)

    def test_a_comment_awaiting_approval_and_staff_tools_stay_with_those_who_may_see_them(self, app, client, thread):
        course, post, commenter, comment, reader = thread
        held = f.make_thread_comment(post, reader, "Waiting for the instructor to approve this.", status="held")
        instructor = f.make_member(course, role="instructor", name="Prof Ito")
        signed_in(client, instructor)
        staff = page(client, post)
        assert "Waiting for the instructor" in staff and ">Approve</button>" in staff and "Hide comment" in staff
        signed_in(client, reader)
        author = page(client, post)
        assert "Your comment is awaiting approval." in comment_html(author, held)
        assert ">Approve</button>" not in author and "Hide comment" not in author
        signed_in(client, f.make_member(course, name="Other Reader"))
        other = page(client, post)
        assert "Waiting for the instructor" not in other and "awaiting approval" not in other
        assert ">Approve</button>" not in other and "Hide comment" not in other


def test_a_reader_who_lost_access_is_refused_although_the_thread_is_kept(client, thread):
    course, post, commenter, comment, reader = thread
    signed_in(client, reader)
    assert "The second letter" in page(client, post)
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == reader.id))
    enrollment.ended_at = utcnow()
    db.session.flush()
    response = client.get(essay_url(post))
    assert response.status_code in (403, 404) and "The second letter" not in response.get_data(as_text=True)
