"""Column types shared by every model."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Index, Label
from sqlalchemy.types import TypeDecorator

# Ids are INTEGER columns: PostgreSQL refuses a larger number outright, so no larger id can name a row.
MAX_ID = 2**31 - 1


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC in and out, on every backend (SQLite would hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store timezone-aware UTC")
        value = value.astimezone(UTC)
        # SQLite compares text: keep one naive UTC form so ordering is right.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def text_search_index(name: str, column: str | Label) -> Index:
    """A trigram index for finding words in `column` (a column's name, or a labelled expression) with
    ILIKE '%word%' (the blog's search, essays/listing.found_essays), on PostgreSQL alone: SQLite has no such index.
    `info` tells `flask db check` (compared_on) not to miss it on SQLite; the pg_trgm extension it needs is
    created before the tables (models/__init__.py)."""
    key = column if isinstance(column, str) else column.name
    index = Index(name, column, postgresql_using="gin", postgresql_ops={key: "gin_trgm_ops"},
                  info={"dialect": "postgresql"})
    return index.ddl_if(dialect="postgresql")


def compared_on(dialect: str):
    """What alembic compares on `dialect` (`flask db check`, migrations/env.py): not an index the models keep for
    another database alone (text_search_index)."""
    def include_object(obj, name, type_, reflected, compare_to) -> bool:
        only_on = obj.info.get("dialect") if type_ == "index" else None
        return only_on is None or only_on == dialect
    return include_object
