from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from coursesite.forms import choices, strip
from coursesite.models.user import NOTIFY_CHOICES
from coursesite.people.accounts import NAME_MAX_CHARS, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS

PASSWORD_RULES = [
    DataRequired(),
    Length(min=PASSWORD_MIN_CHARS, message=f"Use at least {PASSWORD_MIN_CHARS} characters."),
    Length(max=PASSWORD_MAX_CHARS, message=f"Use at most {PASSWORD_MAX_CHARS} characters."),
]


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)], filters=[strip])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX_CHARS)])
    remember = BooleanField("Remember me")


class SignupForm(FlaskForm):
    email = EmailField(
        "Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)], filters=[strip]
    )
    display_name = StringField("Your name", validators=[DataRequired(), Length(max=NAME_MAX_CHARS)], filters=[strip])
    password = PasswordField("Password", validators=PASSWORD_RULES)
    confirm = PasswordField(
        "Password again", validators=[DataRequired(), EqualTo("password", message="The passwords differ.")]
    )
    join_code = StringField("Course join code (optional)", validators=[Optional(), Length(max=16)], filters=[strip])


class ProfileForm(FlaskForm):
    display_name = StringField("Your name", validators=[DataRequired(), Length(max=NAME_MAX_CHARS)], filters=[strip])
    notify_email = RadioField(
        "Email me about comments on my essays and replies to my comments",
        choices=choices(
            zip(NOTIFY_CHOICES, ("In a daily digest", "As each one arrives", "Never (see them under Notifications)"),
                strict=True)
        ),
    )
    wants_reminders = BooleanField("Remind me before my own deadlines, by email and under Notifications")
    wants_staff_digest = BooleanField("Courses I teach or assist: email me a weekly digest of what needs me")


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    password = PasswordField("New password", validators=PASSWORD_RULES)
    confirm = PasswordField(
        "New password again", validators=[DataRequired(), EqualTo("password", message="The passwords differ.")]
    )


class ResetRequestForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)], filters=[strip])


class NewPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=PASSWORD_RULES)
    confirm = PasswordField(
        "New password again", validators=[DataRequired(), EqualTo("password", message="The passwords differ.")]
    )


class InvitationForm(NewPasswordForm):
    display_name = StringField("Your name", validators=[DataRequired(), Length(max=NAME_MAX_CHARS)], filters=[strip])
