"""The LTI blueprint: every LTI view module adds its routes to it; init_lti imports them all.
The view modules never import one another; what they share is in pages.py."""

from flask import Blueprint

bp = Blueprint("lti", __name__, url_prefix="/lti")
