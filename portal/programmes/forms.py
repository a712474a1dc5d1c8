"""Programme settings, proposal decisions and the review filters."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

import matching
from portal.forms.validators import clean_text, strip_filter
from portal.models import ProgrammeKind, ProposalStatus
from portal.relationships import support

KIND_LABELS = {
    ProgrammeKind.MENTORING: "Mentoring",
    ProgrammeKind.PROJECTS: "Community projects",
    ProgrammeKind.BOTH: "Mentoring and community projects",
}
WEIGHT_PREFIX = "weight_"


def _or_default(value: int | None, name: str) -> int:
    """A schedule field's value; the default schedule's when left empty."""
    return int(value) if value is not None else int(support.DEFAULT_SCHEDULE[name])


class ProgrammeForm(FlaskForm):
    school_id = SelectField("School", coerce=int, validators=[InputRequired()])
    name = StringField(
        "Name",
        validators=[DataRequired(), Length(max=160), clean_text],
        filters=[strip_filter],
    )
    kind = SelectField(
        "Kind", choices=[(str(k), label) for k, label in KIND_LABELS.items()], default="mentoring"
    )
    starts_on = DateField("Term starts", validators=[InputRequired()])
    ends_on = DateField("Term ends", validators=[InputRequired()])
    min_score = DecimalField(
        "Minimum score",
        places=2,
        default=0.2,
        validators=[InputRequired(), NumberRange(min=0, max=1)],
    )
    require_common_slot = BooleanField("Require at least one common free slot", default=True)
    require_common_language = BooleanField("Require at least one common language", default=True)
    quiet_weeks = IntegerField(
        "Quiet after (weeks)", default=4, validators=[InputRequired(), NumberRange(min=1, max=52)]
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
    meeting_info = TextAreaField(
        "How and when the programme meets",
        validators=[Optional(), Length(max=1000), clean_text],
        filters=[strip_filter],
    )

    def validate_ends_on(self, field: Any) -> None:
        """The term ends after it starts."""
        if self.starts_on.data and field.data and field.data <= self.starts_on.data:
            raise ValidationError("The term must end after it starts.")

    def weight_fields(self) -> list[tuple[Any, str]]:
        """Each criterion's weight field with its plain-words description."""
        return [(self[WEIGHT_PREFIX + name], text) for name, text in matching.CRITERIA.items()]

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then: at least one weight above 0."""
        ok = bool(super().validate(extra_validators))
        if ok and not any((field.data or 0) > 0 for field, _ in self.weight_fields()):
            self[WEIGHT_PREFIX + next(iter(matching.CRITERIA))].errors.append(
                "Give at least one criterion a weight above 0."
            )
            return False
        return ok

    def values(self) -> dict[str, Any]:
        """The programme's fields, as the services take them."""
        return {
            "school_id": self.school_id.data,
            "name": self.name.data,
            "kind": ProgrammeKind(self.kind.data),
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "min_score": float(self.min_score.data or 0),
            "require_common_slot": bool(self.require_common_slot.data),
            "require_common_language": bool(self.require_common_language.data),
            "quiet_weeks": self.quiet_weeks.data,
            "meeting_info": self.meeting_info.data or "",
            "support_schedule": {
                "first_month": _or_default(self.support_first_month.data, "first_month"),
                "then_days": _or_default(self.support_then_days.data, "then_days"),
            },
            "weights": {
                name: float(self[WEIGHT_PREFIX + name].data or 0) for name in matching.CRITERIA
            },
        }


# One weight field per criterion the matcher knows (its defaults are the form's defaults).
for _name, _default in matching.DEFAULT_WEIGHTS.items():
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
    reason = StringField(
        "Reason",
        validators=[DataRequired(), Length(max=500), clean_text],
        filters=[strip_filter],
    )
    forbid = BooleanField("Forbid this pair in later runs")


class SwapForm(FlaskForm):
    """Pick the proposal whose partner this proposal takes (and gives its own in return)."""

    other = SelectField("Swap partners with", coerce=int, validators=[InputRequired()])


class ActionForm(FlaskForm):
    """A button-only form (approve, pin): only its CSRF token."""


class BulkApproveForm(FlaskForm):
    min_score = DecimalField(
        "Approve every proposal scoring at least",
        places=2,
        validators=[InputRequired(), NumberRange(min=0, max=1)],
    )


class ReviewFilterForm(FlaskForm):
    """The review list's filters (a GET form: no CSRF)."""

    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        choices=[("", "Any"), *[(str(s), str(s).capitalize()) for s in ProposalStatus]],
        default="",
        validators=[Optional()],
    )
    kind = SelectField(
        "Kind",
        choices=[("", "Any"), ("mentor", "Mentors"), ("project", "Projects")],
        default="",
        validators=[Optional()],
    )
    min_score = DecimalField(
        "Min score", places=2, validators=[Optional(), NumberRange(min=0, max=1)]
    )
    q = StringField("Name", validators=[Optional(), Length(max=80)], filters=[strip_filter])
