"""Journey 8 in a real browser: a counselor reads the outcome report and downloads the
relationships as .xlsx."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
from playwright.sync_api import expect

from portal.extensions import db
from tests.reports.world import ReportWorld


def test_counselor_reads_the_report_and_downloads_xlsx(
    page: Any, live_server: Any, login: Any, tmp_path: Path
) -> None:
    world = ReportWorld.new()
    email, programme_id = world.counselor.email, world.programme.id
    db.session.remove()  # release the connection for the server
    refused: list[str] = []  # a CSP refusal would mean the charts need a script or a style
    page.on(
        "console", lambda msg: refused.append(msg.text) if "Content Security" in msg.text else None
    )

    login(email)
    page.goto(live_server.url(f"/programmes/{programme_id}"))
    page.get_by_role("link", name="Outcome report").click()
    expect(page.get_by_role("heading", name="Outcome report: Year mentoring")).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(6)
    coverage = page.get_by_role("img", name="Coverage")
    expect(coverage).to_contain_text("Matched")
    expect(coverage).to_contain_text("3")
    expect(page.locator("#goals")).to_contain_text("3 goals set, 1 achieved")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # the print layout is one page
    page.emulate_media(media="screen")

    page.goto(live_server.url("/counselor/relationships"))
    with page.expect_download() as info:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    sheet = openpyxl.load_workbook(saved, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Id", "Programme", "Student")
    assert len(rows) == 4  # the header and the three relationships
    assert {row[1] for row in rows[1:]} == {"Year mentoring"}
    assert refused == []
