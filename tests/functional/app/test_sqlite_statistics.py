"""On SQLite the app gathers the planner's statistics itself, as autovacuum does on PostgreSQL
(coursesite/database.py): a database never analyzed is analyzed on the first connection, and a pooled
connection asks SQLite now and then to analyze again the tables it used that have grown."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

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


def _statistics(path) -> set[str]:
    """The tables SQLite has statistics for."""
    with sqlite3.connect(path) as connection:
        if connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone() is None:
            return set()
        return {table for (table,) in connection.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}


def _a_class_that_comments():
    course = f.make_course(f.make_user(password=None))
    students = [f.make_author(course) for _ in range(6)]
    for i, writer in enumerate(students):
        essay = f.make_post(course, writer)
        f.make_thread_comment(essay, students[(i + 1) % len(students)], "Long enough to count here.")
    db.session.commit()


def _count_comments_of(author_id: int) -> None:
    """A read through the author index, as any page showing someone's comments makes."""
    db.session.scalar(select(func.count(Comment.id)).where(Comment.author_id == author_id))
    db.session.remove()  # the connection goes back to the pool


def test_a_database_never_analyzed_is_analyzed_on_the_first_connection(site_database):
    path = site_database
    _a_class_that_comments()
    db.engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE IF EXISTS sqlite_stat1")  # as a site's database before this version
    assert _statistics(path) == set()

    db.engine.connect().close()

    assert {"users", "courses", "enrollments", "posts", "comments"} <= _statistics(path)


def test_tables_filled_after_the_first_analysis_are_analyzed_within_the_hour(site_database, monkeypatch):
    path = site_database
    # The schema was analyzed empty when it was created: nothing to count then.
    assert "comments" not in _statistics(path)
    _a_class_that_comments()
    _count_comments_of(1)
    assert "comments" not in _statistics(path), "analyzed again before the hour was up"

    monkeypatch.setattr(database, "OPTIMIZE_EVERY_S", 0)  # an hour later
    _count_comments_of(1)

    assert "comments" in _statistics(path)
