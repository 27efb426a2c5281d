"""What the posting views share: how a visitor or a lapsed session is turned away from a writing view."""

from __future__ import annotations

from functools import wraps

from flask import jsonify
from flask_login import current_user

from coursesite.errors import _wants_json as wants_json
from coursesite.extensions import login_manager

LOGGED_OUT = ("You are logged out, so this was not saved to the server. Your text is kept in this browser: "
              "log in again (in another tab) and saving resumes.")


def login_or_401(view):
    """Visitors go to the login page; a script (autosave, preview) gets a 401 it can explain instead."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            if wants_json():
                return jsonify(error="logged_out", message=LOGGED_OUT), 401
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapped
