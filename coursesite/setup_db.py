"""`make run`'s set-up: back up the SQLite file, upgrade the schema, load the demo into an empty database.

`--reset` (`make reset-demo`) starts the demo over: the SQLite file is backed up, emptied and set up anew."""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from coursesite import create_app
from coursesite.config import ConfigError
from coursesite.demo import course as demo
from coursesite.extensions import cache, db, migrate


def _schema_heads() -> tuple[set[str], set[str]]:
    """(the revisions the database is at, the newest revisions the code has)."""
    script = ScriptDirectory.from_config(migrate.get_config())
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current, set(script.get_heads())


def _backup_sqlite() -> Path | None:
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    path = Path(url.database)
    if not path.exists() or path.stat().st_size == 0:
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    backup = path.with_name(f"{path.name}.{stamp}.bak")
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(backup)) as target:
        source.backup(target)
    return backup


def _reset_sqlite() -> Path | None:
    """Back the SQLite file up, then empty it in place, so the next set-up starts from nothing. In place, not by
    deleting the file: a server still running on it (`make run` in another terminal) would go on reading the
    deleted file, old demo and all. The pages and counts the app kept go with the old data."""
    backup = _backup_sqlite()
    db.engine.dispose()
    with closing(sqlite3.connect(db.engine.url.database, isolation_level=None)) as connection:
        connection.execute("PRAGMA foreign_keys = OFF")  # every table goes: no order to keep
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        connection.execute("BEGIN IMMEDIATE")
        for table in tables:
            connection.execute(f'DROP TABLE "{table}"')
        connection.execute("COMMIT")
        connection.execute("VACUUM")
    cache.clear()
    return backup


def _upgrade_schema() -> None:
    current, heads = _schema_heads()
    if current == heads:
        return
    backup = _backup_sqlite() if current else None
    if backup:
        print(f"backed up the database to {backup}")
    upgrade()
    print("database schema is up to date")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coursesite.setup_db", description=__doc__)
    parser.add_argument("--reset", action="store_true", help="start the demo over (the SQLite file is backed up)")
    args = parser.parse_args(argv)
    # Alembic logs a line per step; a newcomer needs one line saying the schema is ready.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        app = create_app()
    except ConfigError as error:
        print(f"Coursesite cannot start: {error}", file=sys.stderr)
        return 1
    with app.app_context():
        if args.reset:
            if db.engine.url.get_backend_name() != "sqlite":
                print("--reset starts over only the embedded SQLite database; "
                      "COURSESITE_DATABASE_URL names another one", file=sys.stderr)
                return 1
            backup = _reset_sqlite()
            print(f"backed up the old database to {backup}" if backup else "no database to reset")
        _upgrade_schema()
        if not demo.has_data():
            demo.build_demo()
            db.session.commit()
            print(demo.LOGIN_HELP)
        else:
            print(f"Demo logins (if the demo is loaded): password {demo.DEMO_PASSWORD}; admin@example.edu, "
                  "instructor@example.edu, ta@example.edu, student1@example.edu ... student12@example.edu")
    return 0


if __name__ == "__main__":
    sys.exit(main())
