"""Configuration: safe defaults for development, refusals in production when something is missing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from coursesite import create_app
from coursesite.config import ConfigError, build_config, url_settings
from coursesite.extensions import db

PROJECT_ROOT = Path(__file__).resolve().parents[3]
GOOD_SECRET = "s" * 40


@pytest.fixture
def env(monkeypatch):
    for name in list(os.environ):
        if name.startswith("COURSESITE_"):
            monkeypatch.delenv(name)
    return monkeypatch


def test_development_generates_a_secret_once(env, tmp_path):
    first = build_config(tmp_path)["SECRET_KEY"]
    assert len(first) >= 32 and build_config(tmp_path)["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_development_defaults(env, tmp_path):
    config = build_config(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'coursesite.sqlite3'}"
    assert config["SESSION_COOKIE_HTTPONLY"] and config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not config["SESSION_COOKIE_SECURE"]
    assert config["WTF_CSRF_TIME_LIMIT"] is None
    assert config["MAIL_TO_LOG"]


def test_environment_overrides_defaults(env, tmp_path):
    env.setenv("COURSESITE_DATABASE_URL", "postgresql+psycopg://db.internal/coursesite")
    env.setenv("COURSESITE_RATELIMIT_STORAGE_URI", "redis://cache:6379")
    config = build_config(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db.internal/coursesite"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache:6379"


def test_production_refuses_to_start_without_a_secret(env, tmp_path):
    env.setenv("COURSESITE_ENV", "production")
    env.setenv("COURSESITE_MAIL_TO_LOG", "1")
    with pytest.raises(ConfigError, match="^COURSESITE_SECRET_KEY must be set in production$"):
        build_config(tmp_path)
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_a_short_secret(env, tmp_path):
    env.setenv("COURSESITE_ENV", "production")
    env.setenv("COURSESITE_MAIL_TO_LOG", "1")
    env.setenv("COURSESITE_SECRET_KEY", "changeme")
    with pytest.raises(ConfigError, match="too short"):
        build_config(tmp_path)


def test_production_refuses_to_start_without_smtp_unless_mail_goes_to_the_log(env, tmp_path):
    env.setenv("COURSESITE_ENV", "production")
    env.setenv("COURSESITE_SECRET_KEY", GOOD_SECRET)
    env.setenv("COURSESITE_BASE_URL", "https://blogs.school.edu")
    with pytest.raises(ConfigError, match="COURSESITE_SMTP_HOST"):
        build_config(tmp_path)
    env.setenv("COURSESITE_MAIL_TO_LOG", "1")
    assert build_config(tmp_path)["MAIL_TO_LOG"]
    env.delenv("COURSESITE_MAIL_TO_LOG")
    env.setenv("COURSESITE_SMTP_HOST", "smtp.school.edu")
    assert build_config(tmp_path)["MAIL_SERVER"] == "smtp.school.edu"


def test_production_cookies_are_secure(env, tmp_path, base_config):
    env.setenv("COURSESITE_ENV", "production")
    env.setenv("COURSESITE_SECRET_KEY", GOOD_SECRET)
    env.setenv("COURSESITE_BASE_URL", "https://coursesite.test")
    env.setenv("COURSESITE_MAIL_TO_LOG", "1")
    env.setenv("COURSESITE_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": base_config["SQLALCHEMY_DATABASE_URI"], "TESTING": True,
                      "WTF_CSRF_ENABLED": False})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    client = app.test_client()
    with app.app_context():
        response = client.post("/auth/reset", data={"email": "nobody@example.org"})  # flashes: sets the session
        db.session.remove()
        db.engine.dispose()
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_refuses_to_start_without_the_sites_address(env, tmp_path):
    env.setenv("COURSESITE_ENV", "production")
    env.setenv("COURSESITE_SECRET_KEY", GOOD_SECRET)
    env.setenv("COURSESITE_MAIL_TO_LOG", "1")
    with pytest.raises(ConfigError, match="^COURSESITE_BASE_URL must be set in production"):
        build_config(tmp_path)
    env.setenv("COURSESITE_BASE_URL", "https://blogs.school.edu/")
    assert url_settings(build_config(tmp_path)["BASE_URL"]) == {
        "BASE_URL": "https://blogs.school.edu", "SERVER_NAME": "blogs.school.edu",
        "PREFERRED_URL_SCHEME": "https", "APPLICATION_ROOT": "/"}


@pytest.mark.parametrize("address", ["blogs.school.edu", "ftp://blogs.school.edu", "https://", "https://a.edu/?x=1",
                                     "https://a.edu/#top", "javascript:alert(1)"])
def test_a_base_url_that_is_not_a_web_address_is_refused(address):
    with pytest.raises(ConfigError, match="must be an http"):
        url_settings(address)


def test_links_in_mail_follow_the_base_url_not_the_host_a_client_sent(app, client, outbox):
    """A reset link built from the request's Host header would carry the token to whoever the attacker named."""
    from tests import factories as f

    user = f.make_user(email="victim@example.org")
    db.session.commit()
    response = client.post("/auth/reset", data={"email": user.email}, headers={"Host": "evil.example"})
    assert response.status_code == 302
    (message,) = outbox
    links = re.findall(r"https?://\S+", message.get_content())
    assert links and all(link.startswith("http://coursesite.test/auth/") for link in links)


def test_wsgi_refuses_to_start_with_one_clear_line(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("COURSESITE_")}
    env.update(COURSESITE_ENV="production", COURSESITE_INSTANCE_PATH=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=PROJECT_ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Coursesite cannot start: COURSESITE_SECRET_KEY must be set in production"
    ]


def test_a_started_app_keeps_its_own_objects_out_of_the_collectors_passes(tmp_path):
    """A worker's garbage collector would otherwise walk every object of the app on its full passes, in the
    middle of requests."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("COURSESITE_")}
    env.update(COURSESITE_ENV="development", COURSESITE_INSTANCE_PATH=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", "import gc, wsgi; print(gc.get_freeze_count())"],
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120, check=True)
    assert int(result.stdout.split()[-1]) > 10_000


def test_security_headers_forbid_inline_script(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_script_or_style():
    for template in (PROJECT_ROOT / "templates").rglob("*.html"):
        # Jinja expressions may hold a `<` or a keyword argument named style; only the markup matters.
        source = re.sub(r"{{.*?}}|{%.*?%}|{#.*?#}", "", template.read_text(), flags=re.S)
        assert not re.search(r"<[^>]*\sstyle=", source), f"inline style in {template}"
        for tag in source.split("<script")[1:]:
            assert tag.lstrip().startswith("src="), f"inline <script> in {template}"


def test_a_database_server_s_closed_connections_are_replaced_before_a_request_gets_one(env, tmp_path):
    env.setenv("COURSESITE_DATABASE_URL", "postgresql+psycopg://db.internal/coursesite")
    assert build_config(tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"]


def test_a_database_server_given_to_the_app_is_pinged_although_the_environment_names_sqlite(env, tmp_path):
    env.setenv("COURSESITE_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db.internal/coursesite"})
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"]


def test_a_sqlite_file_is_not_pinged_before_every_request(env, tmp_path):
    env.setenv("COURSESITE_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True})
    with app.app_context():
        assert not db.engine.pool._pre_ping
