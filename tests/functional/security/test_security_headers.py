"""Response headers and session cookies: what a browser is told to enforce on every page."""

from __future__ import annotations

import pytest

from tests import factories as f


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0].lower()] = words[1:]
    return parsed


def pages(client, course) -> list:
    responses = []
    for path in ("/", "/auth/login", f"/c/{course.slug}/", "/no-such-page", "/static/css/site.css"):
        response = client.get(path)
        response.close()  # static files are streamed from an open file
        responses.append(response)
    return responses


def test_every_response_carries_a_strict_content_security_policy(client):
    course = f.make_course()
    for response in pages(client, course):
        csp = directives(response.headers["Content-Security-Policy"])
        scripts = csp.get("script-src", csp.get("default-src"))
        assert scripts is not None, "no script-src and no default-src"
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, scripts
        assert "*" not in scripts and not any(s.startswith(("http:", "https:", "data:")) for s in scripts)
        assert csp["frame-ancestors"] in (["'none'"], ["'self'"])
        assert csp["object-src"] == ["'none'"]
        assert csp["base-uri"] in (["'self'"], ["'none'"])
        assert csp.get("form-action") == ["'self'"]


def test_every_response_sets_the_other_protective_headers(client):
    course = f.make_course()
    for response in pages(client, course):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin", "no-referrer"}
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in response.headers, "HSTS only in production, over HTTPS"


def session_cookie_header(response) -> str:
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert cookies, f"no session cookie was set: {response.headers.getlist('Set-Cookie')}"
    return cookies[-1]


def attributes(cookie: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}


def test_the_session_cookie_is_httponly_and_samesite_but_not_secure_in_development(client):
    user = f.make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": f.DEFAULT_PASSWORD})
    assert response.status_code == 302
    cookie = session_cookie_header(response)
    assert {"httponly", "samesite"} <= attributes(cookie)
    assert "samesite=lax" in cookie.lower().replace(" ", "")
    assert "secure" not in attributes(cookie)


class TestProduction:
    @pytest.fixture
    def app_config(self, base_config, tmp_path, monkeypatch):
        monkeypatch.setenv("COURSESITE_ENV", "production")
        monkeypatch.setenv("COURSESITE_SECRET_KEY", "a-production-secret-for-this-test")
        monkeypatch.setenv("COURSESITE_MAIL_TO_LOG", "1")
        monkeypatch.setenv("COURSESITE_BASE_URL", "https://coursesite.test")
        return {**base_config, "UPLOAD_FOLDER": str(tmp_path / "uploads")}

    def test_session_and_remember_cookies_are_secure(self, client):
        user = f.make_user()
        response = client.post("/auth/login", data={"email": user.email, "password": f.DEFAULT_PASSWORD,
                                                    "remember": "y"}, base_url="https://coursesite.test")
        assert response.status_code == 302
        for name in ("session", "remember_token"):
            cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}="))
            assert {"secure", "httponly", "samesite"} <= attributes(cookie), cookie

    def test_strict_transport_security_is_sent(self, client):
        response = client.get("/", base_url="https://coursesite.test")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        assert int(response.headers["Strict-Transport-Security"].split("=")[1].split(";")[0]) >= 15552000


def test_production_refuses_to_start_without_a_secret(base_config, monkeypatch, tmp_path):
    from coursesite import create_app
    from coursesite.config import ConfigError

    monkeypatch.setenv("COURSESITE_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("COURSESITE_ENV", "production")
    monkeypatch.setenv("COURSESITE_MAIL_TO_LOG", "1")
    monkeypatch.delenv("COURSESITE_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(base_config)
