"""Meeting logs, student feedback and ending a match."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from portal.forms.validators import clean_text, strip_filter

MODES = [("in_person", "In person"), ("online", "Online")]


class MeetingForm(FlaskForm):
    met_on = DateField("Date of the meeting", validators=[InputRequired()], default=dt.date.today)
    minutes = IntegerField(
        "Duration (minutes)", default=60, validators=[InputRequired(), NumberRange(min=5, max=600)]
    )
    mode = SelectField("How you met", choices=MODES, default="in_person")
    note = TextAreaField(
        "Short note", validators=[Length(max=500), clean_text], filters=[strip_filter]
    )

    def validate_met_on(self, field: Any) -> None:
        """A meeting cannot be logged before it happens."""
        if field.data and field.data > dt.date.today():
            raise ValidationError("The date cannot be in the future.")


class FeedbackForm(FlaskForm):
    note = TextAreaField(
        "Your feedback",
        validators=[DataRequired(), Length(max=500), clean_text],
        filters=[strip_filter],
    )


class EndMatchForm(FlaskForm):
    reason = StringField(
        "Why the match ends",
        validators=[DataRequired(), Length(max=500), clean_text],
        filters=[strip_filter],
    )
    forbid = BooleanField("Do not propose this pair again")
