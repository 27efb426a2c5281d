"""Helpers for .ci/migrate-check.sh: the previous head, copying rows between schemas, counting rows.

    python .ci/migrate_data.py previous            -> the head revision's parents ("" when it has none)
    python .ci/migrate_data.py copy SOURCE TARGET  -> copy every row of SOURCE into TARGET's tables,
                                                      keeping only the columns TARGET has
    python .ci/migrate_data.py count URL           -> fail unless the demo's people are there
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, func, select

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def previous_heads() -> list[str]:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    parents: list[str] = []
    for head in script.get_heads():
        down = script.get_revision(head).down_revision
        parents.extend([down] if isinstance(down, str) else list(down or ()))
    return parents


def copy_rows(source_url: str, target_url: str) -> None:
    source_engine, target_engine = create_engine(source_url), create_engine(target_url)
    source, target = MetaData(), MetaData()
    source.reflect(source_engine)
    target.reflect(target_engine)
    copied = 0
    with source_engine.connect() as reading, target_engine.begin() as writing:
        for table in target.sorted_tables:
            if table.name == "alembic_version" or table.name not in source.tables:
                continue
            columns = [c.name for c in table.columns if c.name in source.tables[table.name].columns]
            rows = [dict(r._mapping) for r in reading.execute(select(*source.tables[table.name].c[*columns]))]
            if rows:
                writing.execute(table.insert(), rows)
                copied += len(rows)
            if target_engine.dialect.name == "postgresql" and "id" in table.columns and rows:
                # Rows came with their ids: move the sequence past them.
                highest = select(func.max(table.c.id)).scalar_subquery()
                writing.execute(select(func.setval(func.pg_get_serial_sequence(table.name, "id"), highest)))
    print(f"migrate-check: copied {copied} rows into the previous schema")


def count_people(url: str) -> None:
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine, only=["users"])
    with engine.connect() as connection:
        people = connection.execute(select(func.count()).select_from(metadata.tables["users"])).scalar_one()
    if people < 14:
        sys.exit(f"migrate-check: expected the demo's 14 people after the upgrade, found {people}")
    print(f"migrate-check: {people} people in the upgraded database")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "previous":
        print(" ".join(previous_heads()))
    elif command == "copy":
        copy_rows(*args)
    elif command == "count":
        count_people(*args)
    else:
        sys.exit(f"unknown command {command}")
