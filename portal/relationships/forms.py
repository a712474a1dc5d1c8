"""Meeting logs, student feedback, support contacts, closing a match and exit surveys."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.forms.validators import clean_text, date_within, days_from_today, strip_filter
from portal.relationships import closure, support

MODES = [("in_person", "In person"), ("online", "Online")]


def _match_began(form: Any) -> dt.date | None:
    return cast(dt.date | None, getattr(form, "started_on", None))


def _int_or_none(value: Any) -> int | None:
    """A select's value as an id; '' (any) as None."""
    return int(value) if value not in (None, "", "None") else None


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
    """Closing a match: why, a note, and what may come next for the pair."""

    reason = SelectField(
        "Why the match ends",
        choices=[("", "Select…"), *closure.REASONS.items()],
        validators=[
            InputRequired("Choose a reason."),
            AnyOf(list(closure.REASONS), "Choose a reason from the list."),
        ],
    )
    closing_note = TextAreaField(
        "Closing note",
        validators=[DataRequired(), Length(max=1000), clean_text],
        filters=[strip_filter],
    )
    continues_next_year = BooleanField("The pair continues next year")
    may_repropose = BooleanField("This pair may be proposed again by a later run")
    forbid = BooleanField("Never propose this pair again, in any programme of the school")

    def validate_forbid(self, field: Any) -> None:
        """A pair cannot be both forbidden and allowed again."""
        if field.data and (self.may_repropose.data or self.continues_next_year.data):
            raise ValidationError("A forbidden pair cannot continue or be proposed again.")

    def closing(self) -> closure.Closing:
        """The form's answers, as the closure service takes them."""
        return closure.Closing(
            reason=self.reason.data,
            note=self.closing_note.data or "",
            continues_next_year=bool(self.continues_next_year.data),
            forbid=bool(self.forbid.data),
            may_repropose=bool(self.may_repropose.data or self.continues_next_year.data),
        )


RHYTHMS = [("weekly", "Every week"), ("fortnightly", "Every two weeks"), ("monthly", "Every month")]
GOAL_STATUSES = [
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("achieved", "Achieved"),
]
FIT_ANSWERS = [
    ("good", "A good fit"),
    ("deciding", "Still deciding"),
    ("not_good", "Not a good fit"),
]
MAX_GOALS = 3


def _goal_field(label: str) -> StringField:
    return StringField(
        label, validators=[Optional(), Length(max=200), clean_text], filters=[strip_filter]
    )


class AgreementForm(FlaskForm):
    """The start of a match: one to three goals, a meeting rhythm, the first meeting."""

    templates = SelectMultipleField("Goals from the programme's list", choices=[])
    goal_1 = _goal_field("Your own goal")
    goal_2 = _goal_field("Another goal")
    goal_3 = _goal_field("A third goal")
    meets_every = SelectField("How often you meet", choices=RHYTHMS, validators=[InputRequired()])
    first_meeting_on = DateField("First meeting", validators=[InputRequired()])

    def goals(self) -> list[str]:
        """The chosen and written goals, in order, without repeats."""
        written = [f.data for f in (self.goal_1, self.goal_2, self.goal_3) if f.data]
        return list(dict.fromkeys([*(self.templates.data or []), *written]))

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then: one to three goals."""
        ok = bool(super().validate(extra_validators))
        count = len(self.goals())
        if ok and not 1 <= count <= MAX_GOALS:
            self.goal_1.errors = [f"Choose or write one to three goals (you gave {count})."]
            return False
        return ok


class GoalStatusForm(FlaskForm):
    """Where one of the match's goals stands."""

    goal_id = IntegerField("Goal", validators=[InputRequired()])
    status = SelectField("Progress", choices=GOAL_STATUSES, validators=[InputRequired()])


class ConfirmMeetingForm(FlaskForm):
    """The student's "yes, we met"."""

    check_in_id = IntegerField("Meeting", validators=[InputRequired()])


class FitForm(FlaskForm):
    """After the first meeting: is this a good fit?"""

    answer = SelectField("Is this a good fit?", choices=FIT_ANSWERS, validators=[InputRequired()])


class SupportContactForm(FlaskForm):
    """A counselor's support contact about a match."""

    contacted_on = DateField("Date", validators=[InputRequired()], default=dt.date.today)
    with_whom = SelectField(
        "With whom", choices=list(support.WITH_WHOM.items()), validators=[InputRequired()]
    )
    channel = SelectField(
        "How", choices=list(support.CHANNELS.items()), validators=[InputRequired()]
    )
    note = TextAreaField(
        "Short note", validators=[Length(max=500), clean_text], filters=[strip_filter]
    )

    def validate_contacted_on(self, field: Any) -> None:
        """A contact cannot be logged before it happens."""
        if field.data and field.data > dt.date.today():
            raise ValidationError("The date cannot be in the future.")


class ExitSurveyForm(FlaskForm):
    """The short survey each side answers when a match ends."""

    satisfaction = RadioField(
        "How satisfied are you with the match? (1 = not at all, 5 = very)",
        choices=[(str(n), str(n)) for n in range(1, 6)],
        validators=[InputRequired("Choose from 1 to 5.")],
    )
    goal_progress = RadioField(
        "How far did you get with your goals?",
        choices=list(closure.GOAL_PROGRESS.items()),
        validators=[InputRequired("Choose one.")],
    )
    would_recommend = RadioField(
        "Would you recommend the programme to a friend?",
        choices=[("yes", "Yes"), ("no", "No")],
        validators=[InputRequired("Choose yes or no.")],
    )
    comment = TextAreaField(
        "Anything else you would like to tell the school?",
        validators=[Length(max=1000), clean_text],
        filters=[strip_filter],
    )

    def answer(self) -> closure.Answer:
        """The form's answers, as the closure service takes them."""
        return closure.Answer(
            satisfaction=int(self.satisfaction.data),
            goal_progress=self.goal_progress.data,
            would_recommend=self.would_recommend.data == "yes",
            comment=self.comment.data or "",
        )


class RelationshipFilterForm(FlaskForm):
    """Filters of the counselor's relationships list (a GET form: no CSRF, nothing changes)."""

    class Meta:
        csrf = False

    q = StringField(
        "Student or partner",
        validators=[Optional(), Length(max=80), clean_text],
        filters=[strip_filter],
    )
    programme = SelectField("Programme", coerce=_int_or_none, validators=[Optional()])
    kind = SelectField(
        "Kind",
        choices=[("", "Any"), ("mentor", "Mentor"), ("project", "Project")],
        validators=[Optional()],
    )
    status = SelectField(
        "Status",
        choices=[("", "Any"), ("active", "Active"), ("paused", "Paused"), ("ended", "Ended")],
        validators=[Optional()],
    )
    flag = SelectField(
        "Show",
        choices=[
            ("", "Every relationship"),
            ("support_due", "Support due"),
            ("quiet", "Quiet (no recent meeting)"),
            ("not_good_fit", "Not a good fit"),
        ],
        validators=[Optional()],
    )
    sort = SelectField(
        "Sort by",
        choices=[
            ("started", "Newest first"),
            ("student", "Student name"),
            ("last_meeting", "Longest without a meeting"),
            ("support_due", "Support due first"),
        ],
        validators=[Optional()],
    )


class PauseForm(FlaskForm):
    """Why a counselor pauses a match (shown to the counselor, not to the pair)."""

    pause_reason = StringField(
        "Why pause",
        validators=[DataRequired(), Length(max=200), clean_text],
        filters=[strip_filter],
    )


class ResumeForm(FlaskForm):
    """Resuming carries nothing but the CSRF token."""
