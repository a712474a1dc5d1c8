"""Journeys 4–6 in a real browser: run matching, watch it, explain, approve, see the match."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from portal.extensions import db
from tests import factories
from tests.factories import make_programme, matching_term


def _seed() -> dict[str, Any]:
    school = factories.make_school("Northside High")
    counselor = factories.make_counselor(school, email="counselor@example.org")
    meeting = "Tuesdays 3-4 pm in the library"
    programme = make_programme(
        school, **matching_term(name="Autumn mentoring", meeting_info=meeting)
    )
    mentors = [
        factories.make_mentor(school, first_name="Rosa", last_name="Lopez", capacity=1,
                              job_title="Nurse", employer="City Clinic"),
        factories.make_mentor(school, first_name="Tom", last_name="Baker", capacity=1),
    ]  # fmt: skip
    students = [
        factories.make_student(school, first_name="Lina", last_name="Haddad"),
        factories.make_student(school, first_name="Omar", last_name="Diallo"),
    ]
    data = {
        "counselor": counselor.email,
        "programme": programme.id,
        "mentors": {f"{m.first_name} {m.last_name}": m.user.email for m in mentors},
        "students": [(s.first_name, s.last_name, s.user.email) for s in students],
    }
    db.session.commit()  # plain values only from here: the test holds no SQLite lock
    return data


def _logout(page: Any) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/login"))


def test_counselor_runs_reviews_approves_and_both_sides_see_the_match(
    page: Any, live_server: Any, login: Any
) -> None:
    data = _seed()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    login(data["counselor"])
    page.goto(live_server.url(f"/programmes/{data['programme']}"))
    page.get_by_role("button", name="Run matching").click()
    page.wait_for_url(re.compile(r"/programmes/runs/\d+$"))
    review_link = page.get_by_role("link", name="Review the proposals")
    expect(review_link).to_be_visible(timeout=30_000)  # htmx polling brought the result
    review_link.click()
    expect(page.get_by_text("2 of 2 students proposed a mentor")).to_be_visible()
    expect(page.locator("svg.histogram")).to_be_visible()

    first_row = page.locator("tr.proposal-row").first
    first_row.get_by_role("link", name="Why?").click()
    expect(first_row.get_by_text("Shared interests: Robotics, Coding")).to_be_visible()
    expect(first_row.get_by_text("Tuesday afternoon")).to_be_visible()

    for first, last, _ in data["students"]:
        name = f"Approve {first} {last}"
        page.get_by_role("button", name=name).click()
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    expect(page.locator("tr.proposal-row .badge.proposal-approved")).to_have_count(2)
    expect(page.locator(".row-message").first).to_have_text("Approved.")
    _logout(page)

    login(data["students"][0][2])  # lands on the student's home, which shows the match
    expect(page.get_by_role("heading", name="My mentor", exact=True)).to_be_visible()
    expect(page.get_by_text("Tuesdays 3-4 pm in the library")).to_be_visible()
    mentor_name = page.locator(".my-mentor strong").first.inner_text()
    assert mentor_name in data["mentors"]
    _logout(page)

    login(data["mentors"][mentor_name])  # lands on the mentor's home
    expect(page.get_by_role("heading", name=re.compile(r"^Lina"))).to_be_visible()
    expect(page.get_by_text("Haddad")).to_have_count(0)
    assert not [e for e in errors if "Content Security Policy" in e], errors
