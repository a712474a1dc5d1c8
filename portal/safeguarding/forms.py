"""Safeguarding forms: every free text is cleaned and bounded."""

from __future__ import annotations

import datetime as dt

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    Field,
    Form,
    IntegerField,
    RadioField,
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
from portal.inputs import MAX_ID

CONCERN_REASONS = [
    ("unsafe", "I feel unsafe or uncomfortable"),
    ("inappropriate_contact", "Inappropriate contact or messages"),
    ("no_show", "They keep missing meetings"),
    ("personal_data", "Personal information was shared or asked for"),
    ("wellbeing", "I am worried about someone's wellbeing"),
    ("other", "Something else"),
]
GENERAL = 0  # the "not about one match" choice of the concern form


class ConsentAnswerForm(FlaskForm):
    """The guardian's answer: two submit buttons named ``answer``."""

    answer = RadioField(
        "Your answer",
        choices=[("give", "I give my consent"), ("refuse", "I do not give my consent")],
        validators=[InputRequired()],
    )


class PaperConsentForm(FlaskForm):
    """A consent, refusal or withdrawal received on paper."""

    action = RadioField(
        "What the guardian signed",
        choices=[
            ("given", "Consent given"),
            ("refused", "Consent refused"),
            ("withdrawn", "Consent withdrawn (pauses live matches)"),
        ],
        validators=[InputRequired()],
    )
    guardian_name = StringField(
        "Guardian's name",
        validators=[DataRequired(), Length(max=120), clean_text],
        filters=[strip_filter],
    )


class ConcernForm(FlaskForm):
    """Report a concern about a match or a person."""

    match_id = SelectField("About", coerce=int, validators=[InputRequired()])
    reason = SelectField("What is the concern?", choices=CONCERN_REASONS)
    note = TextAreaField(
        "Tell us more",
        validators=[Optional(), Length(max=2000), clean_text],
        filters=[strip_filter],
    )


class ConcernActionForm(FlaskForm):
    """What a counselor does about a concern."""

    action = RadioField(
        "Action",
        choices=[
            ("pause", "Pause the match"),
            ("end", "End the match"),
            ("resolve", "Mark the concern resolved"),
        ],
        validators=[InputRequired()],
    )
    note = TextAreaField(
        "Note",
        validators=[DataRequired(), Length(max=2000), clean_text],
        filters=[strip_filter],
    )


class EraseForm(FlaskForm):
    """Erasure needs the word ERASE typed in, so it is never a slip."""

    confirm = StringField(
        'Type "ERASE" to confirm',
        validators=[DataRequired(), Length(max=10)],
        filters=[strip_filter],
    )

    def validate_confirm(self, field: StringField) -> None:

        if field.data != "ERASE":
            raise ValidationError('Type the word "ERASE" in capitals.')


# Ids are 64-bit; dates stay where a day can be added (date_to is exclusive of the next day).
_ID_RANGE = NumberRange(min=1, max=MAX_ID, message="An id is a whole number from 1 to %(max)s.")
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2999, 12, 31)


def _date_in_range(form: Form, field: Field) -> None:
    if field.data is not None and not EARLIEST <= field.data <= LATEST:
        raise ValidationError("Pick a date between 1 January 2000 and 31 December 2999.")


class AuditFilterForm(FlaskForm):
    """Filters of the audit trail (a GET form: no CSRF, nothing changes)."""

    class Meta:
        csrf = False

    action = StringField("Action", validators=[Optional(), Length(max=48), clean_text])
    actor_id = IntegerField("Actor id", validators=[Optional(), _ID_RANGE])
    object_type = StringField("Object type", validators=[Optional(), Length(max=32), clean_text])
    object_id = IntegerField("Object id", validators=[Optional(), _ID_RANGE])
    date_from = DateField("From", validators=[Optional(), _date_in_range])
    date_to = DateField("To", validators=[Optional(), _date_in_range])
