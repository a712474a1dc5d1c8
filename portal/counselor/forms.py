"""Forms of the counselor area: background checks, declining a partner, students."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
)
from wtforms.validators import (
    InputRequired,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.counselor.services import StudentDetails
from portal.forms.fields import date_field, text
from portal.forms.filters import FilterForm
from portal.forms.validators import (
    date_within,
    days_from_today,
    not_in_future,
    years_from_today,
)
from portal.i18n import lazy_text as _l
from portal.models import ADULT_AGE, CheckKind, ConsentStatus, age_on
from portal.signup.fields import date_of_birth, number
from portal.vocabulary import GRADES

CHECK_KINDS = [
    (CheckKind.CRIMINAL_RECORD.value, _l("Criminal record check")),
    (CheckKind.FINGERPRINT.value, _l("Fingerprint check")),
    (CheckKind.CHILD_PROTECTION_REGISTER.value, _l("Child protection register")),
    (CheckKind.REFERENCES.value, _l("References")),
]
CHECK_YEARS = 10  # no check is older than this, and none is valid for longer
OUTCOMES = [("passed", _l("Passed")), ("failed", _l("Failed"))]
CONSENT_LABELS = {
    ConsentStatus.NOT_NEEDED.value: _l("Not needed (adult)"),
    ConsentStatus.AWAITING.value: _l("Awaiting consent"),
    ConsentStatus.GIVEN.value: _l("Consent given"),
    ConsentStatus.REFUSED.value: _l("Refused"),
    ConsentStatus.WITHDRAWN.value: _l("Withdrawn"),
}


class CheckForm(FlaskForm):
    """A background check as read from the certificate or the provider's letter."""

    kind = SelectField(_l("Kind of check"), choices=CHECK_KINDS, validators=[InputRequired()])
    reference = text(_l("Reference number"), 80)
    checked_on = date_field(
        _l("Checked on"),
        date_within(years_from_today(-CHECK_YEARS), days_from_today(0), "the check date"),
    )
    expires_on = date_field(
        _l("Expires on"),
        date_within(
            years_from_today(-CHECK_YEARS), years_from_today(CHECK_YEARS), "the expiry date"
        ),
    )
    outcome = SelectField(_l("Outcome"), choices=OUTCOMES, validators=[InputRequired()])

    def validate_expires_on(self, field: DateField) -> None:
        checked = self.checked_on.data
        if field.data is None:
            return
        if checked is not None and field.data <= checked:
            raise ValidationError(_l("The expiry date must be after the check date."))
        if self.outcome.data == "passed" and field.data < dt.date.today():
            raise ValidationError(_l("This check has already expired; record a current one."))


class DeclineForm(FlaskForm):
    """Why a partner is declined (sent to them)."""

    reason = text(_l("Reason for declining"), 500, area=True)


class ApproveForm(FlaskForm):
    """Approving carries nothing but the CSRF token."""


class StudentFilterForm(FilterForm):
    """Filters of the students list."""

    q = text(_l("Name"), 80, required=False)
    grade = IntegerField(
        _l("Grade"), validators=[Optional(), NumberRange(min=min(GRADES), max=max(GRADES))]
    )
    consent = SelectField(
        _l("Consent"),
        choices=[("", _l("Any")), *CONSENT_LABELS.items()],
        validators=[Optional()],
    )


MINOR_CHOICES = [
    ("minor", _l("Under 18: takes part with a guardian's consent")),
    ("adult", "18 or over"),
]


class StudentDetailsForm(FlaskForm):
    """The school's record of a student: name, grade (a new school year moves grades), date
    of birth and minor status (the two must agree; rows from before dates of birth were asked
    may leave the date empty)."""

    first_name = text(_l("First name"), 80)
    last_name = text(_l("Last name"), 80)
    grade = number(_l("Grade"), 6, 12)
    date_of_birth = date_of_birth(_l("Date of birth"), required=False)
    minor = RadioField(
        _l("Minor status"),
        choices=MINOR_CHOICES,
        validators=[InputRequired(_l("Choose under 18 or 18 or over."))],
        validate_choice=False,
    )

    had_date_of_birth = False  # set by the view: a date on record is corrected, not removed

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then: a date of birth on record stays (it can be corrected)."""
        ok = bool(super().validate(extra_validators))
        if self.had_date_of_birth and self.date_of_birth.data is None:
            if not self.date_of_birth.errors:
                self.date_of_birth.errors.append(
                    _l("Enter the date of birth: it can be corrected, not removed.")
                )
            return False
        return ok

    def validate_minor(self, field: RadioField) -> None:
        """Minor status follows the date of birth when there is one."""
        if field.data not in ("minor", "adult"):
            raise ValidationError(_l("Choose under 18 or 18 or over."))
        born = self.date_of_birth.data
        if born is None or self.date_of_birth.errors:
            return
        age = age_on(born, dt.date.today())
        if (age < ADULT_AGE) != (field.data == "minor"):
            status = "under 18" if age < ADULT_AGE else "18 or over"
            raise ValidationError(
                f"By the date of birth this student is {age}: choose {status}, or correct the date."
            )

    def values(self) -> StudentDetails:
        """The fields as ``update_student_details`` takes them."""
        return StudentDetails(
            first_name=self.first_name.data,
            last_name=self.last_name.data,
            grade=self.grade.data,
            date_of_birth=self.date_of_birth.data,
            is_minor=self.minor.data == "minor",
        )


class TrainingForm(FlaskForm):
    """A mentor training course, as on the attendance record or certificate."""

    course = text(_l("Course"), 160)
    completed_on = date_field(_l("Completed on"), not_in_future)  # recorded once it happened
    hours = DecimalField(
        _l("Hours"), places=1, validators=[InputRequired(), NumberRange(min=0.5, max=200)]
    )
