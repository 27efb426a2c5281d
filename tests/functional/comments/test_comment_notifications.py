import sqlite3
from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import func, insert, select, update

from coursesite.cli.digests import send_digests
from coursesite.comments import views as comment_views
from coursesite.coursework.courses import end_enrollment
from coursesite.extensions import db
from coursesite.models import Comment, Enrollment, Notification, utcnow
from coursesite.notifications import mail, notices
from coursesite.permissions import can_read_course
from tests import factories as f
from tests.functional.comment_helpers import seminar
from tests.mail_sink import MailSink, mail_server_times_out, refuse_and_watch


def kinds_for(user):
    return sorted(db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id)))


def bob_comments_for_instant_alice(auth):
    """The seminar, with Alice (the essay's author) wanting each comment emailed at once, and Bob logged in."""
    s = seminar()
    s.alice.notify_email = "instant"
    db.session.commit()
    auth.login(s.bob)
    return s

def test_author_hears_of_comments_and_commenter_of_replies(client, auth, app):
    s = seminar()
    auth.login(s.bob)
    client.post(s.create_url(), data={"body": "Bob's comment."})
    parent = db.session.scalar(select(Notification.comment_id))
    auth.logout()
    auth.login(s.carol)
    client.post(s.create_url(), data={"body": "Carol answers Bob.", "parent_id": str(parent)})
    assert kinds_for(s.alice) == ["comment", "comment"]
    assert kinds_for(s.bob) == ["reply"]
    assert kinds_for(s.carol) == []


def test_no_notification_for_your_own_comment_on_your_essay(client, auth, app):
    s = seminar()
    auth.login(s.alice)
    client.post(s.create_url(), data={"body": "Thanks for reading."})
    assert kinds_for(s.alice) == []


def test_header_count_list_and_mark_read(client, auth, app):
    s = seminar()
    auth.login(s.bob)
    client.post(s.create_url(), data={"body": "First note."})
    client.post(s.create_url(), data={"body": "Second note."})
    auth.logout()
    auth.login(s.alice)
    home = client.get(s.essay_url()).get_data(as_text=True)
    assert 'Notifications <span class="badge">2<span class="visually-hidden"> unread</span>' in home
    page = client.get("/notifications").get_data(as_text=True)
    assert "Bob Brandt</b>" in page and "commented on" in page and "The Illusion of Khrushchev" in page
    first = db.session.scalars(select(Notification).where(Notification.user_id == s.alice.id)).first()
    client.post("/notifications", data={"notification_id": str(first.id)})
    assert 'Notifications <span class="badge">1<' in client.get(s.essay_url()).get_data(as_text=True)
    client.post("/notifications", data={})
    html = client.get(s.essay_url()).get_data(as_text=True)
    assert '<a href="/notifications" class="notifications-link">Notifications</a>' in html


def test_notifications_of_hidden_comments_are_not_shown(client, auth, app):
    s = seminar()
    c = f.make_thread_comment(s.essay, s.bob, "To be hidden.")
    db.session.add(Notification(user_id=s.alice.id, kind="comment", comment_id=c.id))
    c.status = "hidden"
    db.session.commit()
    auth.login(s.alice)
    assert "To be hidden." not in client.get("/notifications").get_data(as_text=True)


def test_instant_email_goes_out_at_once(client, auth, app, outbox):
    s = bob_comments_for_instant_alice(auth)
    client.post(s.create_url(), data={"body": "Worth an email."})
    assert len(outbox) == 1
    assert outbox[0]["To"] == s.alice.email and "Worth an email." in outbox[0].get_content()
    note = db.session.scalar(select(Notification))
    assert note.emailed_at is not None


def test_digests_are_sent_once_and_respect_the_setting(client, auth, app, outbox):
    s = seminar()
    s.carol.notify_email = "off"
    db.session.commit()
    auth.login(s.bob)
    client.post(s.create_url(), data={"body": "Digest material one."})
    client.post(s.create_url(s.essay), data={"body": "Digest material two."})
    carol_essay = f.make_post(s.course, s.carol, title="Carol's essay", assignment_id=s.assignment.id)
    db.session.commit()
    client.post(s.create_url(carol_essay), data={"body": "Carol opted out."})
    assert outbox == []  # digest is the default: nothing at once
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-digests"])
    assert result.exit_code == 0 and "sent 1 digest" in result.output
    assert len(outbox) == 1
    assert outbox[0]["To"] == s.alice.email
    assert "2 new comments" in outbox[0]["Subject"]
    text = outbox[0].get_content()
    assert "Digest material one." in text and "Digest material two." in text
    again = runner.invoke(args=["send-digests"])
    assert again.exit_code == 0 and "sent 0 digests" in again.output
    assert len(outbox) == 1


@pytest.mark.parametrize("instant", ["alice", "carol"])
def test_instant_email_of_a_reply_reaches_whichever_of_the_two_chose_it(client, auth, app, outbox, instant):
    """A reply notifies the answered commenter and the essay's author: either may be the one who chose email
    at once."""
    s = seminar()
    parent = f.make_thread_comment(s.essay, s.carol, "Start of a thread.")
    getattr(s, instant).notify_email = "instant"
    db.session.commit()
    auth.login(s.bob)
    client.post(s.create_url(), data={"body": "An answer worth an email.", "parent_id": str(parent.id)})
    assert [message["To"] for message in outbox] == [getattr(s, instant).email]
    said = "replied to your comment" if instant == "carol" else "commented on"
    assert f"Bob Brandt {said}" in outbox[0].get_content()


def test_a_comment_is_kept_and_posted_when_the_mail_server_refuses_the_notice(client, auth, app, monkeypatch,
                                                                               caplog):
    """The author chose email at once and the mail server is down: the comment is still posted, the author
    still has the notice in the app, and the refusal is logged without the mail's text."""
    attempts = refuse_and_watch(app, monkeypatch)
    s = bob_comments_for_instant_alice(auth)
    response = client.post(s.create_url(), data={"body": "Kept though the mail server is down."},
                           follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Your comment is posted" in page and "Kept though the mail server is down." in page
    assert db.session.scalar(select(Comment.body)) == "Kept though the mail server is down."
    assert kinds_for(s.alice) == ["comment"]
    assert attempts == [False]  # tried once, after the commit: no transaction open while the server answers
    logged = [r.getMessage() for r in caplog.records if r.name == "coursesite.mail"]
    assert logged and s.alice.email in logged[0] and "comment notice" in logged[0]
    assert "Kept though" not in logged[0] and "http" not in logged[0]


def test_a_comment_is_answered_before_the_instant_email_is_tried(client, auth, app, monkeypatch, caplog):
    """The student who comments does not wait for the mail server: the whole answer is sent, and only when the
    server closes it is the author's email tried. A refusal then is still logged."""
    events = mail_server_times_out(app, monkeypatch)
    s = bob_comments_for_instant_alice(auth)
    response = client.post(s.create_url(), data={"body": "Posted before any mail server answers."},
                           buffered=False)  # open until the test closes it
    assert response.status_code == 302 and "#comment-" in response.get_data(as_text=True)
    events.append("answer sent")
    assert db.session.scalar(select(Comment.body)) == "Posted before any mail server answers."
    response.close()  # what gunicorn and the development server do once the answer is sent
    assert events == ["answer sent", "mail server asked"]
    logged = [r.getMessage() for r in caplog.records if r.name == "coursesite.mail"]
    assert len(logged) == 1 and s.alice.email in logged[0] and "comment notice" in logged[0]


def test_an_instant_email_goes_out_once_the_answer_is_sent(client, auth, outbox):
    s = bob_comments_for_instant_alice(auth)
    response = client.post(s.create_url(), data={"body": "Mailed after the answer."}, buffered=False)
    assert response.status_code == 302 and "#comment-" in response.get_data(as_text=True)
    assert outbox == []
    response.close()
    assert [message["To"] for message in outbox] == [s.alice.email]


def test_no_email_for_a_comment_whose_request_failed_before_its_commit(client, auth, app, outbox, monkeypatch):
    """The author's email was queued with the comment, then the request failed: the error page rolls the
    comment back, and nothing is mailed then or with the next commit."""
    s = seminar()
    s.alice.notify_email = "instant"
    db.session.commit()
    app.config["PROPAGATE_EXCEPTIONS"] = False  # the error page a visitor gets, not the test's traceback

    def fails(*args, **kwargs):
        raise RuntimeError("the request fails after the comment and its email were queued")

    monkeypatch.setattr(comment_views, "essay_url", fails)
    auth.login(s.bob)
    response = client.post(s.create_url(), data={"body": "Never committed."})
    assert response.status_code == 500
    assert db.session.scalar(select(Comment.id)) is None
    assert kinds_for(s.alice) == []
    assert outbox == []
    monkeypatch.undo()
    client.post(s.create_url(), data={"body": "Posted the second time."})
    assert len(outbox) == 1 and "Posted the second time." in outbox[0].get_content()  # nothing left over


def test_a_held_comment_approved_while_the_mail_server_is_down_is_shown(client, auth, app, monkeypatch):
    refuse_and_watch(app, monkeypatch)
    s = seminar()
    s.alice.notify_email = "instant"
    held = f.make_thread_comment(s.essay, s.bob, "Waiting for approval.", status="held")
    db.session.commit()
    auth.login(s.instructor)
    response = client.post(f"/c/{s.course.slug}/comments/{held.id}/approve")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Comment, held.id).status == "visible"
    assert kinds_for(s.alice) == ["comment"]


def test_a_refused_digest_does_not_stop_the_others_and_is_sent_on_the_next_run(client, auth, app):
    s = seminar()
    auth.login(s.bob)
    assert client.post(s.create_url(), data={"body": "For Alice's digest."}).status_code == 302
    auth.logout()
    auth.login(s.carol)
    assert client.post(s.create_url(s.bob_essay), data={"body": "For Bob's digest."}).status_code == 302
    runner = app.test_cli_runner()
    with MailSink() as sink:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port, MAIL_USE_TLS=False, MAIL_USERNAME=None)
        sink.refused.add(s.alice.email)
        result = runner.invoke(args=["send-digests"])
        assert result.exit_code == 1
        assert "sent 1 digest" in result.output and "1 digest not sent" in result.output
        assert [m["To"] for m in sink.messages] == [s.bob.email]
        sink.refused.clear()
        again = runner.invoke(args=["send-digests"])
        assert again.exit_code == 0 and "sent 1 digest" in again.output
        assert [m["To"] for m in sink.messages] == [s.bob.email, s.alice.email]
        assert "For Alice's digest." in sink.messages[1].get_content()
        assert "sent 0 digests" in runner.invoke(args=["send-digests"]).output


def mail_to(app, sink: MailSink) -> None:
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port, MAIL_USE_TLS=False, MAIL_USERNAME=None)


def comment_made_ago(body: str, ago: timedelta) -> None:
    """Date the notice of the comment with this body back: send-digests leaves the newest to their first try."""
    comment_id = db.session.scalar(select(Comment.id).where(Comment.body == body))
    db.session.execute(update(Notification).where(Notification.comment_id == comment_id)
                       .values(created_at=utcnow() - ago))
    db.session.commit()


def bodies(sink: MailSink) -> list[str]:
    return [line.strip() for m in sink.messages for line in m.get_content().splitlines()
            if line.strip().endswith(".")]


def test_a_refused_instant_email_is_sent_by_the_next_digest_run_and_only_once(client, auth, app):
    """The mail server took Alice's first comment email and refused the second: send-digests sends the second,
    and the first not again; a second run sends nothing."""
    s = bob_comments_for_instant_alice(auth)
    with MailSink() as sink:
        mail_to(app, sink)
        assert client.post(s.create_url(), data={"body": "Taken the first time."}).status_code == 302
        sink.refused.add(s.alice.email)
        assert client.post(s.create_url(), data={"body": "Refused the first time."}).status_code == 302
        sink.refused.clear()
        assert bodies(sink) == ["Taken the first time."]
        comment_made_ago("Taken the first time.", timedelta(hours=1))
        comment_made_ago("Refused the first time.", timedelta(hours=1))
        runner = app.test_cli_runner()
        result = runner.invoke(args=["send-digests"])
        assert result.exit_code == 0 and "sent 1 comment email" in result.output
        assert bodies(sink) == ["Taken the first time.", "Refused the first time."]
        assert [m["To"] for m in sink.messages] == [s.alice.email] * 2
        again = runner.invoke(args=["send-digests"])
        assert again.exit_code == 0 and "comment email" not in again.output
        assert len(sink.messages) == 2


def test_a_refused_instant_email_is_not_sent_once_read_hidden_too_old_or_too_new(client, auth, app):
    """Of Alice's refused comment emails the next run sends only the one she has not read in the app, whose
    comment is still shown, made within the day and not in the last minutes; a refusal again exits 1."""
    s = bob_comments_for_instant_alice(auth)
    kept = ["Read in the app.", "Hidden since.", "Two days old.", "Still unread.", "Just posted."]
    with MailSink() as sink:
        mail_to(app, sink)
        sink.refused.add(s.alice.email)
        for body in kept:
            assert client.post(s.create_url(), data={"body": body}).status_code == 302
        assert sink.messages == []
        for body in kept[:-1]:
            comment_made_ago(body, timedelta(days=2) if body == "Two days old." else timedelta(hours=1))
        db.session.execute(update(Comment).where(Comment.body == "Hidden since.").values(status="hidden"))
        db.session.commit()
        auth.logout()
        auth.login(s.alice)
        read = db.session.scalar(select(Notification.id).join(Comment).where(Comment.body == "Read in the app."))
        client.post("/notifications", data={"notification_id": str(read)})
        runner = app.test_cli_runner()
        refused = runner.invoke(args=["send-digests"])
        assert refused.exit_code == 1 and "1 comment email not sent" in refused.output
        assert sink.messages == []
        sink.refused.clear()
        result = runner.invoke(args=["send-digests"])
        assert result.exit_code == 0 and "sent 1 comment email" in result.output
        assert bodies(sink) == ["Still unread."]


def test_a_digest_run_while_the_instant_email_is_under_way_does_not_send_it_too(client, auth, app, outbox):
    """The request's own email goes out late (its mail server was slow): a run in the meantime leaves it."""
    s = bob_comments_for_instant_alice(auth)
    response = client.post(s.create_url(), data={"body": "Mailed late."}, buffered=False)
    comment_made_ago("Mailed late.", timedelta(hours=1))
    result = app.test_cli_runner().invoke(args=["send-digests"])
    assert result.exit_code == 0 and outbox == []
    response.close()
    assert [message["To"] for message in outbox] == [s.alice.email]


def test_two_runs_at_once_send_a_refused_instant_email_once(client, auth, app, outbox, monkeypatch):
    """A second run read the same refused email before the first sent it: it cannot take it."""
    refuse_and_watch(app, monkeypatch)
    s = bob_comments_for_instant_alice(auth)
    client.post(s.create_url(), data={"body": "Claimed once."})
    comment_made_ago("Claimed once.", timedelta(hours=1))
    monkeypatch.undo()
    app.config["MAIL_SERVER"] = None
    read_by_the_other_run = notices.instant_retries(utcnow())
    assert len(read_by_the_other_run) == 1
    assert app.test_cli_runner().invoke(args=["send-digests"]).exit_code == 0
    assert len(outbox) == 1
    _, items = read_by_the_other_run[0]
    assert notices.claim_emails([items[0].id], "instant", utcnow()) == set()


def test_comment_emails_refused_during_an_outage_come_in_one_email(client, auth, app):
    """The mail server was down while three comments came for Alice: the next run sends her one email naming
    all three, not three."""
    s = bob_comments_for_instant_alice(auth)
    missed = ["First while down.", "Second while down.", "Third while down."]
    with MailSink() as sink:
        mail_to(app, sink)
        sink.refused.add(s.alice.email)
        for body in missed:
            assert client.post(s.create_url(), data={"body": body}).status_code == 302
            comment_made_ago(body, timedelta(hours=1))
        sink.refused.clear()
        result = app.test_cli_runner().invoke(args=["send-digests"])
        assert result.exit_code == 0 and "sent 3 comment emails" in result.output
        assert len(sink.messages) == 1 and sink.messages[0]["To"] == s.alice.email
        assert sink.messages[0]["Subject"] == "3 new comments on Coursesite"
        assert bodies(sink)[:3] == missed


def reply_to_carol_on_alice_essay(client, auth, before=lambda s: None):
    """Bob answers Carol on Alice's essay; both chose each comment by email at once. `before(s)` runs first."""
    s = seminar()
    parent = f.make_thread_comment(s.essay, s.carol, "Start of a thread.")
    s.alice.notify_email = s.carol.notify_email = "instant"
    db.session.commit()
    before(s)
    auth.login(s.bob)
    assert client.post(s.create_url(), data={"body": "One answer, two emails.",
                                             "parent_id": str(parent.id)}).status_code == 302
    return s


def test_a_mail_server_that_does_not_answer_is_asked_once_per_comment(client, auth, app, monkeypatch, caplog):
    """The server times out on the first of a reply's two emails: the worker does not wait as long again for the
    second; both are logged as not sent and both are left for the next send-digests run."""
    events = mail_server_times_out(app, monkeypatch)
    s = reply_to_carol_on_alice_essay(client, auth)
    assert events == ["mail server asked"]
    logged = " ".join(r.getMessage() for r in caplog.records if r.name == "coursesite.mail")
    assert s.alice.email in logged and s.carol.email in logged
    assert db.session.scalars(select(Notification.emailed_at)).all() == [None, None]


def test_a_server_refusing_the_first_recipient_is_still_asked_for_the_second(client, auth, app):
    """A server that answers, refusing one address, is asked for the next email."""
    with MailSink() as sink:
        mail_to(app, sink)
        s = reply_to_carol_on_alice_essay(client, auth, before=lambda s: sink.refused.add(s.carol.email))
        assert [m["To"] for m in sink.messages] == [s.alice.email]


def test_a_refused_email_too_new_for_one_daily_run_is_sent_by_the_next_that_starts_a_little_later(client, auth, app,
                                                                                                    monkeypatch):
    """Refused minutes before a daily run (too new for it), Alice's email is sent by the next day's run, which
    starts a few minutes later in the day (a scheduler's jitter, a slow round of digests before it)."""
    s = bob_comments_for_instant_alice(auth)
    with MailSink() as sink:
        mail_to(app, sink)
        sink.refused.add(s.alice.email)
        assert client.post(s.create_url(), data={"body": "Refused before the run."}).status_code == 302
        sink.refused.clear()
        comment_made_ago("Refused before the run.", timedelta(minutes=7))
        first_run = utcnow()
        runner = app.test_cli_runner()
        monkeypatch.setattr("coursesite.cli.digests.utcnow", lambda: first_run)
        assert "comment email" not in runner.invoke(args=["send-digests"]).output
        monkeypatch.setattr("coursesite.cli.digests.utcnow", lambda: first_run + timedelta(days=1, minutes=5))
        result = runner.invoke(args=["send-digests"])
        assert result.exit_code == 0 and "sent 1 comment email" in result.output
        assert bodies(sink) == ["Refused before the run."]


def hide_the_comment(s, body: str) -> None:
    db.session.execute(update(Comment).where(Comment.body == body).values(status="hidden"))


def turn_comment_emails_off(s, body: str) -> None:
    s.alice.notify_email = "none"


def change_after_listing(monkeypatch, listing: str, meanwhile, s, body: str) -> None:
    """send-digests' `listing` (of notices.py) lists as ever, then `meanwhile` happens and is committed, as while
    a run waits on the mail server for others; a run started meanwhile lists for itself."""
    listed = getattr(notices, listing)

    def then_changed(*args):
        found = listed(*args)
        monkeypatch.setattr(notices, listing, listed)
        meanwhile(s, body)
        db.session.commit()
        return found

    monkeypatch.setattr(notices, listing, then_changed)


@pytest.mark.parametrize("meanwhile", [hide_the_comment, turn_comment_emails_off])
def test_a_refused_email_is_not_sent_if_things_change_while_the_run_is_under_way(client, auth, app, monkeypatch,
                                                                                  meanwhile):
    """The run listed Alice's refused email, then (while it waited on the mail server for others) a moderator hid
    the comment, or she chose no comment emails: the run does not send it."""
    s = bob_comments_for_instant_alice(auth)
    body = "Changed during the run."
    with MailSink() as sink:
        mail_to(app, sink)
        sink.refused.add(s.alice.email)
        assert client.post(s.create_url(), data={"body": body}).status_code == 302
        sink.refused.clear()
        comment_made_ago(body, timedelta(hours=1))
        change_after_listing(monkeypatch, "instant_retries", meanwhile, s, body)
        assert app.test_cli_runner().invoke(args=["send-digests"]).exit_code == 0
        assert sink.messages == []


def another_run_sends_it(s, body: str) -> None:
    send_digests()


def alice_reads_it(s, body: str) -> None:
    notices.mark_read(s.alice.id)


def alice_leaves_the_course(s, body: str) -> None:
    remove_from_course(s.alice, s.course)


@pytest.mark.parametrize("meanwhile", [another_run_sends_it, alice_reads_it, hide_the_comment,
                                       turn_comment_emails_off, alice_leaves_the_course])
def test_a_digest_is_not_sent_if_things_change_after_the_run_listed_it(client, auth, app, outbox, monkeypatch,
                                                                          meanwhile):
    """A run listed Alice's digest, then (while it waited on the mail server for others) another run sent it, she
    read the comment in the app, a moderator hid it, she chose no comment emails, or she left the members-only
    course: the run does not send it (again). The others' digests still go."""
    s = seminar(visibility="members")
    auth.login(s.bob)
    body = "Listed, then changed."
    assert client.post(s.create_url(), data={"body": body}).status_code == 302
    auth.logout()
    auth.login(s.carol)
    assert client.post(s.create_url(s.bob_essay), data={"body": "For Bob's digest."}).status_code == 302
    change_after_listing(monkeypatch, "pending_digests", meanwhile, s, body)
    result = app.test_cli_runner().invoke(args=["send-digests"])
    assert result.exit_code == 0
    sent_by_another_run = 1 if meanwhile is another_run_sends_it else 0
    # Bob's digest too, by this run or by the other one.
    assert ("sent 0 digests" if sent_by_another_run else "sent 1 digest\n") in result.output
    assert sorted(m["To"] for m in outbox) == sorted([s.bob.email] + [s.alice.email] * sent_by_another_run)


def alices_notices_not_emailed(s) -> int:
    return db.session.scalar(select(func.count()).where(Notification.user_id == s.alice.id,
                                                        Notification.emailed_at.is_(None)))


@pytest.mark.parametrize("server", ["takes", "refuses"])
def test_a_digest_of_more_notices_than_a_statement_takes_still_goes(client, auth, app, outbox, monkeypatch,
                                                                    server):
    """Alice had chosen no email for months, then the digest: her notices outnumber the parameters one statement
    may carry (PostgreSQL takes 65,535; this SQLite is held to 999, as some are built). They all go in one digest,
    and Bob's, listed after hers, still goes; a mail server refusing them gives them all back for the next run."""
    if db.session.get_bind().dialect.name != "sqlite":
        pytest.skip("lowers SQLite's limit on a statement's parameters")
    s = seminar()
    months_ago = utcnow() - timedelta(days=90)
    comment_ids = db.session.scalars(insert(Comment).returning(Comment.id), [
        {"post_id": s.essay.id, "author_id": s.bob.id, "body": f"Comment {n}.", "created_at": months_ago}
        for n in range(1000)]).all()
    db.session.execute(insert(Notification), [
        {"user_id": s.alice.id, "kind": "comment", "comment_id": comment_id, "created_at": months_ago}
        for comment_id in comment_ids])
    db.session.commit()
    auth.login(s.carol)
    assert client.post(s.create_url(s.bob_essay), data={"body": "For Bob's digest."}).status_code == 302
    if server == "refuses":
        refuse_and_watch(app, monkeypatch)
    sqlite = db.session.connection().connection.dbapi_connection
    limit = sqlite.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    try:
        result = app.test_cli_runner().invoke(args=["send-digests"])
    finally:
        sqlite.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
    if server == "refuses":
        assert isinstance(result.exception, SystemExit) and "2 digests not sent" in result.output
        assert alices_notices_not_emailed(s) == 1000
        return
    assert result.exit_code == 0, result.output
    assert [(m["To"], m["Subject"]) for m in outbox] == [
        (s.alice.email, "1000 new comments on Coursesite"), (s.bob.email, "1 new comment on Coursesite")]
    assert alices_notices_not_emailed(s) == 0


def test_a_digest_names_the_newest_fifty_comments_and_counts_the_others(client, app, outbox):
    """Alice comes back to the digest with sixty comments waiting: one email counts all sixty and names the newest
    fifty; all sixty are then emailed (none comes again in the next digest)."""
    s = seminar()
    long_ago = utcnow() - timedelta(days=30)
    for n in range(60):
        comment = f.make_thread_comment(s.essay, s.bob, f"Waiting comment {n}.")
        db.session.add(Notification(user_id=s.alice.id, kind="comment", comment_id=comment.id,
                                    created_at=long_ago + timedelta(minutes=n)))
    db.session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["send-digests"]).exit_code == 0
    [digest] = outbox
    assert digest["Subject"] == "60 new comments on Coursesite"
    text = digest.get_content()
    assert "The newest 50 are below; the 10 before them are not listed here" in text
    assert "(your notifications page shows the newest: http://coursesite.test/notifications)" in text
    named = [n for n in range(60) if f"Waiting comment {n}." in text]
    assert named == list(range(10, 60))
    assert alices_notices_not_emailed(s) == 0
    assert "sent 0 digests" in runner.invoke(args=["send-digests"]).output


def test_a_digest_that_fails_on_our_side_is_given_back_for_the_next_run(client, auth, app, outbox, monkeypatch):
    """Sending fails before the mail server is asked (a password smtplib cannot encode): the run stops with the
    error, and Alice's comments, claimed for her digest, are not lost: the next run sends them."""
    s = seminar()
    auth.login(s.bob)
    assert client.post(s.create_url(), data={"body": "Kept through a failure."}).status_code == 302

    def cannot_encode(*args):
        raise UnicodeEncodeError("ascii", "mot de passe é", 13, 14, "ordinal not in range(128)")

    monkeypatch.setattr(mail, "send_mail", cannot_encode)
    runner = app.test_cli_runner()
    failed = runner.invoke(args=["send-digests"])
    assert isinstance(failed.exception, UnicodeEncodeError) and outbox == []
    assert alices_notices_not_emailed(s) == 1
    monkeypatch.undo()
    assert "sent 1 digest" in runner.invoke(args=["send-digests"]).output
    assert [m["To"] for m in outbox] == [s.alice.email] and "Kept through a failure." in outbox[0].get_content()


def test_a_comment_email_the_server_took_is_not_sent_again_when_its_goodbye_fails(client, auth, app):
    """The mail server took Alice's email and then answered the goodbye (QUIT) with an error: the email counts as
    sent, and send-digests does not send it a second time."""
    s = bob_comments_for_instant_alice(auth)
    with MailSink() as sink:
        mail_to(app, sink)
        sink.quit_reply = "421 4.3.2 Shutting down"
        assert client.post(s.create_url(), data={"body": "Taken, then a bad goodbye."}).status_code == 302
        assert bodies(sink) == ["Taken, then a bad goodbye."]
        comment_made_ago("Taken, then a bad goodbye.", timedelta(hours=1))
        result = app.test_cli_runner().invoke(args=["send-digests"])
        assert result.exit_code == 0 and "comment email" not in result.output
        assert bodies(sink) == ["Taken, then a bad goodbye."]


def remove_from_course(user, course) -> None:
    end_enrollment(db.session.scalar(select(Enrollment).where(Enrollment.user_id == user.id,
                                                              Enrollment.course_id == course.id)))
    db.session.commit()


def test_a_student_removed_from_a_members_only_course_is_not_emailed_its_comments(client, auth, app, outbox):
    """Alice left the course; Bob comments on her essay, then replies to a comment she wrote earlier: neither
    email goes (she may not read them), at once, again or in a digest. Carol, still a member, is emailed."""
    s = seminar(visibility="members")
    earlier = f.make_thread_comment(s.bob_essay, s.alice, "Alice, before she left.")
    s.alice.notify_email = s.carol.notify_email = "instant"
    db.session.commit()
    remove_from_course(s.alice, s.course)
    auth.login(s.bob)
    assert client.post(s.create_url(), data={"body": "Words for members only."}).status_code == 302
    assert client.post(s.create_url(s.bob_essay), data={"body": "A members-only answer.",
                                                        "parent_id": str(earlier.id)}).status_code == 302
    assert outbox == []
    runner = app.test_cli_runner()
    for body in ("Words for members only.", "A members-only answer."):
        comment_made_ago(body, timedelta(hours=1))
    assert runner.invoke(args=["send-digests"]).exit_code == 0
    s.alice.notify_email = "digest"
    db.session.commit()
    assert runner.invoke(args=["send-digests"]).exit_code == 0
    assert outbox == []
    reply = f.make_thread_comment(s.essay, s.carol, "Carol, still here.")
    assert client.post(s.create_url(), data={"body": "For Carol.", "parent_id": str(reply.id)}).status_code == 302
    assert [m["To"] for m in outbox] == [s.carol.email]


@pytest.mark.parametrize("visibility", ["members", "public"])
def test_comments_are_emailed_to_exactly_those_who_may_read_the_course(app, visibility):
    """Mail's rule in SQL is held to the site's (permissions.can_read_course): a member, a site admin, anyone for
    a public course; not a removed student or an outsider of a members-only course."""
    s = seminar(visibility=visibility)
    admin = f.make_user("Ada Admin", is_admin=True)
    comment = f.make_thread_comment(s.essay, s.bob, "Who may read this?")
    readers = {"member": s.carol, "removed": s.alice, "admin": admin, "outsider": s.outsider}
    for reader in readers.values():
        reader.notify_email = "digest"
        db.session.add(Notification(user_id=reader.id, kind="comment", comment_id=comment.id, created_at=utcnow()))
    db.session.commit()
    remove_from_course(s.alice, s.course)
    g.pop("_memberships", None)
    pending = {user.id for user, _ in notices.pending_digests(utcnow())}
    assert {name: reader.id in pending for name, reader in readers.items()} == {
        name: can_read_course(reader, s.course) for name, reader in readers.items()}


def test_a_student_removed_from_a_members_only_course_no_longer_sees_its_notices(client, auth):
    """Alice left the course: its comments are neither listed on her notifications page nor counted in her
    header, those from before she left included; a public course's stay."""
    s = seminar(visibility="members")
    auth.login(s.bob)
    assert client.post(s.create_url(), data={"body": "Said while she was a member."}).status_code == 302
    auth.logout()
    remove_from_course(s.alice, s.course)
    auth.login(s.alice)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Said while she was a member." not in page and "The Illusion of Khrushchev" not in page
    assert 'class="notifications-link">Notifications</a>' in page  # the header, with no count
    s.course.visibility = "public"
    db.session.commit()
    page = client.get("/notifications").get_data(as_text=True)
    assert "Said while she was a member." in page and 'Notifications <span class="badge">1<' in page


def claim_left_by_a_killed_run(body: str, ago: timedelta) -> None:
    """A run claimed the notice of the comment with this body `ago` and died before the mail server answered."""
    comment_id = db.session.scalar(select(Comment.id).where(Comment.body == body))
    db.session.execute(update(Notification).where(Notification.comment_id == comment_id)
                       .values(created_at=utcnow() - ago, emailed_at=utcnow() - ago, email_accepted_at=None))
    db.session.commit()


@pytest.mark.parametrize(("ago", "sent"), [(timedelta(hours=2), True), (timedelta(minutes=5), False)])
def test_a_digest_claimed_by_a_run_killed_while_sending_is_sent_by_a_run_after_its_lease(client, auth, app, outbox,
                                                                                        ago, sent):
    """A run took Alice's notice for her digest and was killed (a deploy) before the mail server answered: the
    next run an hour later sends it; a run while the claim is five minutes old leaves it to the one still at it."""
    s = seminar()
    auth.login(s.bob)
    assert client.post(s.create_url(), data={"body": "Claimed, then the run died."}).status_code == 302
    claim_left_by_a_killed_run("Claimed, then the run died.", ago)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-digests"])
    assert result.exit_code == 0
    assert [m["To"] for m in outbox] == ([s.alice.email] if sent else [])
    if sent:
        assert "Claimed, then the run died." in outbox[0].get_content()
        assert "sent 0 digests" in runner.invoke(args=["send-digests"]).output
        assert len(outbox) == 1


def test_an_instant_email_whose_worker_died_is_sent_by_a_run_after_its_lease(client, auth, app, outbox,
                                                                             monkeypatch):
    """The request's worker died after the response, before Alice's comment email went: send-digests sends it once
    the claim is an hour old, once only."""
    s = bob_comments_for_instant_alice(auth)
    monkeypatch.setattr(mail, "deliver_all", lambda app, mails: None)  # the worker is gone before it sends
    assert client.post(s.create_url(), data={"body": "The worker died."}).status_code == 302
    monkeypatch.undo()
    assert outbox == []
    claim_left_by_a_killed_run("The worker died.", timedelta(hours=2))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-digests"])
    assert result.exit_code == 0 and "sent 1 comment email" in result.output
    assert [m["To"] for m in outbox] == [s.alice.email] and "The worker died." in outbox[0].get_content()
    assert "comment email" not in runner.invoke(args=["send-digests"]).output
    assert len(outbox) == 1


def test_two_runs_at_once_take_a_claim_over_its_lease_once(client, auth, app, outbox):
    """Two runs read the same lapsed claim: the first takes and sends it, the second cannot take it."""
    s = seminar()
    auth.login(s.bob)
    assert client.post(s.create_url(), data={"body": "Lapsed claim."}).status_code == 302
    claim_left_by_a_killed_run("Lapsed claim.", timedelta(hours=2))
    read_by_the_other_run = notices.pending_digests(utcnow())
    assert [user.id for user, _ in read_by_the_other_run] == [s.alice.id]
    assert "sent 1 digest" in app.test_cli_runner().invoke(args=["send-digests"]).output
    _, items = read_by_the_other_run[0]
    assert notices.claim_emails([item.id for item in items], "digest", utcnow()) == set()
    assert len(outbox) == 1


def test_a_digest_is_marked_taken_only_once_the_server_took_it_and_never_goes_again(client, auth, app, outbox,
                                                                                      monkeypatch):
    """While the server answers, Alice's notice is claimed but not marked taken; once taken it is marked, so even
    hours later no run sends it a second time."""
    s = seminar()
    auth.login(s.bob)
    assert client.post(s.create_url(), data={"body": "Taken once."}).status_code == 302
    seen_while_sending = []
    send = mail.send_mail

    def watched(*args):
        seen_while_sending.append(db.session.execute(
            select(Notification.emailed_at.is_not(None), Notification.email_accepted_at.is_not(None))
            .where(Notification.user_id == s.alice.id)).one())
        db.session.rollback()
        send(*args)

    monkeypatch.setattr(mail, "send_mail", watched)
    runner = app.test_cli_runner()
    assert "sent 1 digest" in runner.invoke(args=["send-digests"]).output
    assert seen_while_sending == [(True, False)]
    db.session.execute(update(Notification).values(emailed_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    assert "sent 0 digests" in runner.invoke(args=["send-digests"]).output
    assert len(outbox) == 1


def test_a_comment_email_taken_despite_a_bad_goodbye_is_not_sent_again_after_the_lease(client, auth, app):
    """The server took Alice's comment email and erred at QUIT: it is marked taken, so a run long after, when a
    claim alone would have lapsed, still does not send it again."""
    s = bob_comments_for_instant_alice(auth)
    with MailSink() as sink:
        mail_to(app, sink)
        sink.quit_reply = "421 4.3.2 Shutting down"
        assert client.post(s.create_url(), data={"body": "Taken, bad goodbye."}).status_code == 302
        db.session.execute(update(Notification).values(created_at=utcnow() - timedelta(hours=2),
                                                       emailed_at=utcnow() - timedelta(hours=2)))
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["send-digests"])
        assert result.exit_code == 0 and "comment email" not in result.output
        assert bodies(sink) == ["Taken, bad goodbye."]


def test_a_digest_sent_again_after_a_lost_answer_has_the_same_message_id(client, auth, app):
    """The server kept Alice's digest but the answer never came: the run counts it refused and the next sends it
    again, as the same message (same Message-ID), which her mailbox shows once; Bob's is another message."""
    s = seminar()
    auth.login(s.bob)
    assert client.post(s.create_url(), data={"body": "Kept, answer lost."}).status_code == 302
    runner = app.test_cli_runner()
    with MailSink() as sink:
        mail_to(app, sink)
        sink.lose_data_reply = True
        lost = runner.invoke(args=["send-digests"])
        assert lost.exit_code == 1 and "1 digest not sent" in lost.output
        sink.lose_data_reply = False
        auth.logout()
        auth.login(s.carol)
        assert client.post(s.create_url(s.bob_essay), data={"body": "For Bob."}).status_code == 302
        assert runner.invoke(args=["send-digests"]).exit_code == 0
        first, again, bobs = sink.messages
    assert first["To"] == again["To"] == s.alice.email and bobs["To"] == s.bob.email
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"].endswith("@coursesite.test>")
    assert bobs["Message-ID"] != first["Message-ID"]


def test_an_instant_email_retried_by_send_digests_is_the_same_message(client, auth, app):
    """Alice's comment email was kept by the server whose answer was lost; send-digests sends it again with the
    Message-ID of the first."""
    s = bob_comments_for_instant_alice(auth)
    with MailSink() as sink:
        mail_to(app, sink)
        sink.lose_data_reply = True
        assert client.post(s.create_url(), data={"body": "Answer lost."}).status_code == 302
        sink.lose_data_reply = False
        comment_made_ago("Answer lost.", timedelta(hours=1))
        assert "sent 1 comment email" in app.test_cli_runner().invoke(args=["send-digests"]).output
        first, again = sink.messages
    assert first["Message-ID"] is not None and first["Message-ID"] == again["Message-ID"]


def test_other_mail_has_a_message_id_of_its_own(app, outbox):
    """Mail that tells of no notice (a password reset, an invitation) still has a Message-ID, each another."""
    with app.test_request_context():
        mail.deliver(mail.Mail("a@example.test", "One", "Text.", "test"))
        mail.deliver(mail.Mail("a@example.test", "One", "Text.", "test"))
    first, second = (m["Message-ID"] for m in outbox)
    assert first and second and first != second and first.endswith("@coursesite.test>")
