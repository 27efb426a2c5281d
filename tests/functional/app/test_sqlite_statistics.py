"""On SQLite the app keeps the planner's statistics itself, as autovacuum does on PostgreSQL
(coursesite/database.py): tables whose statistics are missing or were taken at less than half or more than
twice their present rows are analyzed when a connection opens, and by a long-lived connection once an hour,
never waiting behind a writer."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing

import pytest
from sqlalchemy import delete, func, select, update

from coursesite import create_app, database
from coursesite.extensions import db
from coursesite.models import Comment
from tests import factories as f


@pytest.fixture
def site_database(tmp_path, monkeypatch):
    """A site on its own SQLite file, its schema made; yields the file."""
    monkeypatch.setenv("COURSESITE_INSTANCE_PATH", str(tmp_path / "instance"))
    path = tmp_path / "site.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "test", "TESTING": True,
                      "MAIL_TO_LOG": True})
    with app.app_context():
        db.create_all()
        yield path
        db.session.remove()
        db.engine.dispose()


def _analyzed_rows(path) -> dict[str, int]:
    """Table -> the rows SQLite's statistics say it has."""
    with closing(sqlite3.connect(path)) as connection:
        if connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone() is None:
            return {}
        return dict(connection.execute("SELECT tbl, max(CAST(stat AS INTEGER)) FROM sqlite_stat1 GROUP BY tbl"))


def _a_class_that_comments(size: int = 6):
    course = f.make_course(f.make_user(password=None))
    students = [f.make_author(course) for _ in range(size)]
    for i, writer in enumerate(students):
        essay = f.make_post(course, writer)
        f.make_thread_comment(essay, students[(i + 1) % len(students)], "Long enough to count here.")
    db.session.commit()


def _read_comments() -> None:
    """A request's read; its connection then goes back to the pool."""
    db.session.scalar(select(func.count(Comment.id)).where(Comment.author_id == 1))
    db.session.remove()


def test_a_database_never_analyzed_is_analyzed_on_the_first_connection(site_database):
    _a_class_that_comments()
    db.engine.dispose()
    with closing(sqlite3.connect(site_database)) as connection:
        connection.execute("DROP TABLE IF EXISTS sqlite_stat1")  # as a site's database before this version
    assert _analyzed_rows(site_database) == {}

    db.engine.connect().close()

    analyzed = _analyzed_rows(site_database)
    assert analyzed["comments"] == 6 and analyzed["posts"] == 6 and analyzed["enrollments"] == 7


def test_a_new_sites_tables_are_analyzed_once_they_hold_rows(site_database):
    """The schema was made, and analyzed, empty; the workers started after the class came get statistics."""
    assert "comments" not in _analyzed_rows(site_database)
    _a_class_that_comments()
    db.engine.dispose()  # a worker started afresh

    db.engine.connect().close()

    assert _analyzed_rows(site_database)["comments"] == 6


def test_a_long_lived_connection_analyzes_again_within_the_hour(site_database, monkeypatch):
    _read_comments()  # the pool's connection, opened on the empty schema
    _a_class_that_comments()
    _read_comments()
    assert "comments" not in _analyzed_rows(site_database), "looked again before the hour was up"

    monkeypatch.setattr(database, "ANALYZE_EVERY_S", 0)  # an hour later
    _read_comments()

    assert _analyzed_rows(site_database)["comments"] == 6


def test_tables_are_analyzed_again_once_their_rows_doubled_or_halved(site_database):
    _a_class_that_comments(size=6)
    # Hidden comments are outside the partial index of shown ones: the table's own count is what is kept.
    db.session.execute(update(Comment).where(Comment.id <= 2).values(status="hidden"))
    db.session.commit()
    with db.engine.connect() as connection:
        sqlite = connection.connection.driver_connection
        assert "comments" in database.analyze_changed(sqlite)
        assert database.analyze_changed(sqlite) == []
        _a_class_that_comments(size=4)  # 10 comments: less than twice 6
        assert "comments" not in database.analyze_changed(sqlite)
        _a_class_that_comments(size=4)  # 14: more than twice 6
        assert "comments" in database.analyze_changed(sqlite)
        db.session.execute(delete(Comment).where(Comment.id > 7))  # 7: not less than half 14
        db.session.commit()
        assert "comments" not in database.analyze_changed(sqlite)
        db.session.execute(delete(Comment).where(Comment.id > 6))  # 6: less than half 14
        db.session.commit()
        assert "comments" in database.analyze_changed(sqlite)
    assert _analyzed_rows(site_database)["comments"] == 6


def test_statistics_never_wait_behind_a_writer(site_database):
    _a_class_that_comments()
    db.engine.dispose()
    with closing(sqlite3.connect(site_database, isolation_level=None)) as writer:
        writer.execute("DROP TABLE IF EXISTS sqlite_stat1")
        writer.execute("BEGIN IMMEDIATE")  # an import, a comment being posted
        started = time.monotonic()
        with db.engine.connect() as connection:
            sqlite = connection.connection.driver_connection
            waited = time.monotonic() - started
            assert sqlite.execute("PRAGMA busy_timeout").fetchone()[0] == database.BUSY_TIMEOUT_MS
        writer.execute("COMMIT")
    assert waited < database.BUSY_TIMEOUT_MS / 1000 / 2, "the new connection waited for the writer"
    assert _analyzed_rows(site_database) == {}, "analyzed without the write lock"
    db.engine.dispose()
    db.engine.connect().close()  # the next connection, the writer gone
    assert _analyzed_rows(site_database)["comments"] == 6
