"""Configuration: defaults in code, COURSESITE_* environment variables override."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

ENV_PREFIX = "COURSESITE_"
MIN_SECRET_LENGTH = 32
DEV_BASE_URL = "http://127.0.0.1:5000"


class ConfigError(RuntimeError):
    """The configuration cannot serve safely; the message says what to set."""


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(ENV_PREFIX + name, default)


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _dev_secret(instance_path: Path) -> str:
    """A development secret generated once and kept in instance/, never in code."""
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _base_url(production: bool) -> str:
    """The site's public address, which every link in mail, feeds and commands starts with."""
    url = _env("BASE_URL")
    if url:
        return url
    if production:
        raise ConfigError("COURSESITE_BASE_URL must be set in production: the site's public address, "
                          "e.g. https://blogs.school.edu")
    return DEV_BASE_URL


def url_settings(base_url: str) -> dict:
    """Flask's settings for building links outside a request, and the same links inside one (never from the
    Host header a client sent), from the one public address."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(f"COURSESITE_BASE_URL must be an http(s) address like https://blogs.school.edu, "
                          f"not {base_url!r}")
    return {
        "BASE_URL": f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}",
        "SERVER_NAME": parts.netloc,
        "PREFERRED_URL_SCHEME": parts.scheme,
        "APPLICATION_ROOT": parts.path.rstrip("/") or "/",
    }


def cache_settings(instance_path: Path) -> dict:
    """Flask-Caching: Redis when COURSESITE_CACHE_REDIS_URL (or CACHE_REDIS_URL) names a server, shared by every
    host (needs the `redis` package); else files in instance/cache, shared by the workers of one host.
    COURSESITE_CACHE_TYPE picks another backend (e.g. SimpleCache, NullCache to turn caching off)."""
    redis_url = _env("CACHE_REDIS_URL") or os.environ.get("CACHE_REDIS_URL")
    cache_type = _env("CACHE_TYPE", "RedisCache" if redis_url else "FileSystemCache")
    # A file cache with a threshold reads every file in its folder on each write once it holds that many (cachelib
    # prunes so), and a class's essays are more than the 500 it would hold: uncounted, it is pruned by
    # `flask prune-cache` from cron instead. An in-memory cache keeps its threshold, its only bound.
    threshold = "0" if cache_type == "FileSystemCache" else "500"
    return {
        "CACHE_TYPE": cache_type,
        "CACHE_THRESHOLD": int(_env("CACHE_THRESHOLD", threshold)),
        "CACHE_REDIS_URL": redis_url,
        "CACHE_DIR": _env("CACHE_DIR", str(instance_path / "cache")),
        "CACHE_DEFAULT_TIMEOUT": int(_env("CACHE_DEFAULT_TIMEOUT", "3600")),
        "CACHE_KEY_PREFIX": _env("CACHE_KEY_PREFIX", "coursesite:"),
        # Seconds a visitor's copy of a public course's page (and nginx's micro-cache of it) stays fresh.
        "PUBLIC_PAGE_MAX_AGE": int(_env("PUBLIC_PAGE_MAX_AGE", "10")),
    }


def engine_options(database_url: str) -> dict:
    """A connection a database server closed (restart, idle timeout) is replaced, not handed to a request: each
    checkout pings the server first. A SQLite file has no server to close it, so there the ping is a round trip
    that every request pays for nothing."""
    return {"pool_pre_ping": make_url(database_url).get_backend_name() != "sqlite"}


def build_config(instance_path: Path) -> dict:
    env = _env("ENV", "development")
    production = env == "production"
    database_url = _env("DATABASE_URL") or f"sqlite:///{instance_path / 'coursesite.sqlite3'}"
    secret = _env("SECRET_KEY")
    if not secret:
        if production:
            raise ConfigError("COURSESITE_SECRET_KEY must be set in production")
        secret = _dev_secret(instance_path)
    elif production and len(secret) < MIN_SECRET_LENGTH:
        raise ConfigError(f"COURSESITE_SECRET_KEY is too short: use at least {MIN_SECRET_LENGTH} random characters")
    config = {
        "ENV_NAME": env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        # A student may write for hours: the CSRF token is tied to the session, not to a clock.
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_CHECK_DEFAULT": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "MAX_CONTENT_LENGTH": int(_env("MAX_UPLOAD_BYTES", str(16 * 1024 * 1024))),
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "MAIL_SERVER": _env("SMTP_HOST"),
        "MAIL_PORT": int(_env("SMTP_PORT", "587")),
        "MAIL_USERNAME": _env("SMTP_USER"),
        "MAIL_PASSWORD": _env("SMTP_PASSWORD"),
        "MAIL_USE_TLS": _env_bool("SMTP_TLS", True),
        "MAIL_SENDER": _env("MAIL_SENDER", "Coursesite <no-reply@localhost>"),
        "MAIL_TO_LOG": _env_bool("MAIL_TO_LOG", not production),
        "PASSWORD_HASH_METHOD": "scrypt",
        "PASSWORD_RESET_MAX_AGE": int(_env("PASSWORD_RESET_MAX_AGE", str(2 * 3600))),
        "INVITATION_MAX_AGE": int(_env("INVITATION_MAX_AGE", str(14 * 86400))),
        "LOGIN_RATE_LIMIT": _env("LOGIN_RATE_LIMIT", "10 per 5 minutes"),
        "LOGIN_ADDRESS_RATE_LIMIT": _env("LOGIN_ADDRESS_RATE_LIMIT", "300 per 5 minutes"),
        "RESET_RATE_LIMIT": _env("RESET_RATE_LIMIT", "5 per 15 minutes"),
        "RESET_ADDRESS_RATE_LIMIT": _env("RESET_ADDRESS_RATE_LIMIT", "100 per 15 minutes"),
        # Reset mails to one account, from any address: requests past it get the same answer and no mail.
        "RESET_MAIL_LIMIT": _env("RESET_MAIL_LIMIT", "5 per hour"),
        # Per email and address, then per address: a class signing up together shares one address.
        "SIGNUP_RATE_LIMIT": _env("SIGNUP_RATE_LIMIT", "5 per hour"),
        "SIGNUP_ADDRESS_RATE_LIMIT": _env("SIGNUP_ADDRESS_RATE_LIMIT", "100 per hour"),
        # Per person, then per address; decoding an image is the dearest thing a request can ask for.
        "UPLOAD_RATE_LIMIT": _env("UPLOAD_RATE_LIMIT", "60 per hour"),
        "UPLOAD_ADDRESS_RATE_LIMIT": _env("UPLOAD_ADDRESS_RATE_LIMIT", "600 per hour"),
        # The editor asks for a preview at most every 0.7 s of typing: about 85 a minute.
        "PREVIEW_RATE_LIMIT": _env("PREVIEW_RATE_LIMIT", "120 per minute"),
        "PREVIEW_ADDRESS_RATE_LIMIT": _env("PREVIEW_ADDRESS_RATE_LIMIT", "3000 per minute"),
        # A search of a 3,000-student course's blog reads every essay and comment (1-2 s of a worker, and a
        # visitor of a public course may ask): a reader pages through results well within these.
        "SEARCH_RATE_LIMIT": _env("SEARCH_RATE_LIMIT", "30 per minute"),
        "SEARCH_ADDRESS_RATE_LIMIT": _env("SEARCH_ADDRESS_RATE_LIMIT", "600 per minute"),
        # Building a data export reads all of a person's work and compresses it: a few a day are plenty.
        "DATA_EXPORT_RATE_LIMIT": _env("DATA_EXPORT_RATE_LIMIT", "10 per hour"),
        "DATA_EXPORT_MAX_BYTES": int(_env("DATA_EXPORT_MAX_BYTES", str(200 * 1024 * 1024))),
        "UPLOAD_FOLDER": str(instance_path / "uploads"),
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        **cache_settings(instance_path),
        "BASE_URL": _base_url(production),
    }
    if production and not config["MAIL_SERVER"] and not config["MAIL_TO_LOG"]:
        raise ConfigError("set COURSESITE_SMTP_HOST, or COURSESITE_MAIL_TO_LOG=1 to write mail to the log")
    return config
