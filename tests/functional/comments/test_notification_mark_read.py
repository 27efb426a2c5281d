"""Marking notifications read: one, or all with the "Mark all read" button; a malformed id marks none."""

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Notification
from tests.functional.comment_helpers import seminar
from tests.payloads import NUMBER_PAYLOADS


def _alice_with_two_unread(client, auth):
    s = seminar()
    auth.login(s.bob)
    client.post(s.create_url(), data={"body": "First note."})
    client.post(s.create_url(), data={"body": "Second note."})
    auth.logout()
    auth.login(s.alice)
    return s


def _unread(user) -> int:
    return len(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))).all())


@pytest.mark.parametrize("raw", [p for p in NUMBER_PAYLOADS if p not in ("0",)] + ["0", "abc", "1;2"])
def test_a_malformed_notification_id_is_refused_and_marks_nothing(client, auth, raw):
    s = _alice_with_two_unread(client, auth)
    response = client.post("/notifications", data={"notification_id": raw})
    assert response.status_code == 400
    assert _unread(s.alice) == 2


def test_someone_elses_notification_id_marks_nothing_of_yours(client, auth):
    s = _alice_with_two_unread(client, auth)
    client.post("/notifications", data={"notification_id": "2147483647"})
    assert _unread(s.alice) == 2


def test_one_id_marks_one_and_no_id_marks_all(client, auth):
    s = _alice_with_two_unread(client, auth)
    first = db.session.scalars(select(Notification).where(Notification.user_id == s.alice.id)).first()
    assert client.post("/notifications", data={"notification_id": str(first.id)}).status_code == 302
    assert _unread(s.alice) == 1
    assert client.post("/notifications", data={}).status_code == 302
    assert _unread(s.alice) == 0
