"""Journey 7 in a real browser: a meeting logged and confirmed, goals and milestones on both
sides, a goal achieved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Goal
from tests import factories
from tests.factories import make_match, make_programme


def _world() -> tuple[str, str]:
    school = factories.make_school("Riverside High")
    mentor = factories.make_mentor(school, first_name="Rosa", last_name="Lopez")
    student = factories.make_student(school, first_name="Lina")
    match = make_match(student, mentor, programme=make_programme(school))
    today = dt.date.today()
    match.started_at = dt.datetime.combine(today - dt.timedelta(days=100), dt.time(), dt.UTC)
    match.meets_every, match.first_meeting_on = "fortnightly", today - dt.timedelta(days=90)
    match.agreed_at = match.started_at
    db.session.add(Goal(match_id=match.id, text="Build a robot", status="in_progress"))
    db.session.commit()
    emails = mentor.user.email, student.user.email or ""
    db.session.remove()  # release the connection for the server thread
    return emails


def _logout(page: Any) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(lambda url: "/login" in url or url.endswith("/"))


def test_meeting_confirmed_goals_and_milestones_on_both_sides(
    page: Any, live_server: Any, login: Any
) -> None:
    mentor_email, student_email = _world()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    login(mentor_email)
    page.goto(live_server.url("/mentees"))
    expect(page.get_by_text("3 months together")).to_be_visible()
    page.get_by_text("Log a meeting with Lina").click()
    page.get_by_label("Duration (minutes)").fill("50")
    page.get_by_role("button", name="Log meeting").click()
    expect(page.get_by_text("Meeting with Lina logged.")).to_be_visible()
    expect(page.get_by_text("not confirmed yet")).to_be_visible()
    _logout(page)

    login(student_email)
    page.goto(live_server.url("/my/matches"))
    expect(page.get_by_text("Build a robot").first).to_be_visible()
    expect(page.get_by_text("We meet every two weeks")).to_be_visible()
    page.get_by_role("button", name="Yes, we met").click()
    expect(page.get_by_text("the meeting is confirmed")).to_be_visible()
    expect(page.locator(".meetings")).to_contain_text("confirmed")
    expect(page.locator(".milestones")).to_contain_text("First meeting")
    page.get_by_label("A good fit", exact=True).check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Thank you for your answer.")).to_be_visible()
    _logout(page)

    login(mentor_email)
    page.goto(live_server.url("/mentees"))
    page.get_by_label("Progress of “Build a robot”").select_option("achieved")
    page.get_by_role("button", name="Update “Build a robot”").click()
    expect(page.get_by_text("Goal updated.")).to_be_visible()
    expect(page.locator(".milestones")).to_contain_text("Goal achieved: Build a robot")
    assert not [e for e in errors if "Content Security Policy" in e], errors
