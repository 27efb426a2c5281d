"""Extensions, created unbound and attached in create_app()."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import request
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
migrate = Migrate()
cache = Cache()

PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the folder holding coursesite/, templates/ and static/


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the code, templates and static files, in every key of what is kept in the cache: nothing kept
    by an earlier deploy is used."""
    digest = hashlib.sha256()
    for folder, pattern in (("coursesite", "*.py"), ("templates", "*"), ("static", "*")):
        for path in sorted((PROJECT_ROOT / folder).rglob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(PROJECT_ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def remote_address() -> str:
    return get_remote_address() or request.remote_addr or "unknown"


def person_or_address() -> str:
    """Limits per person: the signed-in account, else (a visitor, refused anyway) the address."""
    return f"user:{current_user.id}" if current_user.is_authenticated else remote_address()


limiter = Limiter(key_func=remote_address)
