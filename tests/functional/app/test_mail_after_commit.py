"""Mail goes out when the whole transaction commits: not when a savepoint is released, never for work rolled
back; and a title typed with a line break makes a one-line subject, not an error after the commit."""

from __future__ import annotations

import io

import pytest
from flask import send_file
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from coursesite.extensions import db
from coursesite.models import Comment
from coursesite.notifications.mail import Mail, deliver_after_commit, deliver_all
from tests.functional.comment_helpers import seminar
from tests.mail_sink import MailSink


def queued(to: str) -> None:
    deliver_after_commit(Mail(to, "Subject", "Body", "test"))


def test_a_released_savepoint_sends_nothing_and_a_rollback_after_it_sends_nothing(app, outbox):
    db.session.execute(text("select 1"))
    queued("kept@example.org")
    db.session.begin_nested().commit()
    assert outbox == []  # the transaction is still open
    db.session.rollback()
    assert outbox == []
    db.session.commit()
    assert outbox == []  # dropped with the rollback, not carried to the next commit


def test_mail_queued_before_a_savepoint_that_rolls_back_goes_with_the_commit(app, outbox):
    db.session.execute(text("select 1"))
    queued("sent@example.org")
    db.session.begin_nested().rollback()
    db.session.commit()
    assert [message["To"] for message in outbox] == ["sent@example.org"]


def test_mail_cannot_be_queued_inside_a_savepoint(app, outbox):
    db.session.execute(text("select 1"))
    savepoint = db.session.begin_nested()
    with pytest.raises(RuntimeError, match="not inside a savepoint"):
        queued("never@example.org")
    savepoint.rollback()
    db.session.commit()
    assert outbox == []


def test_a_comment_on_an_essay_titled_with_a_line_break_is_posted_and_mailed(client, auth, outbox):
    s = seminar()
    s.essay.title = "Line one\nLine two"
    s.alice.notify_email = "instant"
    db.session.commit()
    auth.login(s.bob)
    response = client.post(s.create_url(), data={"body": "A comment worth mailing at once."})
    assert response.status_code == 302
    assert db.session.query(Comment).count() == 1
    assert [message["Subject"] for message in outbox] == ["New comment on “Line one Line two”"]



def test_mail_of_a_request_answered_with_a_file_is_sent(app, outbox):
    """Werkzeug never closes a file sent as it is (send_file): its request's mail goes before it instead."""
    with app.test_request_context("/"):
        app.preprocess_request()
        queued("file@example.org")
        db.session.commit()
        response = app.process_response(send_file(io.BytesIO(b"a file"), mimetype="text/plain"))
        assert response.direct_passthrough
        assert [message["To"] for message in outbox] == ["file@example.org"]


def test_mail_committed_before_an_error_the_debugger_shows_is_sent(app, outbox):
    """With PROPAGATE_EXCEPTIONS (debug, tests) no response is made for a view that raised: what it committed
    happened, and its mail goes when the request ends."""
    with pytest.raises(RuntimeError, match="after the commit"), app.test_request_context("/"):
        app.preprocess_request()
        queued("committed@example.org")
        db.session.commit()
        assert outbox == []  # held for the response
        raise RuntimeError("after the commit")
    assert [message["To"] for message in outbox] == ["committed@example.org"]


def test_a_database_failing_after_a_refusal_does_not_stop_the_rest_of_the_mail(app, caplog):
    """The mail server refused the first email and the database failed while marking it to be tried again: that
    is logged, and the second email still goes."""

    def database_down():
        raise OperationalError("UPDATE notifications", {}, Exception("the database went away"))

    with MailSink() as sink:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port, MAIL_USE_TLS=False, MAIL_USERNAME=None)
        sink.refused.add("refused@example.org")
        deliver_all(app, [Mail("refused@example.org", "First", "Body", "comment notice", if_refused=database_down),
                          Mail("taken@example.org", "Second", "Body", "comment notice")])
    assert [message["To"] for message in sink.messages] == ["taken@example.org"]
    assert "refused@example.org not sent, nor kept to be tried again" in caplog.text
