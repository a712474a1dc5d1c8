"""Meeting logs, student feedback and ending a match."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from portal.forms.validators import clean_text, date_within, days_from_today, strip_filter
from portal.i18n import lazy_text as _l

MODES = [("in_person", _l("In person")), ("online", _l("Online"))]


def _match_began(form: Any) -> dt.date | None:
    return cast(dt.date | None, getattr(form, "started_on", None))


class MeetingForm(FlaskForm):
    """A meeting, dated between the day the match began and today."""

    met_on = DateField(
        _l("Date of the meeting"),
        validators=[
            InputRequired(),
            date_within(_match_began, days_from_today(0), "the date of the meeting"),
        ],
        default=dt.date.today,
    )
    minutes = IntegerField(
        _l("Duration (minutes)"),
        default=60,
        validators=[InputRequired(), NumberRange(min=5, max=600)],
    )
    mode = SelectField(_l("How you met"), choices=MODES, default="in_person")
    note = TextAreaField(
        _l("Short note"), validators=[Length(max=500), clean_text], filters=[strip_filter]
    )
    started_on: dt.date | None = None  # the match's first day (set by the view)


class FeedbackForm(FlaskForm):
    note = TextAreaField(
        _l("Your feedback"),
        validators=[DataRequired(), Length(max=500), clean_text],
        filters=[strip_filter],
    )


class EndMatchForm(FlaskForm):
    reason = StringField(
        _l("Why the match ends"),
        validators=[DataRequired(), Length(max=500), clean_text],
        filters=[strip_filter],
    )
    forbid = BooleanField(_l("Do not propose this pair again"))


RHYTHMS = [
    ("weekly", _l("Every week")),
    ("fortnightly", _l("Every two weeks")),
    ("monthly", _l("Every month")),
]
GOAL_STATUSES = [
    ("not_started", _l("Not started")),
    ("in_progress", _l("In progress")),
    ("achieved", _l("Achieved")),
]
FIT_ANSWERS = [
    ("good", _l("A good fit")),
    ("deciding", _l("Still deciding")),
    ("not_good", _l("Not a good fit")),
]
MAX_GOALS = 3


def _goal_field(label: str) -> StringField:
    return StringField(
        label, validators=[Optional(), Length(max=200), clean_text], filters=[strip_filter]
    )


class AgreementForm(FlaskForm):
    """The start of a match: one to three goals, a meeting rhythm, the first meeting."""

    templates = SelectMultipleField(_l("Goals from the programme's list"), choices=[])
    goal_1 = _goal_field(_l("Your own goal"))
    goal_2 = _goal_field(_l("Another goal"))
    goal_3 = _goal_field(_l("A third goal"))
    meets_every = SelectField(
        _l("How often you meet"), choices=RHYTHMS, validators=[InputRequired()]
    )
    first_meeting_on = DateField(_l("First meeting"), validators=[InputRequired()])

    def goals(self) -> list[str]:
        """The chosen and written goals, in order, without repeats."""
        written = [f.data for f in (self.goal_1, self.goal_2, self.goal_3) if f.data]
        return list(dict.fromkeys([*(self.templates.data or []), *written]))

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then: one to three goals."""
        ok = bool(super().validate(extra_validators))
        count = len(self.goals())
        if ok and not 1 <= count <= MAX_GOALS:
            self.goal_1.errors = [
                gettext("Choose or write one to three goals (you gave %(count)s).", count=count)
            ]
            return False
        return ok


class GoalStatusForm(FlaskForm):
    """Where one of the match's goals stands."""

    goal_id = IntegerField(_l("Goal"), validators=[InputRequired()])
    status = SelectField(_l("Progress"), choices=GOAL_STATUSES, validators=[InputRequired()])


class ConfirmMeetingForm(FlaskForm):
    """The student's "yes, we met"."""

    check_in_id = IntegerField(_l("Meeting"), validators=[InputRequired()])


class FitForm(FlaskForm):
    """After the first meeting: is this a good fit?"""

    answer = SelectField(
        _l("Is this a good fit?"), choices=FIT_ANSWERS, validators=[InputRequired()]
    )
