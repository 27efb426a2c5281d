"""Security headers, signed session cookies, the CSRF check that every state-changing request passes, and
same-site redirect targets."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_url
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from coursesite.extensions import csrf, login_manager

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


def cross_site_post(view):
    """Mark a view another site posts to by design (an LMS's LTI login and launch): no CSRF token can come with
    it. Its protection is what the view checks itself: the LMS-signed id_token, the nonce and the state."""
    view.csrf_exempt_cross_site = True
    return view


def init_security(app: Flask) -> None:
    @app.before_request
    def _check_csrf() -> None:
        if request.method in SAFE_METHODS or not current_app.config.get("WTF_CSRF_ENABLED", True):
            return
        if request.routing_exception is not None:
            return  # let the 404 or 405 answer
        view = current_app.view_functions.get(request.endpoint or "")
        if view is not None and (getattr(view, "csrf_checked_by_form", False)
                                 or getattr(view, "csrf_exempt_cross_site", False)):
            return
        csrf.protect()

    @app.after_request
    def _headers(response):
        # is_anonymous reads no column: after a commit, is_authenticated would load the user's row again.
        if "Cache-Control" not in response.headers and not current_user.is_anonymous:
            response.headers["Cache-Control"] = SIGNED_IN_PAGE
        return add_security_headers(response, current_app.config)


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000")
# What a signed-in reader is shown (grades, names, held comments) is never stored by the browser: on a shared
# computer, Back after logging out would show it again from the browser's cache, which serves history
# navigations without asking the server. Views that decide their own caching say so themselves.
SIGNED_IN_PAGE = "private, no-store"


def add_security_headers(response: Response, config) -> Response:
    """Each header unless the view set its own (one pass over the headers: this runs on every response)."""
    present = {name.lower() for name, _ in response.headers.items()}
    wanted = (*SECURITY_HEADERS, HSTS) if config.get("SESSION_COOKIE_SECURE") else SECURITY_HEADERS
    response.headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
    return response


FORM_AFTER_LOGIN_ENDED = "Your login has ended. Log in again, then send the form once more."


def login_to_continue(back_to: str | None = None, message: str | None = None) -> Response:
    """The login page, then back where the reader was (Flask-Login's unauthorized handler). A form sent after the
    login ended (a logout in another tab or browser ends every login) comes back to the page it was sent from,
    not to its own address, which only takes forms."""
    view = login_manager.login_view
    if back_to is None and request.method in SAFE_METHODS:
        flash(message or login_manager.login_message, login_manager.login_message_category)
        return redirect(login_url(view, next_url=request.url))
    back_to = back_to or same_site_referrer()
    flash(message or FORM_AFTER_LOGIN_ENDED, login_manager.login_message_category)
    return redirect(url_for(view, next=back_to) if back_to else url_for(view))


def same_site_referrer() -> str | None:
    """The path (and query) of the page this request was sent from, when that page is on this site and can be
    opened again: a page shown in answer to a form (a confirmation) has an address that only takes forms."""
    referrer = urlsplit(request.referrer or "")
    root = request.script_root
    if referrer.netloc != request.host or not (referrer.path + "/").startswith(root + "/"):
        return None
    try:
        current_app.url_map.bind_to_environ(request.environ).match(referrer.path[len(root):] or "/", method="GET")
    except RequestRedirect:
        pass  # opened again, it redirects (a missing slash): still a page
    except HTTPException:
        return None
    path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return safe_next(path, "") or None


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths: never another host, a scheme, or a protocol-relative //host."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    # Browsers drop tabs and newlines inside URLs ("/\t/evil.com" becomes "//evil.com"), and read "\\" as "/".
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return default
    return target
