"""Spanish for students, guardians and partners: which language, pages, emails, dates."""

from __future__ import annotations

import datetime as dt

import pytest
from babel import Locale
from flask import Flask
from flask.testing import FlaskClient

from portal import i18n
from portal.extensions import db
from portal.i18n import in_language, locale_date, normalise_language
from portal.models import AuditEvent, School, StudentProfile, User
from portal.vocabulary import ensure_default_vocabulary
from tests import factories
from tests.conftest import AuthActions
from tests.signup.helpers import link_in, mails_to, student_data

SPANISH = {"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"}


@pytest.fixture
def school(app: Flask) -> School:
    ensure_default_vocabulary()
    return factories.make_school(name="Lincoln High", join_code="LINC-2024")


def _page(client: FlaskClient, path: str, **kwargs: object) -> str:
    response = client.get(path, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def _user(email: str) -> User:
    user = db.session.scalar(db.select(User).where(User.email == email))
    assert user is not None
    return user


def test_pages_follow_the_browser_language(client: FlaskClient, school: School) -> None:
    spanish = _page(client, "/signup/student", headers=SPANISH)
    assert '<html lang="es">' in spanish
    assert "Regístrate" in spanish or ("Registrarse" in spanish and "Tu centro" in spanish)
    english = _page(client, "/signup/student", headers={"Accept-Language": "en-GB"})
    assert '<html lang="en">' in english and "Your school" in english


def test_a_browser_language_the_portal_does_not_speak_gets_english(client: FlaskClient) -> None:
    page = _page(client, "/login", headers={"Accept-Language": "fr-FR,de;q=0.8"})
    assert '<html lang="en">' in page and "Log in" in page


def test_the_language_switch_is_kept_for_the_visit(client: FlaskClient, school: School) -> None:
    english = _page(client, "/signup/student")
    assert 'href="/signup/student?lang=es"' in english and 'lang="es"' in english
    assert '<html lang="es">' in _page(client, "/signup/student?lang=es")
    assert '<html lang="es">' in _page(client, "/login")  # remembered in the session
    assert '<html lang="en">' in _page(client, "/login?lang=en")
    assert '<html lang="en">' in _page(client, "/login?lang=xx")  # unknown: ignored


def test_a_users_setting_wins_over_the_browser(client: FlaskClient, auth: AuthActions) -> None:
    student = factories.make_student()
    assert student.user is not None
    auth.login_as(student.user)
    assert '<html lang="es">' in _page(client, "/account/password", headers=SPANISH)
    response = client.post("/account/language", data={"language": "en"})
    assert response.status_code == 303
    assert '<html lang="en">' in _page(client, "/account/password", headers=SPANISH)
    assert db.session.get(User, student.user.id).language == "en"  # type: ignore[union-attr]
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "user.language_changed")
    )
    assert event is not None and event.detail == {"language": "en"}
    client.post("/account/language", data={"language": "es"})
    assert '<html lang="es">' in _page(client, "/student", headers={"Accept-Language": "en"})
    client.post("/account/language", data={"language": ""})  # back to the browser's
    assert '<html lang="en">' in _page(client, "/student", headers={"Accept-Language": "en"})


def test_an_unknown_language_is_refused_on_the_field(
    client: FlaskClient, auth: AuthActions
) -> None:
    student = factories.make_student()
    assert student.user is not None
    auth.login_as(student.user)
    response = client.post("/account/language", data={"language": "xx"})
    assert response.status_code == 422
    assert db.session.get(User, student.user.id).language == ""  # type: ignore[union-attr]


def test_a_spanish_sign_up_keeps_both_languages_and_mails_in_each(
    client: FlaskClient, school: School
) -> None:
    data = student_data(school.join_code, guardian_language="en")
    response = client.post("/signup/student", data=data, headers=SPANISH)
    assert response.status_code == 303
    user = _user("kid@example.org")
    assert user.language == "es"
    student = db.session.scalar(db.select(StudentProfile).where(StudentProfile.user_id == user.id))
    assert student is not None and student.guardian_language == "en"
    [confirm] = mails_to("kid@example.org")
    assert confirm.subject == "Confirma tu correo electrónico para Mentorbridge"
    assert "Abre este enlace" in confirm.body
    client.post(link_in(confirm))  # the confirmation asks the guardian, in English
    [consent] = mails_to("maria@example.org")
    assert consent.subject == "Your consent for Ana to join Mentorbridge"


def test_the_guardian_is_asked_in_their_own_language(
    client: FlaskClient, auth: AuthActions, school: School
) -> None:
    data = student_data(school.join_code, guardian_language="es")
    client.post("/signup/student", data=data, headers={"Accept-Language": "en"})
    assert _user("kid@example.org").language == "en"
    client.post(link_in(mails_to("kid@example.org")[0]))
    auth.logout()  # the guardian opens the link in their own browser
    [consent] = mails_to("maria@example.org")
    assert consent.subject == "Su consentimiento para que Ana participe en Mentorbridge"
    assert "abra este enlace" in consent.body
    page = _page(client, link_in(consent), headers=SPANISH)
    assert "Doy mi consentimiento" in page and '<html lang="es">' in page


def test_the_sign_up_form_asks_the_guardians_language(client: FlaskClient, school: School) -> None:
    page = _page(client, "/signup/student", headers=SPANISH)
    assert 'name="guardian_language"' in page
    assert '<option selected value="es">Español</option>' in page


def test_a_bad_guardian_language_is_refused(client: FlaskClient, school: School) -> None:
    data = student_data(school.join_code, guardian_language="klingon")
    assert client.post("/signup/student", data=data).status_code == 422
    assert db.session.scalar(db.select(User)) is None


def test_validation_messages_are_in_spanish(client: FlaskClient, school: School) -> None:
    data = student_data("NOPE", grade="3")
    body = client.post("/signup/student", data=data, headers=SPANISH).get_data(as_text=True)
    assert "No conocemos este código" in body
    assert "Introduce un número del 6 al 12." in body


def test_dates_follow_the_locale(app: Flask) -> None:
    day = dt.date(2026, 12, 1)
    with app.test_request_context(headers=SPANISH):
        assert locale_date(day) == "1 dic 2026"
        assert locale_date(day, "long") == "1 de diciembre de 2026"
        with in_language("en"):
            assert locale_date(day) == "01 Dec 2026"
            assert locale_date(day, "day") == "1 December 2026"


@pytest.mark.parametrize(
    ("given", "code"), [("es-ES", "es"), ("ES", "es"), ("en_GB", "en"), ("fr", None), ("", None)]
)
def test_language_codes_are_normalised(given: str, code: str | None) -> None:
    assert normalise_language(given) == code


def test_templates_translate_each_word_once_per_language(app: Flask) -> None:
    """The templates' ``_`` keeps each (language, text) it has looked up: the same words on
    every row of a list cost one lookup, and a language never answers for another."""
    words = '{{ _("My mentor") }}|{{ _("%(day)s %(part)s", day="Monday", part="morning") }}'
    page = app.jinja_env.from_string(words)
    with app.test_request_context("/"):
        with i18n.in_language("en"):
            assert page.render() == "My mentor|Monday morning"
        with i18n.in_language("es"):
            assert page.render() == "Mi mentor|Monday por la morning"
        with i18n.in_language("en"):
            assert page.render() == "My mentor|Monday morning"
    assert i18n._TRANSLATED[(Locale.parse("es"), "My mentor")] == "Mi mentor"
