"""Forms of the counselor area: background checks, declining a partner, students."""

from __future__ import annotations

import datetime as dt

from flask_wtf import FlaskForm
from wtforms import (
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

from portal.forms.validators import clean_text, strip_filter
from portal.models import CheckKind, ConsentStatus
from portal.signup.fields import number, text
from portal.vocabulary import GRADES

CHECK_KINDS = [
    (CheckKind.CRIMINAL_RECORD.value, "Criminal record check"),
    (CheckKind.FINGERPRINT.value, "Fingerprint check"),
    (CheckKind.CHILD_PROTECTION_REGISTER.value, "Child protection register"),
    (CheckKind.REFERENCES.value, "References"),
]
OUTCOMES = [("passed", "Passed"), ("failed", "Failed")]
CONSENT_LABELS = {
    ConsentStatus.NOT_NEEDED.value: "Not needed (adult)",
    ConsentStatus.AWAITING.value: "Awaiting consent",
    ConsentStatus.GIVEN.value: "Consent given",
    ConsentStatus.REFUSED.value: "Refused",
    ConsentStatus.WITHDRAWN.value: "Withdrawn",
}


class CheckForm(FlaskForm):
    """A background check as read from the certificate or the provider's letter."""

    kind = SelectField("Kind of check", choices=CHECK_KINDS, validators=[InputRequired()])
    reference = StringField(
        "Reference number",
        validators=[DataRequired(), Length(max=80), clean_text],
        filters=[strip_filter],
    )
    checked_on = DateField("Checked on", validators=[InputRequired()])
    expires_on = DateField("Expires on", validators=[InputRequired()])
    outcome = SelectField("Outcome", choices=OUTCOMES, validators=[InputRequired()])

    def validate_checked_on(self, field: DateField) -> None:
        if field.data and field.data > dt.date.today():
            raise ValidationError("The check date cannot be in the future.")

    def validate_expires_on(self, field: DateField) -> None:
        checked = self.checked_on.data
        if field.data is None:
            return
        if checked is not None and field.data <= checked:
            raise ValidationError("The expiry date must be after the check date.")
        if self.outcome.data == "passed" and field.data < dt.date.today():
            raise ValidationError("This check has already expired; record a current one.")


class DeclineForm(FlaskForm):
    """Why a partner is declined (sent to them)."""

    reason = TextAreaField(
        "Reason for declining",
        validators=[DataRequired(), Length(max=500), clean_text],
        filters=[strip_filter],
    )


class ApproveForm(FlaskForm):
    """Approving carries nothing but the CSRF token."""


class StudentFilterForm(FlaskForm):
    """Filters of the students list (a GET form: no CSRF, nothing changes)."""

    class Meta:
        csrf = False

    q = StringField(
        "Name", validators=[Optional(), Length(max=80), clean_text], filters=[strip_filter]
    )
    grade = IntegerField(
        "Grade", validators=[Optional(), NumberRange(min=min(GRADES), max=max(GRADES))]
    )
    consent = SelectField(
        "Consent",
        choices=[("", "Any"), *CONSENT_LABELS.items()],
        validators=[Optional()],
    )


class StudentDetailsForm(FlaskForm):
    """The school's record of a student: name and grade (a new school year moves grades)."""

    first_name = text("First name", 80)
    last_name = text("Last name", 80)
    grade = number("Grade", 6, 12)


class TrainingForm(FlaskForm):
    """A mentor training course, as on the attendance record or certificate."""

    course = StringField(
        "Course", validators=[DataRequired(), Length(max=160), clean_text], filters=[strip_filter]
    )
    completed_on = DateField("Completed on", validators=[InputRequired()])
    hours = DecimalField(
        "Hours", places=1, validators=[InputRequired(), NumberRange(min=0.5, max=200)]
    )

    def validate_completed_on(self, field: DateField) -> None:
        """A training is recorded once it happened."""
        if field.data and field.data > dt.date.today():
            raise ValidationError("The date cannot be in the future.")
