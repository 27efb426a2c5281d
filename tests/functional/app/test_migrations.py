"""The migrations build the schema the models describe (on a fresh SQLite file), and can be undone."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from coursesite import create_app
from coursesite.extensions import db


def _differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


# migrations/env.py is Flask-Migrate's template, which still tries Flask-SQLAlchemy 2's get_engine() first.
@pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
def test_upgrade_builds_exactly_the_models_schema(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSESITE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrated.sqlite3'}",
                      "SECRET_KEY": "test", "TESTING": True})
    with app.app_context():
        upgrade()
        assert _differences() == []
        assert "users" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade()
        assert _differences() == []
        db.engine.dispose()
