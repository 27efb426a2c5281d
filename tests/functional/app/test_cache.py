"""The cache as a single host has it by default: files in instance/cache that hold a class's pages and counts
(none pushed out when a few hundred are kept), their expired entries removed by `flask prune-cache` from cron."""

from __future__ import annotations

import os
import time

import pytest

from coursesite import create_app
from coursesite.extensions import cache

CLASS_OF_ENTRIES = 600  # more than the 500 entries a counted cache holds by default


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("COURSESITE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("COURSESITE_INSTANCE_PATH", str(tmp_path / "instance"))
    return monkeypatch


def _app(tmp_path):
    return create_app({"SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}"})


def test_the_file_cache_keeps_every_entry_of_a_class(env, tmp_path):
    app = _app(tmp_path)
    assert app.config["CACHE_TYPE"] == "FileSystemCache"
    with app.app_context():
        for number in range(CLASS_OF_ENTRIES):
            cache.set(f"essay-{number}", number)
        assert [cache.get(f"essay-{number}") for number in range(CLASS_OF_ENTRIES)] == list(range(CLASS_OF_ENTRIES))


def test_a_cache_in_memory_keeps_its_bound(env, tmp_path):
    env.setenv("COURSESITE_CACHE_TYPE", "SimpleCache")
    with _app(tmp_path).app_context():
        for number in range(CLASS_OF_ENTRIES):
            cache.set(f"essay-{number}", number)
        kept = [number for number in range(CLASS_OF_ENTRIES) if cache.get(f"essay-{number}") is not None]
    assert kept[0] > 0 and kept[-1] == CLASS_OF_ENTRIES - 1  # the oldest pushed out


def test_prune_cache_removes_the_entries_past_their_time_and_keeps_the_rest(env, tmp_path):
    app = _app(tmp_path)
    folder = tmp_path / "instance" / "cache"
    with app.app_context():
        cache.set("counted-two-hours-ago", "old")
        (folder / "notes.txt").write_text("not the cache's")  # a CACHE_DIR shared with other files
        hours_ago = time.time() - 2 * 3600
        for path in folder.iterdir():
            os.utime(path, (hours_ago, hours_ago))
        cache.set("counted-now", "new")
        result = app.test_cli_runner().invoke(args=["prune-cache"])
        assert result.exit_code == 0, result.output
        assert result.output == f"removed 1 expired entry from {folder}\n"
        assert cache.get("counted-two-hours-ago") is None
        assert cache.get("counted-now") == "new"
        assert (folder / "notes.txt").read_text() == "not the cache's"
        again = app.test_cli_runner().invoke(args=["prune-cache"])
        assert again.output == f"removed 0 expired entries from {folder}\n"


def test_prune_cache_leaves_other_caches_to_expire_their_own(app):
    result = app.test_cli_runner().invoke(args=["prune-cache"])
    assert result.exit_code == 0
    assert result.output == "nothing to prune: SimpleCache removes expired entries itself\n"
