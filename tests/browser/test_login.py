"""A user logs in and out in a real browser; htmx runs under the strict CSP."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests import factories


def test_wrong_password_shows_inline_error_without_reload(page: Any, live_server: Any) -> None:
    factories.make_admin(email="admin@example.org")
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url("/login"))
    page.get_by_label("Email").fill("admin@example.org")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Wrong email or password.")).to_be_visible()
    assert page.evaluate("typeof htmx") == "object"
    assert not [e for e in errors if "Content Security Policy" in e]
