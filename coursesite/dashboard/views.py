"""The instructor's area: participation, grading and exports, for a course's staff only."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/c/<slug>/dashboard")
