"""Programme settings, proposal decisions and the review filters."""

from __future__ import annotations

from typing import Any, cast

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.forms.fields import date_field, text
from portal.forms.filters import FilterForm
from portal.forms.validators import clean_text, date_within, years_from_today
from portal.i18n import lazy_text as _l
from portal.models import ProgrammeKind, ProposalStatus
from portal.programmes import matcher
from portal.programmes.services import SCHOOL_LOCKED, ProgrammeSettings
from portal.relationships import support

KIND_LABELS = {
    ProgrammeKind.MENTORING: _l("Mentoring"),
    ProgrammeKind.PROJECTS: _l("Community projects"),
    ProgrammeKind.BOTH: _l("Mentoring and community projects"),
}
WEIGHT_PREFIX = "weight_"
TERM_YEARS = 5  # a term is planned at most this far ahead, or kept this long after
_TERM_DATES = date_within(years_from_today(-TERM_YEARS), years_from_today(TERM_YEARS))

MAX_GOAL_TEMPLATES = 8


class LinesField(TextAreaField):
    """A list of short sentences, one a line (blank lines dropped)."""

    data: list[str]

    def _value(self) -> str:
        return "\n".join(self.data or [])

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Split the text into stripped, non-empty lines."""
        text = valuelist[0] if valuelist else ""
        self.data = [line.strip() for line in str(text).splitlines() if line.strip()]

    def process_data(self, value: Any) -> None:
        """A list from the model (or nothing)."""
        self.data = list(value or [])


def _or_default(value: int | None, name: str) -> int:
    """A schedule field's value; the default schedule's when left empty."""
    return int(value) if value is not None else int(support.DEFAULT_SCHEDULE[name])


class ProgrammeForm(FlaskForm):
    school_id = SelectField(_l("School"), coerce=int, validators=[InputRequired()])
    name = text(_l("Name"), 160)
    kind = SelectField(
        _l("Kind"),
        choices=[(str(k), label) for k, label in KIND_LABELS.items()],
        default="mentoring",
    )
    starts_on = date_field(_l("Term starts"), _TERM_DATES)
    ends_on = date_field(_l("Term ends"), _TERM_DATES)
    min_score = DecimalField(
        _l("Minimum score"),
        places=2,
        default=0.2,
        validators=[InputRequired(), NumberRange(min=0, max=1)],
    )
    require_common_slot = BooleanField(_l("Require at least one common free slot"), default=True)
    require_common_language = BooleanField(_l("Require at least one common language"), default=True)
    quiet_weeks = IntegerField(
        _l("Quiet after (weeks)"),
        default=4,
        validators=[InputRequired(), NumberRange(min=1, max=52)],
    )
    support_first_month = IntegerField(
        "Support contacts in a match's first month",
        default=2,
        validators=[Optional(), NumberRange(min=0, max=6)],
    )
    support_then_days = IntegerField(
        "Then one support contact every (days)",
        default=30,
        validators=[Optional(), NumberRange(min=7, max=120)],
    )
    meeting_info = text(_l("How and when the programme meets"), 1000, required=False, area=True)
    requires_training = BooleanField(_l("Mentors need a recorded training before they are matched"))
    goal_templates = LinesField(_l("Goal suggestions for new pairs (one a line)"))

    def validate_goal_templates(self, field: Any) -> None:
        """A handful of short goals, plain text."""
        if len(field.data) > MAX_GOAL_TEMPLATES:
            raise ValidationError(f"Give at most {MAX_GOAL_TEMPLATES} goals.")
        for line in field.data:
            if len(line) > 200:
                raise ValidationError(_l("Keep each goal under 200 characters."))
            clean_text(self, cast("Any", _Line(line)))

    locked_school_id: int | None = None  # set by the view once the programme has runs

    def validate_school_id(self, field: Any) -> None:
        """A programme with runs keeps its school."""
        if self.locked_school_id is not None and field.data != self.locked_school_id:
            raise ValidationError(SCHOOL_LOCKED)

    def validate_ends_on(self, field: Any) -> None:
        """The term ends after it starts."""
        if self.starts_on.data and field.data and field.data <= self.starts_on.data:
            raise ValidationError(_l("The term must end after it starts."))

    def weight_fields(self) -> list[tuple[Any, str]]:
        """Each criterion's weight field with its plain-words description."""
        return [(self[WEIGHT_PREFIX + name], text) for name, text in matcher.criteria().items()]

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then: at least one weight above 0."""
        ok = bool(super().validate(extra_validators))
        if ok and not any((field.data or 0) > 0 for field, _ in self.weight_fields()):
            self[WEIGHT_PREFIX + next(iter(matcher.criteria()))].errors.append(
                _l("Give at least one criterion a weight above 0.")
            )
            return False
        return ok

    def values(self) -> ProgrammeSettings:
        """The programme's settings, as the services take them."""
        return ProgrammeSettings(
            school_id=self.school_id.data,
            name=self.name.data,
            kind=ProgrammeKind(self.kind.data),
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            min_score=float(self.min_score.data or 0),
            require_common_slot=bool(self.require_common_slot.data),
            require_common_language=bool(self.require_common_language.data),
            quiet_weeks=self.quiet_weeks.data,
            meeting_info=self.meeting_info.data or "",
            requires_training=bool(self.requires_training.data),
            goal_templates=list(self.goal_templates.data),
            support_schedule={
                "first_month": _or_default(self.support_first_month.data, "first_month"),
                "then_days": _or_default(self.support_then_days.data, "then_days"),
            },
            weights={
                name: float(self[WEIGHT_PREFIX + name].data or 0) for name in matcher.criteria()
            },
        )


class _Line:
    """One line of a ``LinesField``, shaped like a field for ``clean_text``."""

    def __init__(self, data: str) -> None:
        self.data = data


# One weight field per criterion the matcher knows (its defaults are the form's defaults).
for _name, _default in matcher.default_weights().items():
    setattr(
        ProgrammeForm,
        WEIGHT_PREFIX + _name,
        DecimalField(
            _name.capitalize(),
            places=1,
            default=_default,
            validators=[InputRequired(), NumberRange(min=0, max=10)],
        ),
    )


class RejectForm(FlaskForm):
    reason = text(_l("Reason"), 500)
    forbid = BooleanField(_l("Forbid this pair in later runs"))


class SwapForm(FlaskForm):
    """Pick the proposal whose partner this proposal takes (and gives its own in return)."""

    other = SelectField(_l("Swap partners with"), coerce=int, validators=[InputRequired()])


class ActionForm(FlaskForm):
    """A button-only form (approve, pin): only its CSRF token."""


class BulkApproveForm(FlaskForm):
    min_score = DecimalField(
        _l("Approve every proposal scoring at least"),
        places=2,
        validators=[InputRequired(), NumberRange(min=0, max=1)],
    )
    confirm = BooleanField(
        _l("I understand: every approved pair becomes a match at once, and both sides are told"),
        validators=[DataRequired(_l("Tick this box to confirm: approvals cannot be undone here."))],
    )


class ReviewFilterForm(FilterForm):
    """The review list's filters."""

    status = SelectField(
        _l("Status"),
        choices=[("", _l("Any")), *[(str(s), str(s).capitalize()) for s in ProposalStatus]],
        default="",
        validators=[Optional()],
    )
    kind = SelectField(
        _l("Kind"),
        choices=[("", _l("Any")), ("mentor", _l("Mentors")), ("project", _l("Projects"))],
        default="",
        validators=[Optional()],
    )
    min_score = DecimalField(
        _l("Lowest score"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=1)],
        id="filter-min-score",  # the bulk-approve form on the same page has its own min_score
    )
    q = text(_l("Name"), 80, required=False, clean=False)  # only looked up
