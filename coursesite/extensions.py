"""Extensions, created unbound and attached in create_app()."""

from __future__ import annotations

from functools import partial

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
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


def remote_address() -> str:
    return get_remote_address() or request.remote_addr or "unknown"


limiter = Limiter(key_func=remote_address)
LIMITED_BLUEPRINTS = ("auth",)  # sign-in and password reset; comments keep their own pace
LIMITER_HOOKS = 3  # Flask-Limiter's check before a request, its headers after, and its clean-up


def limit_only_limited_blueprints(app: Flask) -> None:
    """Flask-Limiter hooks every request of the app, and its hooks were a twentieth of a small request's
    work; only LIMITED_BLUEPRINTS have limits, so its hooks run for theirs alone. A Flask-Limiter whose hooks
    are not the three expected (none when rate limits are off) is refused here, not left half moved."""
    registries = (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs)
    moved = [[hook for hook in registry.get(None, []) if _is_limiters(hook)] for registry in registries]
    if sum(map(len, moved)) not in (0, LIMITER_HOOKS):
        raise RuntimeError(f"expected {LIMITER_HOOKS} Flask-Limiter hooks, found {sum(map(len, moved))}")
    for registry, hooks in zip(registries, moved, strict=True):
        registry[None] = [hook for hook in registry[None] if not _is_limiters(hook)]
        for blueprint in LIMITED_BLUEPRINTS:
            registry.setdefault(blueprint, []).extend(hooks)


def _is_limiters(hook) -> bool:
    bound_to = getattr(hook, "__self__", None)
    return bound_to is limiter or (isinstance(hook, partial) and bool(hook.args) and hook.args[0] is limiter)
