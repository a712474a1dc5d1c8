"""Journey 8 in a real browser: a 300-row class list with three bad rows, fixed, imported twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from portal.extensions import db
from tests import factories
from tests.imports import classlist


def _upload(page: Any, live_server: Any, path: Path) -> None:
    page.goto(live_server.url("/counselor/students"))
    page.get_by_role("link", name="Import students").click()
    page.get_by_label("Class list (.csv or .xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()


def test_counselor_imports_a_class_list_fixes_it_and_imports_it_again(
    page: Any, live_server: Any, login: Any, tmp_path: Path
) -> None:
    school = factories.make_school("Riverside High")
    counselor = factories.make_counselor(school, email="counselor@example.org")
    email = counselor.email
    db.session.remove()  # release the connection (BEGIN IMMEDIATE would lock out the server)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    good = classlist.rows(300)
    broken, fixed = tmp_path / "broken.csv", tmp_path / "class.csv"
    broken.write_bytes(classlist.csv_bytes(classlist.with_three_bad(good)))
    fixed.write_bytes(classlist.csv_bytes(good))

    login(email)
    _upload(page, live_server, broken)
    expect(page.get_by_text("3 problems in the file")).to_be_visible()
    table = page.locator(".import-errors tbody tr")
    expect(table).to_have_count(3)
    expect(table.nth(0)).to_contain_text("11")
    expect(table.nth(1)).to_contain_text("101")
    expect(table.nth(2)).to_contain_text("201")
    expect(page.get_by_role("button", name="Import")).to_have_count(0)

    _upload(page, live_server, fixed)
    expect(page.locator(".import-counts")).to_have_text(
        "300 to add, 0 to update, 0 left as they are."
    )
    page.get_by_role("button", name="Import 300 students").click()
    expect(page.locator(".import-counts")).to_have_text("300 added, 0 updated, 0 unchanged.")

    _upload(page, live_server, fixed)
    expect(page.locator(".import-counts")).to_have_text(
        "0 to add, 0 to update, 300 left as they are."
    )
    page.get_by_role("button", name="Import 0 students").click()
    expect(page.locator(".import-counts")).to_have_text("0 added, 0 updated, 300 unchanged.")
    page.get_by_role("link", name="See the students").click()
    expect(page.get_by_text("300 students")).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e], errors
