"""The migrations build the schema the models describe (on a fresh SQLite file), can be undone, and keep
what the rows already there meant."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from coursesite import create_app
from coursesite.extensions import db
from coursesite.models.types import compared_on


def _app_on_a_new_file(tmp_path, monkeypatch):
    """The app on an empty SQLite file, `migrated.sqlite3` in `tmp_path`, for the migrations to build."""
    monkeypatch.setenv("COURSESITE_INSTANCE_PATH", str(tmp_path / "instance"))
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrated.sqlite3'}",
                       "SECRET_KEY": "test", "TESTING": True})


def _differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                              "include_object": compared_on("sqlite")})
        return compare_metadata(context, db.metadata)


# migrations/env.py is Flask-Migrate's template, which still tries Flask-SQLAlchemy 2's get_engine() first.
@pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
# The search's trigram index on an essay's title and text is PostgreSQL's alone (models.types.text_search_index).
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_upgrade_builds_exactly_the_models_schema(tmp_path, monkeypatch):
    with _app_on_a_new_file(tmp_path, monkeypatch).app_context():
        upgrade()
        assert _differences() == []
        assert "users" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade()
        assert _differences() == []
        db.engine.dispose()


@pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
def test_reminders_recorded_before_the_upgrade_are_not_emailed_again(tmp_path, monkeypatch):
    """Until reminder emails were marked apart, every recorded reminder had been emailed."""
    with _app_on_a_new_file(tmp_path, monkeypatch).app_context():
        upgrade(revision="b8e4d2f6a1c3")
        # A bare connection checks no foreign keys: the reminder needs no person or assignment here.
        with closing(sqlite3.connect(tmp_path / "migrated.sqlite3")) as connection, connection:
            connection.execute(
                "INSERT INTO sent_reminders (user_id, assignment_id, kind, deadline, text, sent_at) "
                "VALUES (1, 1, 'essay', '2030-01-04 17:00:00.000000', 'due soon', '2030-01-03 17:00:00.000000')")
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT emailed_at FROM sent_reminders")).scalar_one() is not None
        db.engine.dispose()


@pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
def test_emails_marked_before_the_upgrade_count_as_taken(tmp_path, monkeypatch):
    """Until a claim was told apart from the server taking the email, every mark (and staff digest row) had been
    kept once sent: none is sent again as a claim over its lease."""
    with _app_on_a_new_file(tmp_path, monkeypatch).app_context():
        upgrade(revision="e9c4b1d7a2f6")
        with closing(sqlite3.connect(tmp_path / "migrated.sqlite3")) as connection, connection:
            connection.executemany(
                "INSERT INTO notifications (user_id, kind, comment_id, created_at, emailed_at) "
                "VALUES (1, 'comment', 1, '2030-01-03 17:00:00.000000', ?)", [("2030-01-03 18:00:00.000000",), (None,)])
            connection.execute(
                "INSERT INTO sent_reminders (user_id, assignment_id, kind, deadline, text, sent_at, emailed_at) "
                "VALUES (1, 1, 'essay', '2030-01-04 17:00:00.000000', 'due soon', '2030-01-03 17:00:00.000000', "
                "'2030-01-03 17:00:00.000000')")
            connection.execute("INSERT INTO sent_staff_digests (user_id, course_id, week_of, sent_at) "
                               "VALUES (1, 1, '2029-12-31', '2030-01-03 17:00:00.000000')")
        upgrade()
        with db.engine.connect() as connection:
            taken = connection.execute(text("SELECT email_accepted_at FROM notifications ORDER BY id")).scalars().all()
            assert [value is not None for value in taken] == [True, False]
            assert connection.execute(text("SELECT email_accepted_at FROM sent_reminders")).scalar_one() is not None
            assert connection.execute(text("SELECT email_accepted_at FROM sent_staff_digests")).scalar_one() is not None
        db.engine.dispose()
