"""Friendly error pages in the site's layout; JSON for JSON clients."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Go back, check what you entered and try again."),
    403: ("Not allowed", "You do not have permission to see this page."),
    404: ("Page not found", "There is nothing here. The address may be mistyped, or the page was removed."),
    405: ("Not allowed here", "That action is not available at this address."),
    413: ("Too large", "What you sent is larger than this site accepts. Try a smaller file or shorter text."),
    429: ("Too many requests", "You are going a little fast. Wait a minute, then try again."),
    500: ("Something went wrong", "The error was logged. Nothing you wrote was saved halfway; please try again."),
}


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def render_error(code: int, message: str | None = None):
    title, default = MESSAGES.get(code, ("Error", "Something went wrong."))
    text = message or default
    if _wants_json():
        return jsonify(error=title, message=text), code
    return render_template("errors/error.html", code=code, title=title, message=text), code


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return render_error(
            400,
            "This form was open for too long or came from another page, so it was not accepted. "
            "Reload the page and send it again.",
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if error.code == 429:
            return render_error(429)
        return render_error(error.code)

    @app.errorhandler(InternalServerError)
    def _server_error(error):
        db.session.rollback()
        return render_error(500)
