"""Languages: the locale of each request, the language switch, locale-aware formatting.

The locale is the signed-in user's setting (``User.language``), else the language an
anonymous visitor picked with ``?lang=`` (kept in the session), else the browser's
``Accept-Language``, else English. The catalogue is ``portal/translations`` (README,
"Translations"); emails use :func:`flask_babel.force_locale` with the recipient's language.
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from typing import Any

from flask import Flask, has_request_context, request, session
from flask_babel import (
    Babel,
    force_locale,
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    get_translations,
    gettext,
)
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import escape

# Every language the portal speaks, by code, with its name in that language (the switch).
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"
SESSION_KEY = "lang"

babel = Babel()


class LazyText(LazyString):
    """A text translated when it is shown (form labels, messages), escaped like a ``str``.

    Flask-Babel's own lazy string marks itself as safe HTML; this one does not.
    """

    def __html__(self) -> str:
        return str(escape(str(self)))


def lazy_text(string: str, **variables: Any) -> Any:
    """``string`` translated when it is shown (import it as ``_l``; pybabel's ``-k _l``)."""
    return LazyText(gettext, string, **variables)


_l = lazy_text


def N_(message: str) -> str:  # noqa: N802 - pybabel's default marker for a deferred message
    """Mark ``message`` for the catalogue; whoever shows it translates it (``_(value)``)."""
    return message


# The role badge in the header, by role value.
ROLE_NAMES = {
    "student": _l("student"),
    "mentor": _l("mentor"),
    "organisation": _l("organisation"),
    "counselor": _l("counselor"),
    "admin": _l("admin"),
}


def normalise_language(value: str | None) -> str | None:
    """The supported language code for ``value`` ("es-ES" -> "es"), or None."""
    code = (value or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else None


def select_locale() -> str:
    """The locale of this request (see the module docstring for the order)."""
    if not has_request_context():  # a task or a command: English unless forced
        return DEFAULT_LANGUAGE
    if current_user and current_user.is_authenticated:
        chosen = normalise_language(getattr(current_user, "language", None))
        if chosen:
            return chosen
    chosen = normalise_language(session.get(SESSION_KEY))
    if chosen:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def _remember_switch() -> None:
    """``?lang=es`` on any page: remember the choice for this browser session."""
    chosen = normalise_language(request.args.get("lang"))
    if chosen:
        session[SESSION_KEY] = chosen


def in_language(code: str | None) -> AbstractContextManager[None]:
    """Render inside in ``code``'s language (English when unknown): emails to a person."""
    return force_locale(normalise_language(code) or DEFAULT_LANGUAGE)  # type: ignore[no-any-return]


def current_language() -> str:
    """The language code of the current request ("en", "es")."""
    return str(get_locale() or DEFAULT_LANGUAGE)


# English keeps the portal's day-first dates ("01 Dec 2026"); other languages use their
# locale's own formats (Spanish: "1 dic 2026", "1 de diciembre de 2026"). "day" is a long
# date without a leading zero (messages: "on or after 2 December 2011").
_ENGLISH_PATTERNS = {
    "medium": "dd MMM y",
    "long": "dd MMMM y",
    "day": "d MMMM y",
    "datetime": "dd MMM y HH:mm",
}
_OTHER_PATTERNS = {"day": "long", "datetime": "d MMM y, H:mm"}


def _pattern(length: str) -> str:
    if current_language() == DEFAULT_LANGUAGE:
        return _ENGLISH_PATTERNS.get(length, length)
    return _OTHER_PATTERNS.get(length, length)


def locale_date(value: dt.date | dt.datetime | None, length: str = "medium") -> str:
    """``value`` as a date in the current language ("medium", "long" or "day")."""
    return "" if value is None else str(format_date(value, _pattern(length)))


def locale_datetime(value: dt.datetime | None) -> str:
    """``value`` as a date and time (UTC) in the current language."""
    return "" if value is None else str(format_datetime(value, _pattern("datetime")))


def _decimal(value: float | int | None, digits: str | None = None) -> str:
    return "" if value is None else str(format_decimal(value, digits))


# The templates' ``_``: (locale, text) -> translation. The catalogues do not change while the
# process runs, and a list page asks for the same few words on every row (#16).
_TRANSLATED: dict[tuple[Any, str], str] = {}


def template_gettext(string: str) -> str:
    """``string`` in the current language, looked up once per process and language."""
    key = (get_locale(), string)
    found = _TRANSLATED.get(key)
    if found is None:
        found = _TRANSLATED[key] = str(get_translations().ugettext(string))
    return found


def init_app(app: Flask) -> None:
    """Bind Flask-Babel, the switch and the template helpers to ``app``."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=template_gettext,
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.before_request(_remember_switch)
    app.jinja_env.filters.update(
        format_date=locale_date, format_datetime=locale_datetime, format_decimal=_decimal
    )
    app.jinja_env.globals.update(
        site_languages=LANGUAGES, current_language=current_language, role_names=ROLE_NAMES
    )
