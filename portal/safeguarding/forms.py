"""Safeguarding forms: every free text is cleaned and bounded."""

from __future__ import annotations

import datetime as dt

from flask_wtf import FlaskForm
from wtforms import (
    Field,
    Form,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    InputRequired,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.forms.fields import date_field, text
from portal.forms.filters import FilterForm
from portal.i18n import lazy_text as _l
from portal.inputs import MAX_ID
from portal.safeguarding.trail import AuditFilters

CONCERN_REASONS = [
    ("unsafe", _l("I feel unsafe or uncomfortable")),
    ("inappropriate_contact", _l("Inappropriate contact or messages")),
    ("no_show", _l("They keep missing meetings")),
    ("personal_data", _l("Personal information was shared or asked for")),
    ("wellbeing", _l("I am worried about someone's wellbeing")),
    ("other", _l("Something else")),
]
GENERAL = 0  # the "not about one match" choice of the concern form


class ConsentAnswerForm(FlaskForm):
    """The guardian's answer: two submit buttons named ``answer``."""

    answer = RadioField(
        _l("Your answer"),
        choices=[("give", _l("I give my consent")), ("refuse", _l("I do not give my consent"))],
        validators=[InputRequired()],
    )


class PaperConsentForm(FlaskForm):
    """A consent, refusal or withdrawal received on paper."""

    action = RadioField(
        _l("What the guardian signed"),
        choices=[
            ("given", _l("Consent given")),
            ("refused", _l("Consent refused")),
            ("withdrawn", _l("Consent withdrawn (pauses live matches)")),
        ],
        validators=[InputRequired()],
    )
    guardian_name = text(_l("Guardian's name"), 120)


class ConcernForm(FlaskForm):
    """Report a concern about a match or a person."""

    match_id = SelectField(_l("About"), coerce=int, validators=[InputRequired()])
    reason = SelectField(_l("What is the concern?"), choices=CONCERN_REASONS)
    note = text(_l("Tell us more"), 2000, required=False, area=True)


class ConcernActionForm(FlaskForm):
    """What a counselor does about a concern."""

    action = RadioField(
        _l("Action"),
        choices=[
            ("pause", _l("Pause the match")),
            ("end", _l("End the match")),
            ("resolve", _l("Mark the concern resolved")),
        ],
        validators=[InputRequired()],
    )
    note = text(_l("Note"), 2000, area=True)


class EraseForm(FlaskForm):
    """Erasure needs the word ERASE typed in, so it is never a slip."""

    confirm = text(_l('Type "ERASE" to confirm'), 10, clean=False)  # the word, checked below

    def validate_confirm(self, field: StringField) -> None:

        if field.data != "ERASE":
            raise ValidationError(_l('Type the word "ERASE" in capitals.'))


# Ids are 64-bit; dates stay where a day can be added (date_to is exclusive of the next day).
_ID_RANGE = NumberRange(min=1, max=MAX_ID, message=_l("An id is a whole number from 1 to %(max)s."))
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2999, 12, 31)


def _date_in_range(form: Form, field: Field) -> None:
    if field.data is not None and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(_l("Pick a date between 1 January 2000 and 31 December 2999."))


class AuditFilterForm(FilterForm):
    """Filters of the audit trail (all or none: an invalid one shows the whole trail)."""

    action = text(_l("Action"), 48, required=False, strip=False)
    actor_id = IntegerField(_l("Actor id"), validators=[Optional(), _ID_RANGE])
    object_type = text(_l("Object type"), 32, required=False, strip=False)
    object_id = IntegerField(_l("Object id"), validators=[Optional(), _ID_RANGE])
    date_from = date_field(_l("From"), _date_in_range, required=False)
    date_to = date_field(_l("To"), _date_in_range, required=False)

    def valid_filters(self) -> AuditFilters:
        """Validate; the filters when every one is valid, else none (the whole trail)."""
        if not self.validate():
            return AuditFilters()
        return AuditFilters(
            action=self.action.data,
            actor_id=self.actor_id.data,
            object_type=self.object_type.data,
            object_id=self.object_id.data,
            date_from=self.date_from.data,
            date_to=self.date_to.data,
        )
