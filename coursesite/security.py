"""Security headers, signed session cookies, and the CSRF check that every state-changing request passes."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

from .extensions import csrf

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

# A form re-shown after its token was refused (a new session, another tab): nothing saved, the text kept.
CSRF_REFUSED_KEPT = (
    "This form came from an old session or another page, so it was not saved. "
    "What you typed is kept below: check it and send it again."
)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def form_checks_csrf(view):
    """Mark a view whose FlaskForm checks the CSRF token itself.

    Such a view re-renders the form with the typed text kept when the token is rejected;
    every other state-changing request is refused before the view runs.
    """
    view.csrf_checked_by_form = True
    return view


def init_security(app: Flask) -> None:
    @app.before_request
    def _check_csrf() -> None:
        if request.method in SAFE_METHODS or not current_app.config.get("WTF_CSRF_ENABLED", True):
            return
        if request.routing_exception is not None:
            return  # let the 404 or 405 answer
        view = current_app.view_functions.get(request.endpoint or "")
        if view is not None and getattr(view, "csrf_checked_by_form", False):
            return
        csrf.protect()

    @app.after_request
    def _headers(response):
        return add_security_headers(response, current_app.config)


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000")


def add_security_headers(response: Response, config) -> Response:
    """Each header unless the view set its own (one pass over the headers: this runs on every response)."""
    present = {name.lower() for name, _ in response.headers.items()}
    wanted = (*SECURITY_HEADERS, HSTS) if config.get("SESSION_COOKIE_SECURE") else SECURITY_HEADERS
    response.headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
    return response
