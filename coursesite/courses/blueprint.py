"""The courses blueprint, shared by its view modules (course and roster, assignments, my work, copy)."""

from flask import Blueprint

bp = Blueprint("courses", __name__)
