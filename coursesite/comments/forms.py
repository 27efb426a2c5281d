from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField


class CommentForm(FlaskForm):
    """The comment box. Its rules (required, length, repeats) live in discussion/comments.py, so the
    messages are the same however the comment arrives; the form checks the CSRF token."""

    body = TextAreaField("Comment")
    parent_id = HiddenField()
