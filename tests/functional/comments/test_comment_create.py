from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from coursesite.discussion.comments import MAX_COMMENT_CHARS, comment_pace
from coursesite.extensions import db
from coursesite.models import Comment, CommentRevision, Notification
from tests import factories as f
from tests.functional.comment_helpers import seminar


def comment_count() -> int:
    return db.session.scalar(select(func.count(Comment.id)))


def test_a_member_posts_a_comment_and_lands_on_it(client, auth, app):
    s = seminar()
    auth.login(s.bob)
    response = client.post(s.create_url(), data={"body": "A **fine** point about 1956."})
    assert response.status_code == 302
    comment = db.session.scalar(select(Comment))
    assert response.headers["Location"].endswith(f"{s.essay_url()}?comment={comment.id}#comment-{comment.id}")
    assert comment.body_html.strip() == "<p>A <strong>fine</strong> point about 1956.</p>"
    assert comment.word_count == 5
    revisions = db.session.scalars(select(CommentRevision).where(CommentRevision.comment_id == comment.id)).all()
    assert [r.body for r in revisions] == ["A **fine** point about 1956."]
    html = client.get(s.essay_url()).get_data(as_text=True)
    assert "One thought on" in html and "<strong>fine</strong>" in html


def test_posting_a_comment_reads_only_what_it_needs(client, auth, app, count_queries, outbox):
    """Every comment written runs these statements, so they are few: the course, the writer, the essay with
    its author (whom the comment notifies) but not its long text, the writer's enrollment, their latest
    comments (repeat and pace), then the comment, its first revision and the author's notification."""
    s = seminar()
    s.essay.body = "A long essay. " * 2000
    s.alice.notify_email = "instant"
    db.session.commit()
    auth.login(s.bob)
    url, bob_essay_url = s.create_url(), s.create_url(s.bob_essay)
    with count_queries() as q:
        response = client.post(url, data={"body": "A fine point about 1956."})
    assert response.status_code == 302
    assert [message["To"] for message in outbox] == [s.alice.email]  # her choice came with the essay
    assert not [statement for statement in q.statements if statement.lstrip().startswith("SELECT users")]

    auth.login(s.carol)
    with count_queries() as q:  # Bob takes the daily digest, as most do
        assert client.post(bob_essay_url, data={"body": "Berlin, seen from the east."}).status_code == 302
    assert q.count <= 8, "\n".join(" ".join(statement.split())[:120] for statement in q.statements)
    assert not [statement for statement in q.statements if "posts.body" in statement]
    assert len(outbox) == 1


def test_a_reply_carries_its_parent(client, auth, app):
    s = seminar()
    parent = f.make_thread_comment(s.essay, s.carol, "Start of a thread.")
    auth.login(s.bob)
    client.post(s.create_url(), data={"body": "A reply.", "parent_id": str(parent.id)})
    reply = db.session.scalar(select(Comment).where(Comment.body == "A reply."))
    assert reply.parent_id == parent.id


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write your comment before posting it."),
        ("   \n  ", "Write your comment before posting it."),
        ("x" * (MAX_COMMENT_CHARS + 1), "the limit is 10,000"),
    ],
)
def test_empty_or_over_long_comments_are_refused_with_the_text_kept(client, auth, app, body, message):
    s = seminar()
    auth.login(s.bob)
    response = client.post(s.create_url(), data={"body": body})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert comment_count() == 0
    if body.strip():
        assert body in html  # kept in the box


def test_reply_to_a_comment_on_another_essay_is_refused(client, auth, app):
    s = seminar()
    elsewhere = f.make_thread_comment(s.bob_essay, s.carol, "On Bob's essay.")
    db.session.commit()
    auth.login(s.bob)
    response = client.post(s.create_url(), data={"body": "Misplaced reply", "parent_id": str(elsewhere.id)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "not on this essay" in html and "Misplaced reply" in html
    assert comment_count() == 1


def test_reply_to_a_hidden_comment_is_refused(client, auth, app):
    s = seminar()
    hidden = f.make_thread_comment(s.essay, s.carol, "Hidden one.", status="hidden", hidden_reason="Spam")
    db.session.commit()
    auth.login(s.bob)
    response = client.post(s.create_url(), data={"body": "Answering the hidden", "parent_id": str(hidden.id)})
    assert response.status_code == 422
    assert "no longer shown" in response.get_data(as_text=True)
    assert comment_count() == 1


def test_commenting_on_a_draft_is_refused_for_its_author_and_invisible_to_others(client, auth, app):
    s = seminar()
    draft = f.make_post(s.course, s.bob, title="Unfinished", status="draft")
    db.session.commit()
    auth.login(s.bob)
    response = client.post(s.create_url(draft), data={"body": "Note to self"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This essay is a draft. Comments open once it is published." in html and "Note to self" in html
    auth.logout()
    auth.login(s.carol)
    assert client.post(s.create_url(draft), data={"body": "Sneaky"}).status_code == 404
    assert comment_count() == 0


def test_scheduled_and_trashed_essays_take_no_comments(client, auth, app):
    s = seminar()
    scheduled = f.make_post(s.course, s.bob, title="Tomorrow", published_at=datetime.now(UTC) + timedelta(days=1))
    trashed = f.make_post(s.course, s.bob, title="Binned", deleted_at=datetime.now(UTC))
    db.session.commit()
    auth.login(s.bob)
    assert "scheduled" in client.post(s.create_url(scheduled), data={"body": "x"}).get_data(as_text=True)
    auth.logout()
    auth.login(s.instructor)
    response = client.post(s.create_url(trashed), data={"body": "Staff note"})
    assert response.status_code == 409 and "in the trash" in response.get_data(as_text=True)
    assert comment_count() == 0


def test_a_non_member_is_told_and_nothing_is_written(client, auth, app):
    s = seminar()
    auth.login(s.outsider)
    response = client.post(s.create_url(), data={"body": "Drive-by opinion"})
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Only members of this course can comment" in html and "Drive-by opinion" in html
    assert comment_count() == 0


def test_visitors_are_sent_to_log_in(client, app):
    s = seminar()
    response = client.post(s.create_url(), data={"body": "Anonymous"})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert comment_count() == 0


def test_members_only_course_refuses_outsiders(client, auth, app):
    s = seminar(visibility="members")
    auth.login(s.outsider)
    assert client.post(s.create_url(), data={"body": "Hello"}).status_code == 403
    assert comment_count() == 0


def test_a_suspended_student_cannot_comment(client, auth, app):
    s = seminar()
    from coursesite.people import accounts

    accounts.enroll(s.bob, s.course, comment_suspended=True)
    db.session.commit()
    auth.login(s.bob)
    html = client.get(s.essay_url()).get_data(as_text=True)
    assert "Your commenting in this course is suspended" in html and 'name="body"' not in html
    response = client.post(s.create_url(), data={"body": "Still here"})
    assert response.status_code == 403 and "suspended" in response.get_data(as_text=True)
    assert comment_count() == 0


def test_the_same_text_twice_in_a_row_is_refused(client, auth, app):
    s = seminar()
    auth.login(s.bob)
    client.post(s.create_url(), data={"body": "Great essay!"})
    response = client.post(s.create_url(), data={"body": "  Great essay!  "})
    assert response.status_code == 422
    assert "You already posted this comment" in response.get_data(as_text=True)
    assert comment_count() == 1


def test_unknown_essay_is_404(client, auth, app):
    s = seminar()
    auth.login(s.bob)
    assert client.post(f"/c/{s.course.slug}/essays/nope/comments", data={"body": "x"}).status_code == 404


def test_moderation_first_holds_a_students_first_comment_only(client, auth, app):
    s = seminar(comment_moderation="first")
    auth.login(s.bob)
    response = client.post(s.create_url(), data={"body": "My first comment."}, follow_redirects=True)
    assert "awaiting approval" in response.get_data(as_text=True)
    first = db.session.scalar(select(Comment))
    assert first.status == "held"
    assert db.session.scalar(select(func.count(Notification.id))) == 0
    first.status = "visible"
    db.session.flush()
    client.post(s.create_url(), data={"body": "My second comment."})
    second = db.session.scalar(select(Comment).where(Comment.body == "My second comment."))
    assert second.status == "visible"


def test_moderation_all_holds_students_but_not_staff(client, auth, app):
    s = seminar(comment_moderation="all")
    auth.login(s.bob)
    client.post(s.create_url(), data={"body": "Student comment."})
    auth.logout()
    auth.login(s.ta)
    client.post(s.create_url(), data={"body": "TA comment."})
    statuses = dict(db.session.execute(select(Comment.body, Comment.status)).all())
    assert statuses == {"Student comment.": "held", "TA comment.": "visible"}


class TestPace:
    """How many comments one person may post in a while, counted from the comments stored: so it holds across
    every worker and host, and a refusal keeps the text, as any other refusal does."""

    @pytest.fixture
    def app_config(self, base_config, tmp_path):
        return {**base_config, "COMMENT_RATE_LIMIT": "3 per minute; 5 per hour"}

    def test_one_too_many_keeps_the_text_and_says_when_to_post_it(self, client, auth, app):
        s = seminar()
        auth.login(s.bob)
        codes = [client.post(s.create_url(), data={"body": f"Comment number {i}"}).status_code for i in range(3)]
        assert codes == [302, 302, 302]
        response = client.post(s.create_url(), data={"body": "The fourth, typed with care."})
        html = response.get_data(as_text=True)
        assert response.status_code == 429
        assert "You have posted 3 comments in the last minute" in html
        assert "The fourth, typed with care." in html  # kept in the box
        assert 55 <= int(response.headers["Retry-After"]) <= 60
        assert f"post it again in {response.headers['Retry-After']} seconds" in html
        assert comment_count() == 3
        auth.logout()
        auth.login(s.carol)  # the pace is per person
        assert client.post(s.create_url(), data={"body": "Carol's turn"}).status_code == 302

    def test_comments_stored_by_any_worker_count_deleted_ones_too_in_any_course(self, client, auth, app):
        s = seminar()
        other_course = f.make_course(title="Another seminar")
        elsewhere = f.make_post(other_course, f.make_member(other_course, name="Dana Dale"), title="Elsewhere")
        now = datetime.now(UTC)
        f.make_thread_comment(elsewhere, s.bob, "Written by another worker.", at=now - timedelta(seconds=10))
        f.make_thread_comment(s.essay, s.bob, "Then deleted.", at=now - timedelta(seconds=20),
                              deleted_at=now - timedelta(seconds=5))
        f.make_thread_comment(s.essay, s.bob, "Long ago.", at=now - timedelta(minutes=2))
        db.session.commit()
        auth.login(s.bob)
        assert client.post(s.create_url(), data={"body": "Third in the minute."}).status_code == 302
        response = client.post(s.create_url(), data={"body": "Fourth in the minute."})
        assert response.status_code == 429
        # The oldest of the three in the last minute (20 s ago) leaves it first.
        assert 38 <= int(response.headers["Retry-After"]) <= 41

    def test_the_longer_pace_tells_its_own_span_and_wait(self, client, auth, app):
        s = seminar()
        now = datetime.now(UTC)
        for minutes in (50, 40, 30, 20, 10):
            f.make_thread_comment(s.bob_essay, s.bob, f"{minutes} minutes ago.", at=now - timedelta(minutes=minutes))
        db.session.commit()
        auth.login(s.bob)
        response = client.post(s.create_url(), data={"body": "A sixth within the hour."})
        html = response.get_data(as_text=True)
        assert response.status_code == 429
        assert "You have posted 5 comments in the last hour" in html and "post it again in 10 minutes" in html
        assert 590 <= int(response.headers["Retry-After"]) <= 600
        assert comment_count() == 5

    def test_a_comment_a_whole_span_after_the_one_it_counts_last_is_taken(self, app):
        """The edge, where PostgreSQL's one statement and the rule in Python must agree: a span to the
        microsecond after the oldest comment counted is allowed, a microsecond less is not."""
        from coursesite.discussion.comments import CommentError, create_comment
        from coursesite.permissions import membership

        s = seminar()
        now = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=5)
        for seconds in (60, 30, 10):
            f.make_thread_comment(s.bob_essay, s.bob, f"{seconds} s before.", at=now - timedelta(seconds=seconds))
        db.session.commit()
        paces = comment_pace("3 per minute")
        with pytest.raises(CommentError) as early:
            create_comment(s.essay, s.bob, membership(s.bob, s.course), "A microsecond early.",
                           now=now - timedelta(microseconds=1), paces=paces)
        assert early.value.status == 429 and early.value.retry_after == 1
        assert comment_count() == 3
        taken = create_comment(s.essay, s.bob, membership(s.bob, s.course), "On the second.", now=now, paces=paces)
        assert taken.id is not None and comment_count() == 4

    def test_off_when_rate_limits_are(self, client, auth, app):
        app.config["RATELIMIT_ENABLED"] = False
        s = seminar()
        auth.login(s.bob)
        codes = [client.post(s.create_url(), data={"body": f"Comment number {i}"}).status_code for i in range(6)]
        assert codes == [302] * 6


@pytest.mark.parametrize(("rule", "paces"), [
    ("6 per minute; 60 per hour", [(6, 60, "minute"), (60, 3600, "hour")]),
    ("10 per 5 minutes", [(10, 300, "5 minutes")]),
    ("1/day", [(1, 86400, "day")]),
])
def test_a_pace_rule_reads_as_written(rule, paces):
    assert [(p.amount, p.seconds, p.span) for p in comment_pace(rule)] == paces


def test_a_pace_rule_that_is_not_one_is_refused():
    with pytest.raises(ValueError):
        comment_pace("six a minute")


class TestCsrf:
    @pytest.fixture
    def app_config(self, base_config, tmp_path):
        return {**base_config, "WTF_CSRF_ENABLED": True}

    def test_a_missing_token_keeps_the_text(self, client, app):
        s = seminar()
        with client.session_transaction() as session:
            session["_user_id"] = s.bob.get_id()
            session["_fresh"] = True
        response = client.post(s.create_url(), data={"body": "Typed for an hour"})
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "Typed for an hour" in html and "send it again" in html
        assert comment_count() == 0


def test_a_written_comment_reads_back_as_it_was_written(app):
    """Every field reads back as written (aware times, the parent, the first revision, a notification to each
    person answered)."""
    from coursesite.discussion.comments import create_comment
    from coursesite.permissions import membership

    s = seminar()
    parent = f.make_thread_comment(s.essay, s.carol, "Start of a thread.")
    now = datetime.now(UTC).replace(microsecond=123456) + timedelta(minutes=5)
    comment = create_comment(s.essay, s.bob, membership(s.bob, s.course), "A reply, *with* emphasis.",
                             parent.id, now=now)
    assert comment.post.title == "The Illusion of Khrushchev" and comment.author.display_name == "Bob Brandt"
    comment_id = comment.id
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Comment, comment_id)
    assert (stored.post_id, stored.author_id, stored.parent_id) == (s.essay.id, s.bob.id, parent.id)
    assert stored.created_at == now and stored.created_at.tzinfo is not None
    assert stored.status == "visible" and stored.word_count == 4 and "<em>with</em>" in stored.body_html
    assert (stored.edited_at, stored.deleted_at, stored.hidden_reason, stored.moderated_by_id) == (None,) * 4
    revision = db.session.scalar(select(CommentRevision).where(CommentRevision.comment_id == comment_id))
    assert (revision.body, revision.word_count, revision.created_at) == ("A reply, *with* emphasis.", 4, now)
    notes = db.session.scalars(select(Notification).where(Notification.comment_id == comment_id)
                               .order_by(Notification.kind)).all()
    assert [(n.kind, n.user_id, n.created_at, n.read_at) for n in notes] == [
        ("comment", s.alice.id, now, None), ("reply", s.carol.id, now, None)]


def test_a_nul_in_a_comment_is_dropped_not_a_server_error(client, auth, app):
    """PostgreSQL refuses text holding a NUL; nobody means to type one."""
    s = seminar()
    auth.login(s.bob)
    response = client.post(s.create_url(), data={"body": "Pasted\x00 from a PDF."})
    assert response.status_code == 302
    assert db.session.scalar(select(Comment.body)) == "Pasted from a PDF."


@pytest.mark.parametrize("parent_id", ["2147483648", "99999999999999999999"])
def test_a_parent_no_comment_can_have_is_refused_with_the_text_kept(client, auth, app, parent_id):
    s = seminar()
    auth.login(s.bob)
    response = client.post(s.create_url(), data={"body": "A reply to nobody.", "parent_id": parent_id})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The comment you are replying to is not on this essay." in html and "A reply to nobody." in html
    assert comment_count() == 0


def test_an_address_with_an_id_no_row_can_have_is_not_found(client, auth, app):
    s = seminar()
    auth.login(s.bob)
    for comment_id in ("2147483648", "99999999999999999999"):
        assert client.get(f"/c/{s.course.slug}/comments/{comment_id}/edit").status_code == 404


def _landing(client, response) -> str:
    """The essay page the writer lands on after posting, with the message shown there."""
    return client.get(response.headers["Location"].split("#")[0]).get_data(as_text=True)


@pytest.mark.parametrize(
    ("moderation", "reply", "message"),
    [
        ("off", False, "Your comment is posted"),
        ("off", True, "Your reply is posted"),
        ("all", False, "Your comment is awaiting approval"),
        ("all", True, "Your reply is awaiting approval"),
    ],
)
def test_the_writer_lands_on_the_new_comment_and_is_told_so(client, auth, app, moderation, reply, message):
    s = seminar(comment_moderation=moderation)
    parent = f.make_thread_comment(s.essay, s.carol, "Start of a thread.") if reply else None
    db.session.commit()
    auth.login(s.bob)
    data = {"body": "A fine point about 1956.", "parent_id": str(parent.id) if parent else ""}
    response = client.post(s.create_url(), data=data)
    comment = db.session.scalar(select(Comment).where(Comment.author_id == s.bob.id))
    assert response.headers["Location"].endswith(f"#comment-{comment.id}")
    html = _landing(client, response)
    status = html.split('<div class="flashes" role="status">', 1)[1].split("</div>", 1)[0]
    assert message in status


def test_a_comment_too_short_to_count_says_so_when_posted(client, auth, app):
    s = seminar()  # the essay's assignment asks for comments of at least 5 words
    auth.login(s.bob)
    page = client.post(s.create_url(), data={"body": "Nice."}, follow_redirects=True).get_data(as_text=True)
    assert ("Your comment is posted: it is shown below. At 1 word it does not count toward Essay 2, which needs "
            "comments of at least 5 words.") in page
    page = client.post(s.create_url(), data={"body": "Five words make this count."},
                       follow_redirects=True).get_data(as_text=True)
    assert "Your comment is posted: it is shown below.</" in page


def test_a_short_comment_that_could_not_count_anyway_is_not_warned_about(client, auth, app):
    s = seminar()
    auth.login(s.alice)  # on her own essay nothing counts, whatever its length
    page = client.post(s.create_url(), data={"body": "Thanks!"}, follow_redirects=True).get_data(as_text=True)
    assert "Your comment is posted: it is shown below.</" in page
    auth.login(s.instructor)
    page = client.post(s.create_url(), data={"body": "Good."}, follow_redirects=True).get_data(as_text=True)
    assert "it does not count toward" not in page
