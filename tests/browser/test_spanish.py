"""Issue #15: a student signs up and a guardian gives consent entirely in Spanish.

The browser asks for Spanish (``locale="es-ES"`` sends ``Accept-Language: es-ES``); every
label, button, heading and email on the way is Spanish, and ``<html lang="es">``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import OutboxMessage, School
from portal.vocabulary import ensure_default_vocabulary
from tests import factories
from tests.factories import PASSWORD
from tests.signup.helpers import born


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "es-ES"}


@pytest.fixture
def school(live_server: Any) -> School:
    ensure_default_vocabulary()
    return factories.make_school(name="Oak High", join_code="OAK-77")


def _last_mail(to: str) -> tuple[str, str]:
    db.session.rollback()  # see what the server's thread committed
    message = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.to == to).order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None, f"no mail to {to}"
    subject, body = message.subject, message.body
    db.session.rollback()  # end the read: the server needs to write
    return subject, body


def _link(body: str, path: str) -> str:
    match = re.search(rf"https?://\S+{path}\S+", body)
    assert match, body
    return match.group(0)


def test_a_student_and_a_guardian_take_part_in_spanish(
    page: Any, browser: Any, live_server: Any, school: School
) -> None:
    page.goto(live_server.url("/signup/student"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("group", name="Tu centro")).to_be_visible()
    page.get_by_label("Código del centro").fill("oak-77")
    page.get_by_label("Curso", exact=True).fill("8")
    page.get_by_label("Nombre", exact=True).fill("Ana")
    page.get_by_label("Apellidos").fill("López")
    page.get_by_label("Fecha de nacimiento").fill(born(13))
    page.get_by_role("button", name="Registrarse").click()  # no guardian yet: Spanish errors
    expect(
        page.get_by_text("Los estudiantes menores de 18 años necesitan los datos")
    ).to_have_count(2)
    page.get_by_label("Nombre de tu padre, madre o tutor").fill("María López")
    page.get_by_label("Correo electrónico de tu padre, madre o tutor").fill("maria@example.org")
    page.get_by_label("Idioma de los correos para tu padre, madre o tutor").select_option("es")
    page.get_by_label("Correo electrónico", exact=True).fill("ana@example.org")
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_label("Repite la contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Registrarse").click()
    expect(page.get_by_role("heading", name="Revisa tu correo electrónico")).to_be_visible()

    subject, body = _last_mail("ana@example.org")
    assert subject == "Confirma tu correo electrónico para Mentorbridge"
    page.goto(_link(body, "/signup/confirm/"))
    page.get_by_role("button", name="Confirmar mi correo electrónico").click()
    expect(page.get_by_text("Tu correo electrónico está confirmado")).to_be_visible()
    page.get_by_role("link", name="Inicio").click()
    expect(page.get_by_text("Esperando el consentimiento familiar")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")

    subject, body = _last_mail("maria@example.org")
    assert subject == "Su consentimiento para que Ana participe en Mentorbridge"
    guardian = browser.new_context(locale="es-ES").new_page()  # the guardian's own browser
    guardian.goto(_link(body, "/consent/"))
    expect(guardian.locator("html")).to_have_attribute("lang", "es")
    expect(
        guardian.get_by_role("heading", name="Consentimiento para que Ana participe")
    ).to_be_visible()
    expect(guardian.get_by_text("necesitamos su consentimiento")).to_be_visible()
    guardian.get_by_role("button", name="Doy mi consentimiento", exact=True).click()
    expect(guardian.get_by_role("heading", name="Gracias")).to_be_visible()
    expect(guardian.get_by_text("Su consentimiento ha quedado registrado")).to_be_visible()
