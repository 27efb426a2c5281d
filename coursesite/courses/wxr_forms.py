from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField


class WxrImportForm(FlaskForm):
    file = FileField("WordPress export file (.xml)",
                     validators=[FileRequired("Choose the .xml file that WordPress's Tools → Export made.")])
    include_drafts = BooleanField("Also import drafts (they stay drafts)")
    include_pending = BooleanField("Also import comments awaiting approval (they are held for moderation)")
