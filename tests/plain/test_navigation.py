"""Issue #15: "Report a concern" is one click away on every student and partner page."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.security.harness import client_as
from tests.security.world import TwoSchoolWorld

PAGES = {
    "student": ["/student", "/student/profile", "/my/matches", "/account/password"],
    "mentor": ["/mentor", "/mentor/profile", "/mentees"],
    "organisation": ["/organisation", "/organisation/profile", "/rosters"],
}


@pytest.mark.parametrize("role", sorted(PAGES))
def test_report_a_concern_is_linked_from_every_page(app: Flask, role: str) -> None:
    world = TwoSchoolWorld.new()
    world.approve()
    client = client_as(app, world, role)
    for path in PAGES[role]:
        html = client.get(path).get_data(as_text=True)
        assert '<a href="/concerns/new">Report a concern</a>' in html, path


def test_staff_nav_has_no_report_link(app: Flask) -> None:
    world = TwoSchoolWorld.new()
    html = client_as(app, world, "counselor").get("/counselor/").get_data(as_text=True)
    assert '<a href="/concerns/new">' not in html
