"""Stored XSS: payloads typed into text fields render escaped and inert in a real browser."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Concern
from tests import factories
from tests.factories import make_match

PAYLOADS = [
    "<script>window.__xss = 1; alert('xss')</script>",
    '<img src="x" onerror="window.__xss = 2; alert(2)">',
    '<div hx-get="/xss-probe" hx-trigger="load" hx-swap="outerHTML">probe</div>',
    '"><svg onload="alert(3)">',
]
NOTE = " ".join(PAYLOADS)


def _watch(page: Any) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {"dialogs": [], "probes": []}
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("request", lambda r: seen["probes"].append(r.url) if "xss-probe" in r.url else None)
    return seen


def _assert_inert(page: Any, seen: dict[str, list[str]]) -> None:
    page.wait_for_timeout(300)  # let any injected handler or htmx trigger run
    assert seen == {"dialogs": [], "probes": []}
    assert page.evaluate("window.__xss") is None
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("img[onerror], svg[onload], [hx-get*='xss-probe']").count() == 0


def test_concern_note_payloads_render_as_text(page: Any, live_server: Any, login: Any) -> None:
    school = factories.make_school()
    counselor = factories.make_counselor(school)
    student = factories.make_student(school)
    make_match(student, factories.make_mentor(school))
    student_email, counselor_email = student.user.email, counselor.email
    # SQLite transactions here are BEGIN IMMEDIATE: release ours before the server writes.
    db.session.commit()
    seen = _watch(page)
    login(student_email)
    page.goto(live_server.url("/concerns/new"))
    page.get_by_label("Tell us more").fill(NOTE)
    page.get_by_role("button", name="Send to the counselors").click()
    page.wait_for_url(lambda url: "/concerns/new" not in url)
    concern = db.session.scalars(db.select(Concern)).one()
    assert concern.note == NOTE  # stored as typed
    concern_id = concern.id
    db.session.commit()
    page.context.clear_cookies()
    login(counselor_email)
    page.goto(live_server.url(f"/safeguarding/concerns/{concern_id}"))
    expect(page.get_by_text(PAYLOADS[0])).to_be_visible()  # shown as text
    _assert_inert(page, seen)


def test_guardian_name_payload_is_inert_in_the_consent_history(
    page: Any, live_server: Any, login: Any
) -> None:
    school = factories.make_school()
    counselor = factories.make_counselor(school)
    student = factories.make_student(school)
    counselor_email, student_id = counselor.email, student.id
    db.session.commit()
    seen = _watch(page)
    login(counselor_email)
    page.goto(live_server.url(f"/safeguarding/students/{student_id}/consent"))
    page.get_by_label("Consent given").check()
    page.get_by_label("Guardian's name").fill(PAYLOADS[1][:120])
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("cell", name=PAYLOADS[1][:120])).to_be_visible()
    page.reload()
    _assert_inert(page, seen)
