"""Forms for assignments, their section dates and exceptions, and copying a course.

Times are typed in the course's zone in <input type=datetime-local>; `LocalDateTimeField` also reads
the DST-overlap choice ("the first 1:30 am (EDT)" / "the second") sent beside it as `<name>_fold`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import NumberInput

from coursesite.forms import BoundedDateTimeField, choices, coerce_id, strip
from coursesite.text import timefmt

INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
LATE_POLICY_CHOICES = choices([
    ("accept", "Accept late essays, marked late"),
    ("penalty", "Accept late essays with a penalty per day"),
    ("closed", "Refuse essays after the deadline (and grace period)"),
])
PEER_MODE_CHOICES = choices([
    ("open", "Open: students comment on any classmate’s essay"),
    ("assigned", "Assigned: each student is given essays to comment on"),
])
PEER_SCOPE_CHOICES = choices([("course", "The whole course"), ("section", "Their own section")])


class LocalDateTimeField(BoundedDateTimeField):
    """A wall-clock time in the course's zone (naive `data`), plus the overlap choice if one was sent."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", INPUT_FORMATS)
        super().__init__(label, validators or [Optional()], **kwargs)
        self.fold: int | None = None
        self.fold_choices: list[tuple[str, str]] = []

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        raw = formdata.get(f"{self.name}_fold") if formdata else None
        self.fold = int(raw) if raw in ("0", "1") else None

    def show_local(self, value: datetime | None, tz_name: str) -> None:
        """Fill the field with a stored UTC time, keeping which of two repeated hours it is."""
        if value is None:
            self.data = None
            return
        local = timefmt.to_local(value, tz_name)
        self.data = local.replace(tzinfo=None, fold=0)
        choices = overlap_choices(self.data, tz_name)
        if choices:
            self.fold, self.fold_choices = local.fold, choices

    def to_utc(self, tz_name: str) -> datetime | None:
        """The typed time in UTC; on a DST gap or overlap, adds the field error (and the choice) and raises."""
        if self.data is None:
            return None
        try:
            return timefmt.local_to_utc(self.data, tz_name, self.fold)
        except timefmt.AmbiguousLocalTime as error:
            self.fold_choices = overlap_choices(self.data, tz_name)
            self._add_error(f"{error}.")
            raise
        except timefmt.LocalTimeError as error:
            self._add_error(f"{error}.")
            raise

    def _add_error(self, message: str) -> None:
        self.errors = [*self.errors, message]


def overlap_choices(naive: datetime, tz_name: str) -> list[tuple[str, str]]:
    """For a time that happens twice: [("0", "the first 1:30 am (EDT)"), ("1", "the second 1:30 am (EST)")]."""
    tz = timefmt.zone(tz_name)
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return []
    clock = f"{naive.hour % 12 or 12}:{naive.minute:02d} {'am' if naive.hour < 12 else 'pm'}"
    return [("0", f"the first {clock} ({first.tzname()})"), ("1", f"the second {clock} ({second.tzname()})")]


def _count(label: str, maximum: int, default: int = 0) -> IntegerField:
    return IntegerField(
        label,
        validators=[NumberRange(min=0, max=maximum, message=f"Enter a whole number from 0 to {maximum}.")],
        default=default,
        widget=NumberInput(min=0, max=maximum),
    )


class PointsField(DecimalField):
    """A non-negative number shown without a needless '.0'."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        # Decimal also reads "NaN", "sNaN" and "Infinity"; a signaling NaN cannot even be compared to a range.
        if isinstance(self.data, Decimal) and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{float(self.data):g}"


def _amount(label: str, maximum: float, default: float = 0) -> PointsField:
    return PointsField(
        label,
        places=None,
        validators=[NumberRange(min=0, max=maximum, message=f"Enter a number from 0 to {maximum:g}.")],
        default=default,
        widget=NumberInput(min=0, max=maximum, step="any"),
    )


class AssignmentForm(FlaskForm):
    title = StringField(
        "Title", validators=[DataRequired(message="Give the assignment a title."), Length(max=200)], filters=[strip]
    )
    prompt = TextAreaField("Prompt", validators=[Optional(), Length(max=50_000)])
    opens_at = LocalDateTimeField("Opens at")
    post_due_at = LocalDateTimeField("Essay due")
    comments_due_at = LocalDateTimeField("Comments due")
    # A new assignment starts as the demo course's do: required comments are worth points (10 for the essay,
    # 5 for 2 comments), never required for nothing.
    required_comments = _count("Comments required (K)", 50, 2)
    min_comment_words = _count("Minimum words per comment (M)", 5000, 50)
    min_post_words = _count("Minimum words per essay", 50_000, 0)
    post_points = _amount("Points for the essay", 10_000, 10)
    comment_points = _amount("Points for the comments", 10_000, 5)
    late_policy = RadioField("What happens to late essays", choices=LATE_POLICY_CHOICES, default="accept")
    grace_minutes = _count("Grace period (minutes)", 60 * 24 * 14, 0)
    penalty_percent_per_day = _amount("Penalty per started day after the grace period (%)", 100, 0)
    penalty_cap_percent = _amount("Largest penalty (%)", 100, 100)
    peer_mode = RadioField("Peer comments", choices=PEER_MODE_CHOICES, default="open")
    peer_scope = RadioField("Students comment within", choices=PEER_SCOPE_CHOICES, default="course")
    comments_counted_per_essay = IntegerField(
        "Comments counted per essay",
        validators=[NumberRange(min=1, max=20, message="Enter a whole number from 1 to 20.")],
        default=1,
        widget=NumberInput(min=1, max=20),
    )
    canvas_assignment_id = StringField(
        "Canvas assignment id",
        filters=[strip],
        validators=[Optional(), Length(max=64), Regexp(r"^\d+$", message="Canvas assignment ids are digits only.")],
    )

    DATETIME_FIELDS = ("opens_at", "post_due_at", "comments_due_at")
    NUMBER_FIELDS = (
        "required_comments", "min_comment_words", "min_post_words", "post_points", "comment_points",
        "grace_minutes", "penalty_percent_per_day", "penalty_cap_percent", "comments_counted_per_essay",
    )


class ExceptionsForm(FlaskForm):
    students = SelectMultipleField("Students", coerce=coerce_id, validate_choice=True)
    action = RadioField(
        "Action",
        choices=choices([
            ("extend", "Extend their deadlines"),
            ("excuse", "Excuse them from this assignment"),
            ("clear", "Remove their extensions and excusals"),
        ]),
        default="extend",
    )
    post_due_at = LocalDateTimeField("New essay deadline")
    comments_due_at = LocalDateTimeField("New comment deadline")
    reason = StringField("Reason (seen by staff only)", validators=[Optional(), Length(max=500)])
    # Set when removing exceptions waits for its confirmation box (coursesite.forms.confirmed).
    confirm_clearing = False


class CopyCourseForm(FlaskForm):
    title = StringField("Title of the new course", validators=[DataRequired(), Length(max=200)], filters=[strip])
    term = StringField("Term", validators=[Optional(), Length(max=80)], filters=[strip])
    slug = StringField("Address", validators=[DataRequired(), Length(max=64)], filters=[strip])
    weeks = IntegerField(
        "Move every date by this many weeks",
        validators=[NumberRange(min=-260, max=260, message="Enter a whole number of weeks from -260 to 260.")],
        default=0,
        widget=NumberInput(min=-260, max=260),
    )


def section_deadlines_form(sections, **kwargs) -> FlaskForm:
    """A form with an essay and a comment deadline for each section (`section_<id>_post`, `section_<id>_comments`)."""

    class SectionDeadlinesForm(FlaskForm):
        pass

    for section in sections:
        setattr(SectionDeadlinesForm, f"section_{section.id}_post", LocalDateTimeField("Essay due"))
        setattr(
            SectionDeadlinesForm, f"section_{section.id}_comments", LocalDateTimeField("Comments due")
        )
    return SectionDeadlinesForm(**kwargs)
