"""The command line: create-user refuses bad input in one line; demo and `make run`'s set-up are safe twice."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import Course, Enrollment, User
from coursesite.people.accounts import find_user
from tests import factories as f
from tests.mail_sink import MailSink

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count(m.id))) for m in (User, Course, Enrollment))


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_create_user(runner):
    result = runner.invoke(args=["create-user", "Admin@School.edu", "--name", "Site Admin",
                                 "--password", "a long password", "--admin"])
    assert result.exit_code == 0, result.output
    assert "created admin@school.edu (admin)" in result.stdout
    user = find_user("admin@school.edu")
    assert user.is_admin and user.can_create_courses and user.check_password("a long password")


def test_create_course_creator(runner):
    result = runner.invoke(args=["create-user", "prof@school.edu", "--name", "Prof", "--password",
                                 "a long password", "--course-creator"])
    assert result.exit_code == 0
    user = find_user("prof@school.edu")
    assert user.can_create_courses and not user.is_admin


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["not-an-email", "--name", "X", "--password", "a long password"], "not an email address: not-an-email"),
        (["a@school.edu", "--name", "X", "--password", "short"],
         "the password needs 10 to 200 characters (the login form takes no more)"),
        (["a@school.edu", "--name", "X", "--password", "p" * 201],  # it could never be typed into the login form
         "the password needs 10 to 200 characters (the login form takes no more)"),
        (["a@school.edu", "--name", "  ", "--password", "a long password"], "the name must not be empty"),
        (["a@school.edu", "--name", "N" * 121, "--password", "a long password"],
         "the name may have at most 120 characters"),
        (["TAKEN@example.org", "--name", "X", "--password", "a long password"],
         "An account with this email already exists."),
    ],
)
def test_create_user_refuses_bad_input(runner, args, message):
    f.make_user(email="taken@example.org")
    before = counts()
    result = runner.invoke(args=["create-user", *args])
    assert result.exit_code != 0
    assert result.stderr.strip().splitlines() == [f"Error: {message}"]
    assert result.stdout == ""
    assert counts() == before


def test_create_user_needs_name_and_password(runner):
    result = runner.invoke(args=["create-user", "a@school.edu"])
    assert result.exit_code != 0
    assert "Missing option '--name'" in result.stderr


def test_demo_loads_once_and_twice_changes_nothing(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Demo course loaded: /c/demo-101/" in result.stdout
    loaded = counts()
    assert loaded == (15, 1, 14)  # the site admin is not enrolled
    assert find_user("student12@example.edu").check_password("coursesite-demo")
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0 and "already holds data" in result.stdout
    result = runner.invoke(args=["demo", "--force"])
    assert result.exit_code == 0 and "already loaded" in result.stdout
    assert counts() == loaded


def test_demo_course_is_public_with_two_sections(runner, client):
    runner.invoke(args=["demo"])
    course = db.session.scalar(select(Course).where(Course.slug == "demo-101"))
    assert course.is_public and course.timezone == "America/New_York"
    assert sorted(s.name for s in course.sections) == ["Section A", "Section B"]
    assert client.get("/c/demo-101/").status_code == 200
    response = client.post("/auth/login", data={"email": "ta@example.edu", "password": "coursesite-demo"})
    assert response.status_code == 302


def _setup_db(instance: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "COURSESITE_INSTANCE_PATH": str(instance)}
    env.pop("COURSESITE_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "coursesite.setup_db"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_make_run_setup_twice_on_a_fresh_instance(tmp_path):
    instance = tmp_path / "instance"
    first = _setup_db(instance)
    assert first.returncode == 0, first.stderr
    assert "Demo course loaded" in first.stdout and "admin@example.edu" in first.stdout
    # What a newcomer sees: the logins, not a line per migration (nor any line twice).
    assert first.stderr == "" and "alembic" not in first.stdout
    assert len(set(first.stdout.splitlines())) == len(first.stdout.splitlines())
    second = _setup_db(instance)
    assert second.returncode == 0, second.stderr
    assert "Demo course loaded" not in second.stdout and "Demo logins" in second.stdout
    assert "backed up" not in second.stdout  # the schema was current: nothing to back up
    with sqlite3.connect(instance / "coursesite.sqlite3") as connection:
        assert connection.execute("select count(*) from users").fetchone() == (15,)
        assert connection.execute("select count(*) from courses").fetchone() == (1,)
        assert connection.execute("pragma journal_mode").fetchone() == ("wal",)
    assert (instance / "secret_key").stat().st_mode & 0o777 == 0o600


def test_sqlite_file_is_backed_up_before_an_upgrade(tmp_path, monkeypatch):
    from coursesite import create_app
    from coursesite.setup_db import _backup_sqlite

    monkeypatch.setenv("COURSESITE_INSTANCE_PATH", str(tmp_path))
    path = tmp_path / "live.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("create table notes (body text)")
        connection.execute("insert into notes values ('kept')")
    connection.close()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "test", "TESTING": True})
    with app.app_context():
        backup = _backup_sqlite()
        db.engine.dispose()
    assert backup is not None and backup.name.startswith("live.sqlite3.") and backup.suffix == ".bak"
    with sqlite3.connect(backup) as copy:
        assert copy.execute("select body from notes").fetchall() == [("kept",)]
    copy.close()


def test_reset_demo_starts_over_and_keeps_the_old_database_as_a_backup(tmp_path):
    """Also with `make run` still running on it: its open connection (`server`) reads the new demo, not the old
    file, and the comment counts the app kept for the old essays are gone."""
    instance = tmp_path / "instance"
    assert _setup_db(instance).returncode == 0
    with sqlite3.connect(instance / "coursesite.sqlite3") as connection:
        connection.execute("update users set display_name = 'Changed' where email = 'student1@example.edu'")
    connection.close()
    env = {**os.environ, "COURSESITE_INSTANCE_PATH": str(instance)}
    env.pop("COURSESITE_DATABASE_URL", None)
    kept_count = ("from coursesite import create_app\nfrom coursesite.extensions import cache\n"
                  "with create_app().app_context():\n    {}")
    keep = subprocess.run([sys.executable, "-c", kept_count.format("cache.set('comments:1', 99)")],
                          cwd=PROJECT_ROOT, env=env, timeout=300, check=True)
    assert keep.returncode == 0
    server = sqlite3.connect(instance / "coursesite.sqlite3")
    query = "select display_name from users where email = 'student1@example.edu'"
    assert server.execute(query).fetchone() == ("Changed",)
    reset = subprocess.run([sys.executable, "-m", "coursesite.setup_db", "--reset"], cwd=PROJECT_ROOT, env=env,
                           capture_output=True, text=True, timeout=300, check=False)
    assert reset.returncode == 0, reset.stderr
    assert "backed up the old database to" in reset.stdout and "Demo course loaded" in reset.stdout
    assert server.execute(query).fetchone() == ("Amara Okafor",)
    server.close()
    kept = subprocess.run([sys.executable, "-c", kept_count.format("print(cache.get('comments:1'))")],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300, check=True)
    assert kept.stdout.strip() == "None"
    (backup,) = instance.glob("coursesite.sqlite3.*.bak")
    with sqlite3.connect(instance / "coursesite.sqlite3") as fresh, sqlite3.connect(backup) as old:
        assert fresh.execute(query).fetchone() == ("Amara Okafor",)
        assert old.execute(query).fetchone() == ("Changed",)
    fresh.close()
    old.close()


def _flask(instance: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COURSESITE_")}
    environment.update(COURSESITE_INSTANCE_PATH=str(instance), **env)
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=PROJECT_ROOT,
                          env=environment, capture_output=True, text=True, timeout=300, check=False)


def test_digests_from_cron_link_to_the_sites_public_address(tmp_path):
    """As cron runs it: no request, no SERVER_NAME; only COURSESITE_BASE_URL says where links point."""
    instance = tmp_path / "instance"
    assert _setup_db(instance).returncode == 0
    with sqlite3.connect(instance / "coursesite.sqlite3") as connection:  # three comments nobody has read yet
        connection.execute("update notifications set read_at = null, emailed_at = null "
                           "where id in (select id from notifications order by id limit 3)")
    connection.close()
    with MailSink() as sink:
        result = _flask(instance, "send-digests", COURSESITE_BASE_URL="https://blogs.school.edu/writing/",
                        **sink.env())
    assert result.returncode == 0, result.stderr
    assert sink.messages and f"sent {len(sink.messages)} digest" in result.stdout
    links = re.findall(r"https?://\S+", "".join(message.get_content() for message in sink.messages))
    assert links and all(link.startswith("https://blogs.school.edu/writing/c/demo-101/essays/") for link in links)
