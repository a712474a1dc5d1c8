"""Issue #15: after matching the student's status says so; dates and meeting times are shown."""

from __future__ import annotations

from flask import Flask

from portal.extensions import db
from tests.security.harness import client_as
from tests.security.world import TwoSchoolWorld


def test_status_says_matched_with_whom_and_shows_dates_and_times(app: Flask) -> None:
    world = TwoSchoolWorld.new()
    a = world.a
    a.student.profile_complete = True
    db.session.commit()
    before = client_as(app, world, "student").get("/student").get_data(as_text=True)
    assert "Matched with" not in before
    world.approve()
    a.project.availability = ["sat-am", "sun-pm"]
    db.session.commit()
    html = client_as(app, world, "student").get("/student").get_data(as_text=True)
    mentor = f"{a.mentor.first_name} {a.mentor.last_name}"
    project = f"{a.project.title} ({a.org.name})"
    assert f"Matched with {mentor} and {project}" in html
    assert "Ready for matching" not in html
    term = a.programme.starts_on.strftime("%-d %B %Y")
    assert f"<dt>Dates</dt><dd>{term} to " in html
    assert "<dt>Meets</dt><dd>Saturday morning, Sunday afternoon</dd>" in html
