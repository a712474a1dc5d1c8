"""Validators shared by every form: clean text, safe unicode, passwords, vocabulary, dates."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from flask_babel import gettext
from wtforms import Field, Form
from wtforms.validators import ValidationError

from portal.i18n import lazy_text as _l
from portal.i18n import locale_date

# Categories that have no business in a name or a note: controls, surrogates, private use,
# unassigned. Format characters (Cf) are written by real scripts and emoji (Persian's zero-width
# non-joiner U+200C, the joiner U+200D in emoji sequences, flag tag characters), so only the
# ones that hide or reorder text are refused: bidi embeddings, overrides and isolates (the
# "Trojan source" characters), the zero-width space and the byte-order mark.
_FORBIDDEN_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}
_FORBIDDEN_FORMAT = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))} | {
    "\u200b",
    "\ufeff",
}
_ALLOWED_CONTROLS = {"\n", "\r", "\t"}


def clean_text(form: Form, field: Field) -> None:
    """Refuse control characters and the format characters that hide or reorder text."""
    value = field.data
    if isinstance(value, str) and hidden_characters(value):
        raise ValidationError(_l("Contains invisible or control characters; please retype it."))


def hidden_characters(value: str) -> bool:
    """``value`` holds a control character or one that hides or reorders text (tab and new
    line aside); any script, emoji and the zero-width non-joiner are fine."""
    return any(
        char not in _ALLOWED_CONTROLS
        and (char in _FORBIDDEN_FORMAT or unicodedata.category(char) in _FORBIDDEN_CATEGORIES)
        for char in value
    )


def strip_filter(value: Any) -> Any:
    """Trim surrounding white space and normalise to NFC."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.strip())
    return value


def password_rules(form: Form, field: Field) -> None:
    """At least 12 characters, at most 128, not the email address."""
    value = field.data or ""
    if len(value) < 12:
        raise ValidationError(_l("Use at least 12 characters."))
    if len(value) > 128:
        raise ValidationError(_l("Use at most 128 characters."))
    email = getattr(form, "email", None)
    if email is not None and email.data and value.lower() == str(email.data).lower():
        raise ValidationError(_l("Your password must not be your email address."))


def in_vocabulary(
    allowed: Callable[[], Iterable[str]], label: str
) -> Callable[[Form, Field], None]:
    """Every selected value must be one of ``allowed()`` (the tag vocabulary)."""

    def check(form: Form, field: Field) -> None:
        known = set(allowed())
        unknown = [value for value in (field.data or []) if value not in known]
        if unknown:
            raise ValidationError(f"Unknown {label}: {', '.join(sorted(unknown))[:120]}.")

    return check


DateBound = Callable[[Form], dt.date | None]


def not_in_future(form: Form, field: Field) -> None:
    """A date of something that happened: today at the latest."""
    if isinstance(field.data, dt.date) and field.data > dt.date.today():
        raise ValidationError(gettext("The date cannot be in the future."))


def days_from_today(days: int) -> DateBound:
    """A bound ``days`` after today (before it when negative), read when the form validates."""
    return lambda form: dt.date.today() + dt.timedelta(days=days)


def years_from_today(years: int) -> DateBound:
    """A bound ``years`` after today (before it when negative); 29 February falls to the 28th."""
    return lambda form: shift_years(dt.date.today(), years)


def shift_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by whole years (29 February becomes 28 February in other years)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def date_within(
    earliest: DateBound | None, latest: DateBound | None, what: str | None = None
) -> Callable[[Form, Field], None]:
    """The date must lie in [earliest, latest] (either side may be open or give None).

    The message says what is allowed, e.g. "Enter a date from 1 December 2016 to today."
    """

    def check(form: Form, field: Field) -> None:
        value = field.data
        if not isinstance(value, dt.date):
            return
        low = earliest(form) if earliest else None
        high = latest(form) if latest else None
        if (low is not None and value < low) or (high is not None and value > high):
            allowed = _allowed(low, high)
            raise ValidationError(
                gettext(
                    "Enter %(what)s %(allowed)s.", what=what or gettext("a date"), allowed=allowed
                )
            )

    return check


def _allowed(low: dt.date | None, high: dt.date | None) -> str:
    if low is not None and high is not None:
        return str(gettext("from %(low)s to %(high)s", low=_day(low), high=_day(high)))
    if low is not None:
        return str(gettext("on or after %(low)s", low=_day(low)))
    return str(gettext("on or before %(high)s", high=_day(high))) if high is not None else ""


def _day(day: dt.date | None) -> str:
    if day == dt.date.today():
        return str(gettext("today"))
    return locale_date(day, "day") if day else ""
