"""Forms of the LTI pages: registering an LMS, linking its course, picking an assignment for a link."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import FloatField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from coursesite.forms import strip
from coursesite.lti.models import LMS_ID_LENGTH, URL_LENGTH


def https_url(form, field) -> None:
    parts = urlsplit(field.data or "")
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError("Enter the full address, starting with https://.")


def deployment_ids(text: str) -> list[str]:
    """One deployment id a line (or separated by commas), blanks and repeats dropped."""
    seen: list[str] = []
    for part in (text or "").replace(",", "\n").splitlines():
        part = part.strip()
        if part and part not in seen:
            seen.append(part)
    return seen


def _deployments_valid(form, field) -> None:
    ids = deployment_ids(field.data)
    if not ids:
        raise ValidationError("Enter at least one deployment id.")
    if any(len(i) > LMS_ID_LENGTH for i in ids):
        raise ValidationError(f"A deployment id has at most {LMS_ID_LENGTH} characters.")


def _url_field(label: str) -> StringField:
    return StringField(label, validators=[DataRequired(), Length(max=URL_LENGTH), https_url], filters=[strip])


class PlatformForm(FlaskForm):
    issuer = StringField("Issuer", validators=[DataRequired(), Length(max=LMS_ID_LENGTH)], filters=[strip])
    client_id = StringField("Client id", validators=[DataRequired(), Length(max=LMS_ID_LENGTH)], filters=[strip])
    auth_login_url = _url_field("Authentication (OIDC) request URL")
    auth_token_url = _url_field("Access token URL")
    key_set_url = _url_field("Public key set (JWKS) URL")
    auth_audience = StringField("Token audience (D2L: the Brightspace OAuth2 Audience; others: leave empty)",
                                validators=[Optional(), Length(max=URL_LENGTH)], filters=[strip])
    deployment_ids = TextAreaField("Deployment ids (one a line)", validators=[_deployments_valid])


class LinkCourseForm(FlaskForm):
    course = RadioField("Course", validators=[DataRequired(message="Choose a course, or a new one.")])


class DeepLinkForm(FlaskForm):
    assignment = RadioField("Assignment", validators=[Optional()])
    new_title = StringField("Or a new assignment titled", validators=[Optional(), Length(max=200)],
                            filters=[strip])
    new_points = FloatField("Its points (essay)", validators=[Optional(), NumberRange(min=0, max=10000)],
                            default=10)
