"""Validators shared by every form: clean text, safe unicode, passwords, vocabulary."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from wtforms import Field, Form
from wtforms.validators import ValidationError

# Categories that have no business in a name or a note: controls, format characters
# (bidi overrides, zero-width joiners), surrogates, private use, unassigned.
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_ALLOWED_CONTROLS = {"\n", "\r", "\t"}


def clean_text(form: Form, field: Field) -> None:
    """Refuse control and invisible formatting characters (odd unicode)."""
    value = field.data
    if not isinstance(value, str):
        return
    for char in value:
        if char in _ALLOWED_CONTROLS:
            continue
        if unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            raise ValidationError("Contains invisible or control characters; please retype it.")


def strip_filter(value: Any) -> Any:
    """Trim surrounding white space and normalise to NFC."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.strip())
    return value


def password_rules(form: Form, field: Field) -> None:
    """At least 12 characters, at most 128, not the email address."""
    value = field.data or ""
    if len(value) < 12:
        raise ValidationError("Use at least 12 characters.")
    if len(value) > 128:
        raise ValidationError("Use at most 128 characters.")
    email = getattr(form, "email", None)
    if email is not None and email.data and value.lower() == str(email.data).lower():
        raise ValidationError("Your password must not be your email address.")


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
