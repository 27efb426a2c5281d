"""Mail goes out when the whole transaction commits: not when a savepoint is released, never for work rolled
back; and a title typed with a line break makes a one-line subject, not an error after the commit."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from coursesite.extensions import db
from coursesite.models import Comment
from coursesite.notifications.mail import Mail, deliver_after_commit
from tests.functional.comment_helpers import seminar


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
