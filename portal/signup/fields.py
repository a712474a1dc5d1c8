"""Form fields and validators of the sign-up, profile and project forms (the fields every
form shares are in ``portal.forms.fields``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext
from wtforms import (
    Field,
    Form,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from portal import vocabulary
from portal.forms.fields import date_field, text
from portal.forms.validators import date_within, in_vocabulary, shift_years
from portal.i18n import lazy_text as _l
from portal.models import Modality


def options(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """``(value, label)`` pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def offered(field: Field) -> set[str]:
    """The values a choice field offers (as strings), without an empty placeholder."""
    return {str(choice.value) for choice in field.iter_choices() if choice.value not in ("", None)}


MODALITY_CHOICES = options(
    [
        (Modality.IN_PERSON.value, _l("In person")),
        (Modality.ONLINE.value, _l("Online")),
        (Modality.EITHER.value, _l("Either")),
    ]
)
AREA_CHOICES = options([("", _l("Choose an area")), *vocabulary.AREAS.items()])
LANGUAGE_CHOICES = options(vocabulary.LANGUAGES.items())
SLOT_CHOICES = options((slot, vocabulary.slot_label(slot)) for slot in vocabulary.SLOTS)
_PHONE = re.compile(r"^\+?[0-9 ().\-]{5,31}$")
MAX_CHOICES = 60  # more values than any vocabulary offers is not a person filling a form


def phone() -> Any:
    """An optional phone number: digits, spaces and + ( ) . - only."""
    return text(_l("Phone (optional)"), 32, required=False, validators=[_phone_chars])


def _phone_chars(form: Form, field: Field) -> None:
    if not _PHONE.match(field.data or ""):
        raise ValidationError(_l("Use digits, spaces and + ( ) . - only."))


def web_address(form: Form, field: Field) -> None:
    """An http(s) address with a host (no javascript:, data: or mailto: links)."""
    parts = urlsplit(field.data or "")
    if parts.scheme not in ("http", "https") or "." not in (parts.hostname or ""):
        raise ValidationError(_l("Enter a web address starting with https://."))


class NumberField(IntegerField):
    """A whole number whose parse error reads plainly and skips the range check."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            try:
                self.data = int(str(valuelist[0]).strip())
            except ValueError as exc:
                self.data = None  # type: ignore[assignment]
                raise ValueError(_l("Enter a whole number.")) from exc

    def pre_validate(self, form: Form) -> None:
        if self.process_errors:
            raise StopValidation()


def number(label: str, low: int, high: int) -> Any:
    """A required whole number between ``low`` and ``high``."""
    message = _l("Enter a number from %(low)s to %(high)s.", low=low, high=high)
    return NumberField(
        label,
        validators=[InputRequired(message), NumberRange(low, high, message)],
        render_kw={"min": low, "max": high},
    )


class ChoicesField(SelectMultipleField):
    """Several values from the offered choices (tags, slots, languages), deduplicated.

    Values are checked by ``in_vocabulary`` against the offered choices (a plain message
    naming the unknown values) rather than by WTForms' own check.
    """

    def __init__(self, label: str, required: bool = True, **kwargs: Any) -> None:
        message = kwargs.pop("message", _l("Choose at least one."))
        first = DataRequired(message) if required else Optional()
        checks = [first, _bounded, in_vocabulary(self._offered, label.lower())]
        super().__init__(label, validators=checks, validate_choice=False, **kwargs)

    def _offered(self) -> set[str]:
        return offered(self)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = list(dict.fromkeys(str(value) for value in valuelist))


class TagField(ChoicesField):
    """Tags of one kind from the admin-managed vocabulary (loaded when the form is made)."""

    def __init__(self, label: str, kind: str, required: bool = True, **kwargs: Any) -> None:
        choices = options(vocabulary.tag_choices(kind))
        super().__init__(label, required, choices=choices, **kwargs)
        self.kind = kind


def _bounded(form: Form, field: Field) -> None:
    if len(field.data or []) > MAX_CHOICES:
        raise StopValidation(_l("Too many values."))


def tags(label: str, kind: str, *, required: bool = True) -> Any:
    """Tags of one kind; ``required`` asks for at least one."""
    return TagField(label, kind, required)


def slots(label: str = _l("When are you free?")) -> Any:
    """The weekly availability grid (at least one slot)."""
    return ChoicesField(
        label, choices=SLOT_CHOICES, message=_l("Tick at least one time you are free.")
    )


def languages() -> Any:
    """Languages spoken (at least one)."""
    return ChoicesField(_l("Languages"), choices=LANGUAGE_CHOICES)


def one_of(message: str) -> Callable[[Form, Field], None]:
    """The value must be one of the field's offered choices (empty counts as missing)."""

    def check(form: Form, field: Field) -> None:
        if str(field.data) not in offered(field):
            raise StopValidation(message)

    return check


def pick(label: str, choices: list[SelectChoice], message: str, *, radio: bool = False) -> Any:
    """One value from ``choices`` (a select, or radio buttons)."""
    kind = RadioField if radio else SelectField
    return kind(label, choices=choices, validators=[one_of(message)], validate_choice=False)


def modality() -> Any:
    """How a person prefers to meet."""
    return pick(
        _l("How would you like to meet?"), MODALITY_CHOICES, _l("Choose how to meet."), radio=True
    )


def area() -> Any:
    """The area of town."""
    return pick(_l("Area"), AREA_CHOICES, _l("Choose an area."))


def to_id(value: Any) -> int:
    """Coerce a submitted id; anything that is not a positive number becomes 0 (no choice)."""
    text_value = str(value or "").strip()
    return int(text_value) if text_value.isdigit() and len(text_value) < 10 else 0


# A student's age today is plausible for their grade from grade + 4 to grade + 8 years
# (grade 6: 10 to 14; grade 10: 14 to 18; grade 12: 16 to 20).
GRADE_AGE_MIN = 4
GRADE_AGE_MAX = 8


def birth_dates_for(grade: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """The earliest and latest plausible date of birth of a student in ``grade`` on ``today``."""
    earliest = shift_years(today, -(grade + GRADE_AGE_MAX + 1)) + dt.timedelta(days=1)
    return earliest, shift_years(today, -(grade + GRADE_AGE_MIN))


def fits_grade(form: Form, field: Field) -> None:
    """The date of birth gives an age that fits the form's ``grade`` (checked first)."""
    grade = form["grade"].data
    if form["grade"].errors or not isinstance(grade, int):
        return  # the grade's own message says what is wrong
    earliest, latest = birth_dates_for(grade, dt.date.today())
    what = gettext(
        "a date of birth that fits grade %(grade)s (age %(low)s to %(high)s)",
        grade=grade,
        low=grade + GRADE_AGE_MIN,
        high=grade + GRADE_AGE_MAX,
    )
    date_within(lambda _: earliest, lambda _: latest, what)(form, field)


def date_of_birth(label: str = _l("Date of birth"), *, required: bool = True) -> Any:
    """A date of birth that fits the grade (declare it after the form's ``grade`` field)."""
    message = _l("Enter the date of birth, for example 2010-05-31.")
    return date_field(label, fits_grade, required=message if required else False)
