"""Friendly error pages in the site's layout; JSON for JSON clients."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from coursesite.extensions import db

log = logging.getLogger("coursesite.errors")

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Go back, check what you entered and try again."),
    403: ("Not allowed", "You do not have permission to see this page."),
    404: ("Page not found", "There is nothing here. The address may be mistyped, or the page was removed."),
    405: ("Not allowed here", "That action is not available at this address."),
    413: ("Too large", "What you sent is larger than this site accepts. Try a smaller file or shorter text."),
    429: ("Too many requests", "You are going a little fast. Wait a few minutes, then try again."),
    500: ("Something went wrong", "The error was logged. Nothing you wrote was saved halfway; please try again."),
}

CSRF_MESSAGE = (
    "This form came from another page or an old session, so it was not accepted. "
    "Go back, reload the page and send it again."
)

# Headers an error response must keep: what a 405 allows, when a 429 may retry.
KEPT_HEADERS = ("Allow", "Retry-After")


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def render_error(code: int, message: str | None = None, headers: dict | None = None):
    title, default = MESSAGES.get(code, ("Error", "Something went wrong."))
    text = message or default
    if _wants_json():
        return jsonify(error=title, message=text), code, headers or {}
    return render_template("errors/error.html", code=code, title=title, message=text), code, headers or {}


def _kept_headers(error: HTTPException) -> dict:
    original = error.get_response().headers
    return {name: original[name] for name in KEPT_HEADERS if name in original}


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return render_error(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code, headers=_kept_headers(error))

    @app.errorhandler(InternalServerError)
    def _server_error(error: InternalServerError):
        # Whatever the failed request left in the session must not ride along into the next one.
        db.session.rollback()
        log.error("500 on %s %s", request.method, request.path, exc_info=error.original_exception)
        return render_error(500)
