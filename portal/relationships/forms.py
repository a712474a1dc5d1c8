"""Meeting logs, student feedback and ending a match."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from portal.forms.validators import clean_text, date_within, days_from_today, strip_filter

MODES = [("in_person", "In person"), ("online", "Online")]


def _match_began(form: Any) -> dt.date | None:
    return cast(dt.date | None, getattr(form, "started_on", None))


class MeetingForm(FlaskForm):
    """A meeting, dated between the day the match began and today."""

    met_on = DateField(
        "Date of the meeting",
        validators=[
            InputRequired(),
            date_within(_match_began, days_from_today(0), "the date of the meeting"),
        ],
        default=dt.date.today,
    )
    minutes = IntegerField(
        "Duration (minutes)", default=60, validators=[InputRequired(), NumberRange(min=5, max=600)]
    )
    mode = SelectField("How you met", choices=MODES, default="in_person")
    note = TextAreaField(
        "Short note", validators=[Length(max=500), clean_text], filters=[strip_filter]
    )
    started_on: dt.date | None = None  # the match's first day (set by the view)


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
