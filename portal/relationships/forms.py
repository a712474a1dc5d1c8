"""Meeting logs, student feedback, support contacts, closing a match and exit surveys."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.forms.fields import date_field, text
from portal.forms.filters import FilterForm
from portal.forms.validators import date_within, days_from_today, not_in_future
from portal.i18n import lazy_text as _l
from portal.relationships import closure, support

MODES = [("in_person", _l("In person")), ("online", _l("Online"))]


def _match_began(form: Any) -> dt.date | None:
    return cast(dt.date | None, getattr(form, "started_on", None))


def _choices(labels: dict[str, str]) -> list[tuple[str, Any]]:
    """A select's choices from a vocabulary of English labels, each translated when shown."""
    return [(value, _l(label)) for value, label in labels.items()]


def _int_or_none(value: Any) -> int | None:
    """A select's value as an id; '' (any) as None."""
    return int(value) if value not in (None, "", "None") else None


class MeetingForm(FlaskForm):
    """A meeting, dated between the day the match began and today."""

    met_on = date_field(
        _l("Date of the meeting"),
        date_within(_match_began, days_from_today(0), "the date of the meeting"),
        default=dt.date.today,
    )
    minutes = IntegerField(
        _l("Duration (minutes)"),
        default=60,
        validators=[InputRequired(), NumberRange(min=5, max=600)],
    )
    mode = SelectField(_l("How you met"), choices=MODES, default="in_person")
    note = text(_l("Short note"), 500, required=False, area=True)
    started_on: dt.date | None = None  # the match's first day (set by the view)


class FeedbackForm(FlaskForm):
    note = text(_l("Your feedback"), 500, area=True)


class EndMatchForm(FlaskForm):
    """Closing a match: why, a note, and what may come next for the pair."""

    reason = SelectField(
        _l("Why the match ends"),
        choices=[("", _l("Select…")), *_choices(closure.REASONS)],
        validators=[
            InputRequired(_l("Choose a reason.")),
            AnyOf(list(closure.REASONS), _l("Choose a reason from the list.")),
        ],
    )
    closing_note = text(_l("Closing note"), 1000, area=True)
    continues_next_year = BooleanField(_l("The pair continues next year"))
    may_repropose = BooleanField(_l("This pair may be proposed again by a later run"))
    forbid = BooleanField(_l("Never propose this pair again, in any programme of the school"))
    confirm = BooleanField(
        _l("I understand: the match ends now, for both sides, and cannot be reopened"),
        validators=[
            DataRequired(_l("Tick this box to confirm: an ended match cannot be reopened."))
        ],
    )

    def validate_forbid(self, field: Any) -> None:
        """A pair cannot be both forbidden and allowed again."""
        if field.data and (self.may_repropose.data or self.continues_next_year.data):
            raise ValidationError(gettext("A forbidden pair cannot continue or be proposed again."))

    def closing(self) -> closure.Closing:
        """The form's answers, as the closure service takes them."""
        return closure.Closing(
            reason=self.reason.data,
            note=self.closing_note.data or "",
            continues_next_year=bool(self.continues_next_year.data),
            forbid=bool(self.forbid.data),
            may_repropose=bool(self.may_repropose.data or self.continues_next_year.data),
        )


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


class AgreementForm(FlaskForm):
    """The start of a match: one to three goals, a meeting rhythm, the first meeting."""

    templates = SelectMultipleField(_l("Goals from the programme's list"), choices=[])
    goal_1 = text(_l("Your own goal"), 200, required=False)
    goal_2 = text(_l("Another goal"), 200, required=False)
    goal_3 = text(_l("A third goal"), 200, required=False)
    meets_every = SelectField(
        _l("How often you meet"), choices=RHYTHMS, validators=[InputRequired()]
    )
    first_meeting_on = date_field(_l("First meeting"))

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


class SupportContactForm(FlaskForm):
    """A counselor's support contact about a match."""

    # a contact is logged once it happened
    contacted_on = date_field(_l("Date"), not_in_future, default=dt.date.today)
    with_whom = SelectField(
        _l("With whom"), choices=_choices(support.WITH_WHOM), validators=[InputRequired()]
    )
    channel = SelectField(
        _l("How"), choices=_choices(support.CHANNELS), validators=[InputRequired()]
    )
    note = text(_l("Short note"), 500, required=False, area=True)


class ExitSurveyForm(FlaskForm):
    """The short survey each side answers when a match ends."""

    satisfaction = RadioField(
        _l("How satisfied are you with the match? (1 = not at all, 5 = very)"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        validators=[InputRequired(_l("Choose from 1 to 5."))],
    )
    goal_progress = RadioField(
        _l("How far did you get with your goals?"),
        choices=_choices(closure.GOAL_PROGRESS),
        validators=[InputRequired(_l("Choose one."))],
    )
    would_recommend = RadioField(
        _l("Would you recommend the programme to a friend?"),
        choices=[("yes", _l("Yes")), ("no", _l("No"))],
        validators=[InputRequired(_l("Choose yes or no."))],
    )
    comment = text(
        _l("Anything else you would like to tell the school?"), 1000, required=False, area=True
    )

    def answer(self) -> closure.Answer:
        """The form's answers, as the closure service takes them."""
        return closure.Answer(
            satisfaction=int(self.satisfaction.data),
            goal_progress=self.goal_progress.data,
            would_recommend=self.would_recommend.data == "yes",
            comment=self.comment.data or "",
        )


class RelationshipFilterForm(FilterForm):
    """Filters of the counselor's relationships list."""

    q = text(_l("Student or partner"), 80, required=False)
    programme = SelectField(_l("Programme"), coerce=_int_or_none, validators=[Optional()])
    kind = SelectField(
        _l("Kind"),
        choices=[("", _l("Any")), ("mentor", _l("Mentor")), ("project", _l("Project"))],
        validators=[Optional()],
    )
    status = SelectField(
        _l("Status"),
        choices=[
            ("", _l("Any")),
            ("active", _l("Active")),
            ("paused", _l("Paused")),
            ("ended", _l("Ended")),
        ],
        validators=[Optional()],
    )
    flag = SelectField(
        _l("Show"),
        choices=[
            ("", _l("Every relationship")),
            ("support_due", _l("Support due")),
            ("quiet", _l("Quiet (no recent meeting)")),
            ("not_good_fit", _l("Not a good fit")),
        ],
        validators=[Optional()],
    )
    sort = SelectField(
        _l("Sort by"),
        choices=[
            ("started", _l("Newest first")),
            ("student", _l("Student name")),
            ("last_meeting", _l("Longest without a meeting")),
            ("support_due", _l("Support due first")),
        ],
        validators=[Optional()],
    )


class PauseForm(FlaskForm):
    """Why a counselor pauses a match (shown to the counselor, not to the pair)."""

    pause_reason = text(_l("Why pause"), 200)


class ResumeForm(FlaskForm):
    """Resuming carries nothing but the CSRF token."""
