"""Journeys 1 and 2 in a real browser, with CSRF on and htmx under the strict CSP.

A mentor signs up, confirms the email from the outbox link and fills the profile in steps
(tag search, availability grid); a student signs up with a join code, a date of birth that
fits the grade and a guardian; a nonprofit signs up and posts a project.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import OutboxMessage, School
from portal.vocabulary import ensure_default_vocabulary
from tests import factories
from tests.factories import PASSWORD
from tests.signup.helpers import born


@pytest.fixture
def school(live_server: Any) -> School:
    ensure_default_vocabulary()
    return factories.make_school(name="Oak High", join_code="OAK-77")


@pytest.fixture
def console_errors(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def _last_mail(to: str) -> tuple[str, str]:
    """Subject and body of the newest mail to ``to`` (the outbox is the mailbox here)."""
    db.session.rollback()  # see what the server's thread committed
    message = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.to == to).order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None, f"no mail to {to}"
    subject, body = message.subject, message.body
    db.session.rollback()  # end the read: the server needs to write
    return subject, body


def _confirm_link(to: str) -> str:
    subject, body = _last_mail(to)
    match = re.search(r"https?://\S+/signup/confirm/\S+", body)
    assert subject.startswith("Confirm your email") and match
    return match.group(0)


def _account(page: Any, email: str) -> None:
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()


def _confirm(page: Any, email: str) -> None:
    page.goto(_confirm_link(email))
    page.get_by_role("button", name="Confirm my email").click()
    expect(page.get_by_text("Your email is confirmed")).to_be_visible()


def _continue(page: Any, step: str) -> None:
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(f"step={step}"))


def test_mentor_signs_up_and_lands_pending_verification(
    page: Any, live_server: Any, school: School, console_errors: list[str]
) -> None:
    page.goto(live_server.url("/signup/mentor"))
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Rivera")
    page.get_by_label("School you volunteer with").select_option(label="Oak High")
    _account(page, "sam@example.org")
    _confirm(page, "sam@example.org")

    expect(page.get_by_role("heading", name="Step 1 of 4: Your work")).to_be_visible()
    page.get_by_label("Job title").fill("Software engineer")
    page.get_by_label("A few words about you").fill("I build robots.")
    _continue(page, "interests")

    page.get_by_label("Find expertise").press_sequentially("soft", delay=30)
    page.get_by_role("button", name="Software").click()  # an htmx suggestion
    expect(page.get_by_label("Software", exact=True)).to_be_checked()
    page.get_by_label("Engineering", exact=True).check()  # the plain list works too
    _continue(page, "availability")

    page.get_by_label("Tuesday afternoon").check()
    page.get_by_label("Saturday morning").focus()
    page.keyboard.press("Space")  # the grid is keyboard usable
    expect(page.get_by_label("Saturday morning")).to_be_checked()
    page.get_by_label("Online").check()
    page.get_by_label("English").check()
    page.get_by_label("Area").select_option("north")
    page.get_by_label("How many students can you mentor?").fill("9")
    page.get_by_label("From grade").fill("9")
    page.get_by_label("To grade").fill("12")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("Enter a number from 1 to 5.")).to_be_visible()  # inline, via htmx
    assert "step=availability" in page.url
    expect(page.get_by_label("Tuesday afternoon")).to_be_checked()  # kept in the re-rendered form
    page.get_by_label("How many students can you mentor?").fill("2")
    _continue(page, "check")

    page.get_by_label("I consent to a background check by the school").check()
    page.get_by_role("button", name="Save my profile").click()
    page.wait_for_url(re.compile(r"/mentor$"))
    expect(page.get_by_text("Pending verification")).to_be_visible()
    expect(page.get_by_text("Tuesday afternoon, Saturday morning")).to_be_visible()
    assert not [e for e in console_errors if "Content Security Policy" in e]


def test_student_signs_up_with_a_join_code_and_awaits_consent(
    page: Any, live_server: Any, school: School, console_errors: list[str]
) -> None:
    page.goto(live_server.url("/signup/student"))
    page.get_by_label("School join code").fill("oak-77")
    page.get_by_label("Grade", exact=True).fill("8")
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Lopez")
    expect(page.get_by_text("I am 18 or over")).to_have_count(0)  # no self-declared adults
    page.get_by_label("Date of birth").fill(born(18))  # an adult in grade 8 does not fit
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("fits grade 8 (age 12 to 16)")).to_be_visible()
    page.get_by_label("Date of birth").fill(born(13))
    page.get_by_role("button", name="Sign up").click()  # a minor, no guardian yet: errors
    expect(
        page.get_by_text("Students under 18 need a parent or guardian's details.")
    ).to_have_count(2)
    page.get_by_label("Parent or guardian's name").fill("Maria Lopez")
    page.get_by_label("Parent or guardian's email").fill("maria@example.org")
    _account(page, "ana@example.org")
    _confirm(page, "ana@example.org")

    page.wait_for_url(re.compile(r"/student/profile$"))
    page.get_by_role("link", name="Home").click()
    expect(page.get_by_text("Awaiting guardian consent")).to_be_visible()
    expect(page.get_by_text("We emailed Maria Lopez")).to_be_visible()
    assert "/consent/" in _last_mail("maria@example.org")[1]
    assert not [e for e in console_errors if "Content Security Policy" in e]


def test_nonprofit_signs_up_and_posts_a_project(
    page: Any, live_server: Any, school: School, console_errors: list[str]
) -> None:
    page.goto(live_server.url("/signup/organisation"))
    page.get_by_label("Organisation name").fill("Green Streets")
    page.get_by_label("Nonprofit").check()
    page.get_by_label("What your organisation does").fill("We plant trees.")
    page.get_by_label("Website (optional)").fill("https://green.example.org")
    page.get_by_label("Area").select_option("north")
    page.get_by_label("Your name (the contact person)").fill("Jo Park")
    page.get_by_label("School you work with").select_option(label="Oak High")
    _account(page, "jo@green.example.org")
    _confirm(page, "jo@green.example.org")

    expect(page.get_by_text("No project yet. Post your first project")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Post a project").click()
    page.get_by_label("Project title").fill("Community garden")
    page.get_by_label("What students will do").fill("Build raised beds.")
    page.get_by_label("Find skills students practise").press_sequentially("gard", delay=30)
    page.get_by_role("button", name="Gardening").click()
    page.get_by_label("How many students can join?").fill("6")
    page.get_by_label("Saturday morning").check()
    page.get_by_label("In person").check()
    page.get_by_label("English").check()
    page.get_by_label("Area").select_option("north")
    page.get_by_label("From grade").fill("9")
    page.get_by_label("To grade").fill("12")
    page.get_by_label("Supervising adults (names and roles)").fill("Jo Park, site lead")
    page.get_by_label("The supervising adults have passed a background check").check()
    page.get_by_role("button", name="Post the project").click()

    page.wait_for_url(re.compile(r"/organisation$"))
    expect(page.locator(".project-row strong")).to_have_text(["Community garden"])
    expect(page.get_by_text("Pending verification")).to_be_visible()
    assert not [e for e in console_errors if "Content Security Policy" in e]


def test_student_signs_up_and_fills_the_profile_without_javascript(
    browser: Any, live_server: Any, school: School
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url("/signup/student"))
    page.get_by_label("School join code").fill("OAK-77")
    page.get_by_label("Grade", exact=True).fill("13")
    page.get_by_label("First name").fill("Leo")
    page.get_by_label("Last name").fill("Kim")
    page.get_by_label("Date of birth").fill(born(18))  # an adult by date: no guardian needed
    page.get_by_label("Email", exact=True).fill("leo@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Enter a number from 6 to 12.")).to_be_visible()  # a 422 page
    page.get_by_label("Grade", exact=True).fill("12")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    _confirm(page, "leo@example.org")

    expect(page.get_by_label("Find interests")).to_be_hidden()  # the search needs JavaScript
    page.get_by_label("Robotics").check()
    page.get_by_label("Wednesday evening").check()
    page.get_by_label("Either").check()
    page.get_by_label("Spanish").check()
    page.get_by_label("Area").select_option("west")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Ready for matching")).to_be_visible()
    context.close()
