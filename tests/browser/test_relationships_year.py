"""Journey 7 in a real browser: a counselor finds a relationship that needs support, records
a support contact, ends the match with a reason; the student answers the emailed exit survey."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import OutboxMessage
from tests import factories
from tests.factories import make_match, make_programme


def test_counselor_supports_and_closes_a_match_and_the_student_answers(
    page: Any, live_server: Any, live_app: Flask, login: Any
) -> None:
    school = factories.make_school("Riverside High")
    counselor = factories.make_counselor(school, email="counselor@example.org")
    mentor = factories.make_mentor(school, first_name="Rosa", last_name="Lopez")
    student = factories.make_student(school, first_name="Lina", last_name="Haddad")
    calm = factories.make_student(school, first_name="Omar", last_name="Bakri")
    programme = make_programme(school, name="Riverside Mentoring")
    due = make_match(student, mentor, programme=programme)
    due.support_due_on = dt.date.today() - dt.timedelta(days=3)
    later = make_match(calm, factories.make_mentor(school), programme=programme)
    later.support_due_on = dt.date.today() + dt.timedelta(days=10)
    db.session.commit()
    counselor_email, student_email, match_id = counselor.email, student.user.email, due.id
    db.session.remove()  # release the connection for the server (BEGIN IMMEDIATE)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    login(counselor_email)
    page.get_by_role("link", name="Relationships").first.click()
    results = page.locator("#relationship-results")
    expect(results).to_contain_text("Haddad, Lina")
    expect(results).to_contain_text("Bakri, Omar")
    page.get_by_label("Show").select_option("support_due")  # htmx swaps the results
    expect(results).not_to_contain_text("Bakri, Omar")
    expect(results).to_contain_text("Haddad, Lina")

    _assert_accessible(page)
    page.get_by_role("link", name="Haddad, Lina").click()
    _assert_accessible(page)
    page.get_by_label("With whom").select_option("guardian")
    page.get_by_label("How", exact=True).select_option("phone")
    page.get_by_label("Short note").fill("Mum says the meetings help.")
    page.get_by_role("button", name="Record the contact").click()
    expect(page.get_by_text("Support contact recorded.")).to_be_visible()
    expect(page.locator(".support-contacts")).to_contain_text("Mum says the meetings help.")

    # An incomplete closure is refused in place; then the match ends with a reason.
    page.get_by_role("button", name="End the match").click()
    expect(page.locator(".end-match .error").first).to_contain_text("Choose a reason.")
    page.get_by_label("Why the match ends").select_option("completed")
    page.get_by_label("Closing note").fill("A good year; goals reached.")
    page.get_by_label("I understand: the match ends now").check()
    page.get_by_role("button", name="End the match").click()
    expect(page.get_by_text("The match has ended")).to_be_visible()
    expect(page.get_by_role("heading", name="Rematch")).to_be_visible()
    expect(page.locator(".surveys")).to_contain_text("not answered yet")

    body = db.session.scalars(
        db.select(OutboxMessage.body).where(OutboxMessage.to == student_email)
    ).all()[-1]
    db.session.remove()
    path = "/exit-survey/" + body.split("/exit-survey/")[1].split()[0]
    page.context.clear_cookies()  # the student follows the link, not logged in
    page.goto(live_server.url(path))
    expect(page.get_by_text("Your match with Rosa Lopez has ended")).to_be_visible()
    page.get_by_label("4").check()
    page.get_by_label("Most goals reached").check()
    page.get_by_label("Yes").check()
    page.get_by_label("Anything else").fill("Thank you Rosa!")
    _assert_accessible(page)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()

    login(counselor_email)
    page.goto(live_server.url(f"/matches/{match_id}"))
    expect(page.locator(".surveys")).to_contain_text("satisfaction 4/5")
    assert not [e for e in errors if "Content Security Policy" in e], errors


def _assert_accessible(page: Any) -> None:
    """No serious or critical WCAG 2.2 AA violation on the page, as axe-core sees it."""
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
    found = [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert found == [], found
