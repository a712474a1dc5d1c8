"""Fields every form shares: trimmed free text, email addresses and dates.

Each factory applies the house rules once: text is trimmed and normalised (``strip_filter``),
bounded (``Length``) and refused when it hides characters (``clean_text``); a required field
says so with ``DataRequired``/``InputRequired``, an optional one with ``Optional``. The few
fields that skip a rule say so with a keyword (``clean=False``: a stricter check of their
own follows, or the value is only looked up; ``strip=False``: kept as typed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from wtforms import DateField, EmailField, Field, Form, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from portal.forms.validators import clean_text, strip_filter
from portal.i18n import lazy_text as _l

Check = Callable[[Form, Field], None]

EMAIL_MESSAGE = _l("Enter an email address like name@example.org.")
EMAIL_MAX = 254  # the longest address SMTP carries


def text(
    label: str,
    max_len: int,
    *,
    required: bool = True,
    area: bool = False,
    clean: bool = True,
    strip: bool = True,
    validators: Sequence[Check] = (),
) -> Any:
    """A trimmed free-text field (a text area with ``area``): required or optional, bounded,
    no invisible characters (unless ``clean=False``), then any further ``validators``;
    ``strip=False`` keeps the value as typed."""
    first = DataRequired() if required else Optional()
    checks = [first, Length(max=max_len), *([clean_text] if clean else []), *validators]
    kind = TextAreaField if area else StringField
    return kind(label, validators=checks, filters=[strip_filter] if strip else [])


def email_field(
    label: str,
    *,
    required: bool = True,
    message: str | None = EMAIL_MESSAGE,
    check: bool = True,
    clean: bool = True,
) -> Any:
    """A trimmed email address of at most 254 characters, checked for its shape (``message``
    says how; None gives WTForms' own) unless ``check=False`` (a login only looks it up)."""
    first = DataRequired() if required else Optional()
    checks: list[Any] = [first, Length(max=EMAIL_MAX), *([clean_text] if clean else [])]
    if check:
        checks.append(Email(message, check_deliverability=False))
    return EmailField(label, validators=checks, filters=[strip_filter])


def trimmed(label: str, *, kind: type[Any] = StringField) -> Any:
    """A trimmed field with no check of its own (a class-list cell: the import checks it)."""
    return kind(label, filters=[strip_filter])


def date_field(label: str, *checks: Check, required: bool | str = True, default: Any = None) -> Any:
    """A date field: required (``required`` may be the message) or optional, then ``checks``."""
    if required is True:
        first: Any = InputRequired()
    else:
        first = InputRequired(required) if required else Optional()
    return DateField(label, validators=[first, *checks], default=default)
