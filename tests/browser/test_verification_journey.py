"""Journey 3 in a real browser: a counselor records a background check and verifies a mentor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from jinja2 import TemplateNotFound
from playwright.sync_api import expect

from portal.extensions import db
from tests import factories


def _mentor_home_exists(app: Flask) -> bool:
    if "main.mentor_home" not in app.view_functions:
        return False
    try:
        app.jinja_env.get_template("main/mentor_home.html")
    except TemplateNotFound:
        return False
    return True


def test_counselor_verifies_a_pending_mentor(
    page: Any, live_server: Any, live_app: Flask, login: Any
) -> None:
    school = factories.make_school("Riverside High")
    counselor = factories.make_counselor(school, email="counselor@example.org")
    mentor = factories.make_mentor(school, verified=False, first_name="Pat", last_name="Okoye")
    mentor_email, counselor_email = mentor.user.email, counselor.email
    counselor_name = counselor.display_name
    # Release the connection: with BEGIN IMMEDIATE, an open read would lock out the server.
    db.session.remove()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    login(counselor_email)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.get_by_role("link", name="Verify partners").click()
    page.get_by_role("link", name="Pat Okoye").click()
    expect(page.locator("#verification-status")).to_have_text("pending")

    # Approving first is refused with a clear message, in place (htmx swaps the 422 panel).
    page.get_by_role("button", name="Approve Pat Okoye").click()
    expect(page.get_by_text("Record a passed, unexpired background check")).to_be_visible()

    today = dt.date.today()
    page.get_by_label("Kind of check").select_option("fingerprint")
    page.get_by_label("Reference number").fill("FP-44810")
    page.get_by_label("Checked on").fill((today - dt.timedelta(days=2)).isoformat())
    page.get_by_label("Expires on").fill((today + dt.timedelta(days=730)).isoformat())
    page.get_by_label("Outcome").select_option("passed")
    page.get_by_role("button", name="Record the check").click()
    expect(page.get_by_text("The background check is recorded.")).to_be_visible()
    expect(page.locator(".checks-table")).to_contain_text("FP-44810")
    expect(page.locator(".checks-table")).to_contain_text(counselor_name)

    page.get_by_role("button", name="Approve Pat Okoye").click()
    expect(page.get_by_text("Pat Okoye is verified.")).to_be_visible()
    expect(page.locator("#verification-status")).to_have_text("verified")
    expect(page.locator("#verification-panel")).to_contain_text("expires in 730 days")

    page.goto(live_server.url("/counselor/partners?status=pending"))
    expect(page.locator("#partner-list")).not_to_contain_text("Pat Okoye")
    page.goto(live_server.url("/counselor/partners?status=verified"))
    expect(page.locator("#partner-list")).to_contain_text("Pat Okoye")
    assert not [e for e in errors if "Content Security Policy" in e]

    if _mentor_home_exists(live_app):
        page.get_by_role("button", name="Log out").click()
        login(mentor_email)
        expect(page.locator("main")).to_contain_text("verified", ignore_case=True)
