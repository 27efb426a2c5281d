"""Dashboard forms. They parse what was typed; the rules (ranges, reasons, rubric totals) are in services."""

from __future__ import annotations

import math

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, FieldList, Form, FormField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import Length
from wtforms.widgets import TextInput

from coursesite.forms import id_from
from coursesite.grading.rubrics import MAX_LEVELS, CriterionRow, LevelRow
from coursesite.grading.rules import Criterion, criterion_field, points_text

try:
    from wtforms.fields.choices import SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) pairs

    def SelectChoice(value: str, label: str) -> tuple[str, str]:  # stands in for the class
        return value, label


def csrf_failed(form: FlaskForm) -> bool:
    """The form's token was refused: show the form again with what was typed, and check nothing else."""
    token = getattr(form, "csrf_token", None)
    return bool(token is not None and token.errors)


class NumberField(Field):
    """A number or a blank (None). Typed as text so the server, not the browser, explains what is wrong."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return points_text(self.data) if isinstance(self.data, int | float) else ""

    def process_formdata(self, valuelist) -> None:
        text = (valuelist[0] if valuelist else "").strip().replace(",", ".")
        self.data = None
        if not text:
            return
        try:
            value = float(text)
        except ValueError:
            raise ValueError("Enter a number, like 7 or 7.5.") from None
        if not math.isfinite(value):
            raise ValueError("Enter a number, like 7 or 7.5.")
        self.data = value


class WholeNumberField(NumberField):
    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data is not None:
            if self.data != int(self.data):
                self.data = None
                raise ValueError("Enter a whole number.")
            self.data = int(self.data)


class LevelForm(Form):
    name = StringField("Level", validators=[Length(max=100)])
    points = NumberField("Level points")

    def row(self) -> LevelRow:
        return LevelRow(name=self.name.data or "", points=self.points.data)


LEVEL_ROWS = 3  # offered for each criterion, e.g. Excellent, Good, Weak


class CriterionForm(Form):
    criterion_id = HiddenField()
    title = StringField("Title", validators=[Length(max=200)])
    description = TextAreaField("Description", validators=[Length(max=2000)], render_kw={"rows": 2})
    points = NumberField("Points")
    position = WholeNumberField("Order")
    remove = BooleanField("Remove")
    levels = FieldList(FormField(LevelForm), min_entries=LEVEL_ROWS, max_entries=MAX_LEVELS)

    def row(self) -> CriterionRow:
        raw_id = (self.criterion_id.data or "").strip()
        return CriterionRow(
            id=id_from(raw_id),
            title=self.title.data or "",
            description=self.description.data or "",
            points=self.points.data,
            position=self.position.data,
            remove=bool(self.remove.data),
            levels=tuple(entry.form.row() for entry in self.levels),
        )


class RubricForm(FlaskForm):
    mode = RadioField(
        "How is the essay scored?",
        choices=[SelectChoice("rubric", "With a rubric: the criteria below"),
                 SelectChoice("single", "With a single score")],
        default="single",
    )
    criteria = FieldList(FormField(CriterionForm), min_entries=0, max_entries=40)


class GradeFormBase(FlaskForm):
    essay_score = NumberField("Essay score")
    comment_override = NumberField("Replace the comment score with")
    override_reason = TextAreaField("Reason for replacing it", validators=[Length(max=500)], render_kw={"rows": 2})
    feedback = TextAreaField("Private feedback", validators=[Length(max=20000)], render_kw={"rows": 8})
    version = HiddenField()

    def expected_version(self) -> int:
        raw = (self.version.data or "").strip()
        version = id_from(raw)
        return -1 if version is None else version

    def awarded(self, criteria: list[Criterion]) -> dict[int, float | None]:
        """Each criterion's points: those typed, else those of the level picked."""
        return {c.id: self[criterion_field(c.id)].data if self[criterion_field(c.id)].data is not None
                else self.picked_level_points(c) for c in criteria}

    def picked_level_points(self, criterion: Criterion) -> float | None:
        picked = self[level_field(criterion.id)].data if criterion.levels else None
        if not picked or not picked.isdigit() or int(picked) >= len(criterion.levels):
            return None  # none picked (or not one of the levels offered)
        return criterion.levels[int(picked)].points

    def level_conflicts(self, criteria: list[Criterion]) -> dict[str, str]:
        """A level picked and other points typed for the same criterion: which one was meant is unclear."""
        return {criterion_field(c.id): f"You picked a level of {c.title} and typed other points: keep one of them."
                for c in criteria if self.picked_level_points(c) is not None
                and self[criterion_field(c.id)].data not in (None, self.picked_level_points(c))}


NO_LEVEL = ""


def level_field(criterion_id: int) -> str:
    return f"criterion_{criterion_id}_level"


def grade_form_class(criteria: list[Criterion]) -> type[GradeFormBase]:
    """The grading form for an assignment: per rubric criterion its levels to pick from and a points field."""

    class GradeForm(GradeFormBase):
        pass

    for criterion in criteria:
        label = f"{criterion.title} (out of {points_text(criterion.points)})"
        if criterion.levels:
            # "No level" last, checked when none is: a level picked by mistake can be taken back (a radio
            # button once checked cannot be unchecked), and the levels keep their numbers.
            choices = [*(SelectChoice(str(n), f"{level.name}: {points_text(level.points)}")
                         for n, level in enumerate(criterion.levels)), SelectChoice(NO_LEVEL, "No level")]
            setattr(GradeForm, level_field(criterion.id),
                    RadioField(label, choices=choices, default=NO_LEVEL, validate_choice=False))
            label = f"Or type points for {criterion.title} (0 to {points_text(criterion.points)})"
        setattr(GradeForm, criterion_field(criterion.id), NumberField(label))
    return GradeForm
