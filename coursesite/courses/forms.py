from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from coursesite.forms import choices, strip
from coursesite.models.course import MODERATION_CHOICES, ROLES

VISIBILITY_CHOICES = choices(
    [
        ("public", "Public: anyone can read the blog and its comments"),
        ("members", "Members only: only people in the course can read it"),
    ]
)
MODERATION_LABELS = ["Publish comments at once", "Hold a student's first comment", "Hold every student comment"]


class CourseForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)], filters=[strip])
    term = StringField("Term", validators=[Optional(), Length(max=80)], filters=[strip])
    slug = StringField("Address", validators=[DataRequired(), Length(max=64)], filters=[strip])
    timezone = StringField(
        "Time zone", validators=[DataRequired(), Length(max=64)], filters=[strip], default="America/New_York"
    )
    visibility = RadioField("Who can read the blog", choices=VISIBILITY_CHOICES, default="members")
    allow_indexing = BooleanField("Let search engines list the public blog")


class CourseSettingsForm(CourseForm):
    description = TextAreaField("About this course", validators=[Optional(), Length(max=5000)])
    comment_moderation = RadioField(
        "Comment approval", choices=choices(zip(MODERATION_CHOICES, MODERATION_LABELS, strict=True)), default="off"
    )
    comment_edit_minutes = IntegerField(
        "Minutes a comment stays editable", validators=[NumberRange(min=0, max=1440)], default=15
    )
    send_reminders = BooleanField("Remind students before their own deadlines (by email and a notice)",
                                  default=True)
    reminder_hours = IntegerField(
        "Hours before the deadline to remind them", validators=[Optional(), NumberRange(min=1, max=168)], default=24
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Blank is only refused for reminders being sent: turning them off needs no lead time.
        if self.send_reminders.data and self.reminder_hours.data is None and not self.reminder_hours.errors:
            self.reminder_hours.errors = ["Say how many hours before a deadline to remind students: 1 to 168."]
            return False
        return valid

    def populate_obj(self, obj) -> None:
        if self.reminder_hours.data is None:  # left blank with reminders off: the saved lead time stays
            self.reminder_hours.data = obj.reminder_hours
        super().populate_obj(obj)


class JoinForm(FlaskForm):
    code = StringField("Join code", validators=[DataRequired(), Length(max=16)], filters=[strip])


class WelcomeForm(FlaskForm):
    course_name = StringField("Name shown in this course", validators=[Optional(), Length(max=120)], filters=[strip])


class EnrollmentForm(FlaskForm):
    role = SelectField("Role", choices=choices((r, r.upper() if r == "ta" else r.title()) for r in ROLES))
    section = StringField("Section", validators=[Optional(), Length(max=80)], filters=[strip])
    course_name = StringField("Course display name", validators=[Optional(), Length(max=120)], filters=[strip])
    extra_minutes = IntegerField(
        "Extra time on every deadline (minutes)", validators=[Optional(), NumberRange(min=0, max=60 * 24 * 30)],
        default=0,
    )


class RosterUploadForm(FlaskForm):
    file = FileField("Roster file (CSV)", validators=[FileRequired("Choose a CSV file to upload.")])


class InvitationAnswerForm(FlaskForm):
    """Joining a course one was invited to, or not: buttons, so a link in an email never enrolls anyone."""

    accept = SubmitField("Join the course")
    decline = SubmitField("Decline")


class RosterConfirmForm(FlaskForm):
    payload = HiddenField()
