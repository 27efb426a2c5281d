"""On PostgreSQL a comment post runs in autocommit (comments/views.py, statements_commit_alone): the comment, its
revision and its notifications are written by one statement, so BEGIN and COMMIT would be round trips for
nothing. Tested with the session on the engine, as the application runs: the suite's other tests bind theirs to
a connection in a transaction of their own, which the view then leaves as it is."""

from __future__ import annotations

import pytest
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import scoped_session, sessionmaker

from coursesite.extensions import db
from coursesite.models import Comment, CommentRevision, Notification

from ..conftest import TEST_DATABASE_URL
from .comment_helpers import seminar

pytestmark = pytest.mark.skipif(not (TEST_DATABASE_URL or "").startswith("postgresql"),
                                reason="PostgreSQL's transactions (COURSESITE_TEST_DATABASE_URL)")


@pytest.fixture
def committed(app):
    """db.session on the engine: what the test writes is committed, and every table is emptied after."""
    suite_session = db.session
    db.session = scoped_session(sessionmaker(bind=db.engine), scopefunc=_app_ctx_id)
    try:
        yield
    finally:
        db.session.remove()
        db.session = suite_session
        with db.engine.begin() as connection:
            tables = ", ".join(table.name for table in db.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def _stored(model, *conditions) -> int:
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model).where(*conditions))


def test_a_comment_post_commits_each_statement_alone_and_writes_all_its_rows(app, client, auth, committed):
    s = seminar()
    auth.login(s.bob)
    address, essay_author = s.create_url(), s.alice.id
    in_autocommit = []

    def record(connection, cursor, statement, *args):
        in_autocommit.append(connection.connection.dbapi_connection.autocommit)

    db.session.remove()  # as a request's own application context starts: nothing begun
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.post(address, data={"body": "Each statement is a transaction."})
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 302
    assert in_autocommit and all(in_autocommit)
    comment_id = int(response.headers["Location"].rsplit("-", 1)[1])
    assert _stored(Comment, Comment.id == comment_id, Comment.body == "Each statement is a transaction.") == 1
    assert _stored(CommentRevision, CommentRevision.comment_id == comment_id) == 1
    assert _stored(Notification, Notification.comment_id == comment_id, Notification.user_id == essay_author) == 1


def test_a_refused_comment_writes_nothing_and_the_next_request_has_its_transaction(app, client, auth, committed):
    s = seminar()
    auth.login(s.bob)
    address = s.create_url()
    assert client.post(address, data={"body": "Said once."}).status_code == 302
    db.session.remove()
    refused = client.post(address, data={"body": "Said once."})
    assert refused.status_code == 422 and "Said once." in refused.get_data(as_text=True)
    assert _stored(Comment, Comment.body == "Said once.") == 1
    with app.test_request_context():
        assert db.session.connection().connection.dbapi_connection.autocommit is False
