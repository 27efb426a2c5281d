from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from coursesite.essays.writing import MAX_TITLE_CHARS
from coursesite.forms import BoundedDateTimeField, coerce_id
from coursesite.models import MAX_ID


class PostForm(FlaskForm):
    title = StringField("Title", validators=[Length(max=MAX_TITLE_CHARS)])
    # The length limit is checked by the writing service, which says how long the text is.
    body = TextAreaField("Essay", render_kw={"rows": 18, "spellcheck": "true"})
    assignment_id = SelectField("Assignment", coerce=coerce_id, default=0)
    publish_at = BoundedDateTimeField("Publish at", format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                    validators=[Optional()])
    categories = StringField("Categories", validators=[Optional(), Length(max=700)])
    tags = StringField("Tags", validators=[Optional(), Length(max=700)])
    version = IntegerField(widget=HiddenInput(), default=0, validators=[Optional(), NumberRange(min=0, max=MAX_ID)])
    # The editor page's own random name (set by its script): see essays/writing.py.
    editor = StringField(widget=HiddenInput(), validators=[Optional(), Length(max=64)])

    @property
    def csrf_failed(self) -> bool:
        token = getattr(self, "csrf_token", None)  # absent when CSRF protection is off (tests)
        return bool(token is not None and token.errors)
