"""Editing, deleting, reporting and moderating comments."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Comment, CommentReport, CommentRevision, Enrollment
from tests import factories as f
from tests.functional.comment_helpers import seminar


def committed_comment(s, author, body="Original words here.", **kw):
    c = f.make_thread_comment(s.essay, author, body, **kw)
    db.session.commit()
    return c


def edit_url(s, c):
    return f"/c/{s.course.slug}/comments/{c.id}/edit"


def action_url(s, c, action):
    return f"/c/{s.course.slug}/comments/{c.id}/{action}"


def test_author_edits_within_the_window_and_every_version_is_kept(client, auth, app):
    s = seminar()
    c = committed_comment(s, s.bob)
    auth.login(s.bob)
    page = client.get(edit_url(s, c))
    assert page.status_code == 200 and "Original words here." in page.get_data(as_text=True)
    response = client.post(edit_url(s, c), data={"body": "Better words here, now longer."})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#comment-{c.id}")
    db.session.refresh(c)
    assert c.body == "Better words here, now longer." and c.edited_at is not None
    bodies = db.session.scalars(select(CommentRevision.body).where(CommentRevision.comment_id == c.id)
                                .order_by(CommentRevision.id)).all()
    assert bodies == ["Original words here.", "Better words here, now longer."]
    html = client.get(s.essay_url()).get_data(as_text=True)
    assert "Edited" in html and "2 versions" not in html  # versions are for staff
    auth.logout()
    auth.login(s.ta)
    html = client.get(s.essay_url()).get_data(as_text=True)
    assert "2 versions" in html and "Original words here." in html


def test_editing_after_the_window_is_refused_and_the_text_kept(client, auth, app):
    s = seminar()
    c = committed_comment(s, s.bob, at=datetime.now(UTC) - timedelta(minutes=16))
    auth.login(s.bob)
    page = client.get(edit_url(s, c)).get_data(as_text=True)
    assert "this one is now fixed" in page and "Save comment" not in page
    response = client.post(edit_url(s, c), data={"body": "Too late to change"})
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "this one is now fixed" in html and "Too late to change" in html
    db.session.refresh(c)
    assert c.body == "Original words here."
    assert f"comments/{c.id}/edit" not in client.get(s.essay_url()).get_data(as_text=True)


def test_a_suspended_author_cannot_edit(client, auth, app):
    s = seminar()
    c = committed_comment(s, s.bob)
    db.session.scalar(select(Enrollment).where(Enrollment.user_id == s.bob.id)).comment_suspended = True
    db.session.commit()
    auth.login(s.bob)
    response = client.post(edit_url(s, c), data={"body": "Sneaky edit"})
    assert response.status_code == 403 and "suspended" in response.get_data(as_text=True)
    db.session.refresh(c)
    assert c.body == "Original words here."


def test_an_empty_edit_is_refused(client, auth, app):
    s = seminar()
    c = committed_comment(s, s.bob)
    auth.login(s.bob)
    response = client.post(edit_url(s, c), data={"body": "  "})
    assert response.status_code == 422 and "Write your comment" in response.get_data(as_text=True)
    db.session.refresh(c)
    assert c.body == "Original words here."


def test_only_the_author_edits_or_deletes(client, auth, app):
    s = seminar()
    c = committed_comment(s, s.bob)
    auth.login(s.carol)
    assert client.get(edit_url(s, c)).status_code == 403
    assert client.post(edit_url(s, c), data={"body": "Hijack"}).status_code == 403
    assert client.post(action_url(s, c, "delete")).status_code == 403
    db.session.refresh(c)
    assert c.body == "Original words here." and c.deleted_at is None


def test_deleting_your_comment(client, auth, app):
    s = seminar()
    c = committed_comment(s, s.bob, body="Soon gone.")
    auth.login(s.bob)
    assert client.post(action_url(s, c, "delete")).status_code == 302
    db.session.refresh(c)
    assert c.deleted_at is not None
    html = client.get(s.essay_url()).get_data(as_text=True)
    assert "Soon gone." not in html and "This comment was removed." not in html


def test_reporting_a_comment_reaches_the_queue(client, auth, app):
    s = seminar()
    c = committed_comment(s, s.bob, body="Questionable claim.")
    auth.login(s.carol)
    client.post(action_url(s, c, "report"), data={"reason": "Personal attack"})
    client.post(action_url(s, c, "report"), data={"reason": "Again"})
    assert len(db.session.scalars(select(CommentReport)).all()) == 1
    response = client.post(action_url(s, c, "report"), data={"reason": ""}, follow_redirects=True)
    assert "Give a reason" in response.get_data(as_text=True)
    auth.logout()
    auth.login(s.ta)
    html = client.get(f"/c/{s.course.slug}/moderation").get_data(as_text=True)
    assert "Questionable claim." in html and "Personal attack" in html
    assert "Moderation <span class=\"badge\">1" in client.get(s.essay_url()).get_data(as_text=True)
    client.post(action_url(s, c, "approve"), data={"next": f"/c/{s.course.slug}/moderation"})
    html = client.get(f"/c/{s.course.slug}/moderation").get_data(as_text=True)
    assert "Nothing is waiting" in html


def test_staff_approve_and_reject_held_comments(client, auth, app):
    s = seminar(comment_moderation="all")
    held = committed_comment(s, s.bob, body="Please approve me.", status="held")
    other = committed_comment(s, s.carol, body="Reject me.", status="held")
    auth.login(s.instructor)
    html = client.get(f"/c/{s.course.slug}/moderation").get_data(as_text=True)
    assert "Please approve me." in html and "Reject me." in html and "Awaiting approval" in html
    client.post(action_url(s, held, "approve"))
    client.post(action_url(s, other, "reject"))
    db.session.refresh(held)
    db.session.refresh(other)
    assert held.status == "visible" and other.status == "hidden"
    auth.logout()
    auth.login(s.alice)
    html = client.get(s.essay_url()).get_data(as_text=True)
    assert "Please approve me." in html and "Reject me." not in html


def test_staff_hide_with_a_reason_and_unhide(client, auth, app):
    s = seminar()
    c = committed_comment(s, s.bob, body="Off-topic rant.")
    auth.login(s.ta)
    response = client.post(action_url(s, c, "hide"), data={"reason": ""}, follow_redirects=True)
    assert "Give a reason for hiding" in response.get_data(as_text=True)
    db.session.refresh(c)
    assert c.status == "visible"
    client.post(action_url(s, c, "hide"), data={"reason": "Off topic"})
    db.session.refresh(c)
    assert c.status == "hidden" and c.hidden_reason == "Off topic"
    client.post(action_url(s, c, "unhide"))
    db.session.refresh(c)
    assert c.status == "visible" and c.hidden_reason is None


def test_students_cannot_moderate_and_hidden_comments_are_404_to_them(client, auth, app):
    s = seminar()
    c = committed_comment(s, s.bob, body="Hidden away.", status="hidden", hidden_reason="x")
    auth.login(s.carol)
    assert client.post(action_url(s, c, "unhide")).status_code == 403
    assert client.post(action_url(s, c, "report"), data={"reason": "x"}).status_code == 404
    assert client.get(f"/c/{s.course.slug}/moderation").status_code == 403


def test_staff_suspend_and_restore_a_commenter(client, auth, app):
    s = seminar()
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == s.bob.id))
    url = f"/c/{s.course.slug}/roster/{enrollment.id}/suspend"
    auth.login(s.ta)
    assert client.post(url, data={"suspended": "1"}).status_code == 302
    db.session.refresh(enrollment)
    assert enrollment.comment_suspended
    assert "Brandt" in client.get(f"/c/{s.course.slug}/moderation").get_data(as_text=True)
    client.post(url, data={"suspended": "0"})
    db.session.refresh(enrollment)
    assert not enrollment.comment_suspended
    staff = db.session.scalar(select(Enrollment).where(Enrollment.user_id == s.instructor.id))
    client.post(f"/c/{s.course.slug}/roster/{staff.id}/suspend", data={"suspended": "1"})
    db.session.refresh(staff)
    assert not staff.comment_suspended


def test_held_comment_is_404_for_other_students(client, auth, app):
    s = seminar()
    c = committed_comment(s, s.bob, status="held")
    auth.login(s.carol)
    assert client.post(action_url(s, c, "report"), data={"reason": "x"}).status_code == 404


def test_comment_of_another_course_is_404(client, auth, app):
    s = seminar()
    other = seminar()
    c = f.make_thread_comment(other.essay, other.bob, "Elsewhere.")
    db.session.commit()
    auth.login(s.instructor)
    assert client.post(action_url(s, c, "hide"), data={"reason": "x"}).status_code == 404
    assert db.session.scalar(select(Comment.status).where(Comment.id == c.id)) == "visible"


def test_shortening_a_comment_below_the_minimum_says_it_no_longer_counts(client, auth, app):
    s = seminar()  # the essay's assignment asks for comments of at least 5 words
    c = committed_comment(s, s.bob, body="Six words make this one count.")
    auth.login(s.bob)
    page = client.get(edit_url(s, c)).get_data(as_text=True)
    assert '6 / 5 words</p>' in page
    assert "A comment counts for Essay 2 with at least 5 words; shortened below that, it stops counting." in page
    response = client.post(edit_url(s, c), data={"body": "Too short."}, follow_redirects=True)
    assert ("Your comment is updated. At 2 words it is now under the 5 a comment needs to count for Essay 2."
            in response.get_data(as_text=True))
    response = client.post(edit_url(s, c), data={"body": "Still short."}, follow_redirects=True)
    assert "Your comment is updated.</p>" in response.get_data(as_text=True)  # under it already: said once


def test_editing_a_comment_that_cannot_count_says_nothing_of_its_length(client, auth, app):
    """On the writer's own essay, say: My comments and the comment box say it does not count; so does editing."""
    s = seminar()
    own = committed_comment(s, s.alice, body="Six words on my own essay.")  # s.essay is Alice's
    auth.login(s.alice)
    page = client.get(edit_url(s, own)).get_data(as_text=True)
    assert "stops counting" not in page and "6 words</p>" in page
    response = client.post(edit_url(s, own), data={"body": "Too short."}, follow_redirects=True)
    assert "Your comment is updated.</p>" in response.get_data(as_text=True)
