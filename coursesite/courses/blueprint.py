"""The courses blueprint object, shared by the view modules that register routes on it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("courses", __name__)
