"""Bad input on every sign-up, profile and project form: 422, a field message, nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import Base, Project
from tests import factories
from tests.conftest import AuthActions, World
from tests.signup.helpers import (
    born,
    mentor_data,
    organisation_data,
    project_data,
    student_data,
    student_profile_data,
)

REQUIRED = "This field is required."
INVISIBLE = "Contains invisible or control characters"
HUGE = "A" * 100_000
SCRIPT = "<script>alert(1)</script>"

# (case id, field, bad value, message shown on that field)
STUDENT_SIGNUP = [
    ("empty", "first_name", "", REQUIRED),
    ("too long", "last_name", "x" * 81, "cannot be longer than 80 characters"),
    ("wrong type", "grade", "abc", "Enter a whole number."),
    ("out of range", "grade", "13", "Enter a number from 6 to 12."),
    ("unknown join code", "join_code", "NOPE-1", "We do not know this join code"),
    ("bidi override", "first_name", "Ana\u202eevil", INVISIBLE),
    ("zero width", "last_name", "Lo\u200bpez", INVISIBLE),
    ("huge", "first_name", HUGE, "cannot be longer than 80 characters"),
    ("not an email", "email", "kid.example.org", "Enter an email address"),
    ("guardian not an email", "guardian_email", "maria@", "Enter an email address"),
    ("impossible date", "date_of_birth", "2024-02-30", "Not a valid date value."),
    ("no date of birth", "date_of_birth", "", "Enter the date of birth"),
    ("eight in grade 9", "date_of_birth", born(8), "fits grade 9 (age 13 to 17)"),
    ("year 1", "date_of_birth", "0001-01-01", "fits grade 9"),
    ("year 9999", "date_of_birth", "9999-12-31", "fits grade 9"),
    ("short password", "password", "short", "Use at least 12 characters."),
    ("script in code", "join_code", SCRIPT, "We do not know this join code"),
]
MENTOR_SIGNUP = [
    ("empty", "last_name", "", REQUIRED),
    ("unknown school", "school", "999", "Choose a school from the list."),
    ("wrong type", "school", "abc", "Choose a school from the list."),
    ("bidi override", "first_name", "\u202eSam", INVISIBLE),
    ("huge", "email", HUGE + "@example.org", "cannot be longer than 254 characters"),
    ("not an email", "email", "sam@@example.org", "Enter an email address"),
    ("control char", "first_name", "Sa\x07m", INVISIBLE),  # NUL: 400 in portal.security
]
ORGANISATION_SIGNUP = [
    ("empty", "name", "", REQUIRED),
    ("too long", "name", "x" * 161, "cannot be longer than 160 characters"),
    ("unknown kind", "kind", "charity", "Choose nonprofit or business."),
    ("script url", "website", "javascript:alert(1)", "Enter a web address starting with https://."),
    ("not a url", "website", "green streets", "Enter a web address starting with https://."),
    ("huge", "description", HUGE, "cannot be longer than 4000 characters"),
    ("zero width", "contact_name", "Jo\u200b Park", INVISIBLE),
    ("bad phone", "phone", SCRIPT, "Use digits, spaces and + ( ) . - only."),
    ("unknown area", "area", "moon", "Choose an area."),
]
STUDENT_PROFILE = [
    ("empty", "interests", [], "Choose at least one."),
    ("unknown tag", "interests", ["robotics", "hacking"], "Unknown interests: hacking."),
    ("tag of another kind", "goals", ["robotics"], "Unknown goals"),
    ("unknown slot", "availability", ["sun-noon"], "Unknown when are you free?: sun-noon."),
    ("unknown language", "languages", ["xx"], "Unknown languages: xx."),
    ("wrong choice", "modality", "teleport", "Choose how to meet."),
    ("huge", "about", HUGE, "cannot be longer than 1000 characters"),
    ("bidi override", "about", "I like \u202ecats", INVISIBLE),
    ("bad phone", "phone", "call me", "Use digits, spaces and + ( ) . - only."),
]
MENTOR_AVAILABILITY = [
    ("capacity too big", "capacity", "9", "Enter a number from 1 to 5."),
    ("wrong type", "capacity", "abc", "Enter a whole number."),
    ("empty", "availability", [], "Tick at least one time you are free."),
    ("negative", "grade_min", "-1", "Enter a number from 6 to 12."),
    ("huge number", "grade_max", "99999999999999999999", "Enter a number from 6 to 12."),
]
MENTOR_WORK = [
    ("empty", "job_title", "", REQUIRED),
    ("huge", "bio", HUGE, "cannot be longer than 2000 characters"),
    ("zero width", "job_title", "Nurse\u200b", INVISIBLE),
]
MENTOR_INTERESTS = [
    ("empty", "expertise", [], "Choose at least one."),
    ("unknown tag", "expertise", ["robotics"], "Unknown expertise"),
]
PROJECT = [
    ("empty", "title", "", REQUIRED),
    ("capacity too big", "capacity", "51", "Enter a number from 1 to 50."),
    ("wrong type", "capacity", "many", "Enter a whole number."),
    ("unknown tag", "skills", ["juggling"], "Unknown skills students practise: juggling."),
    ("bidi override", "title", "Garden\u202e", INVISIBLE),
    ("huge", "supervising_adults", HUGE, "cannot be longer than 1000 characters"),
    ("reversed grades", "grade_max", "8", "The last grade must not be below the first."),
]


def _state() -> dict[str, int]:
    """Row counts of every table: an error must leave them all as they were."""
    return {
        table.name: db.session.scalar(db.select(db.func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }


def _assert_refused(
    client: FlaskClient, url: str, data: dict[str, Any], field: str, message: str
) -> None:
    before = _state()
    response = client.post(url, data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422, body[:300]
    assert f'id="{field}-error"' in body or (
        field == "grade_min" and 'id="grade_max-error"' in body
    )
    assert message.replace("'", "&#39;") in body
    assert _state() == before


def _ids(cases: list[tuple[str, str, Any, str]]) -> list[str]:
    return [case[0] for case in cases]


@pytest.mark.parametrize(
    ("case", "field", "value", "message"), STUDENT_SIGNUP, ids=_ids(STUDENT_SIGNUP)
)
def test_student_signup_refuses(
    client: FlaskClient, world: World, case: str, field: str, value: Any, message: str
) -> None:
    data = student_data("JOIN-1", **{field: value})
    _assert_refused(client, "/signup/student", data, field, message)


@pytest.mark.parametrize(
    ("case", "field", "value", "message"), MENTOR_SIGNUP, ids=_ids(MENTOR_SIGNUP)
)
def test_mentor_signup_refuses(
    client: FlaskClient, world: World, case: str, field: str, value: Any, message: str
) -> None:
    data = mentor_data(world.school.id, **{field: value})
    _assert_refused(client, "/signup/mentor", data, field, message)


@pytest.mark.parametrize(
    ("case", "field", "value", "message"), ORGANISATION_SIGNUP, ids=_ids(ORGANISATION_SIGNUP)
)
def test_organisation_signup_refuses(
    client: FlaskClient, world: World, case: str, field: str, value: Any, message: str
) -> None:
    data = organisation_data(world.school.id, **{field: value})
    _assert_refused(client, "/signup/organisation", data, field, message)


@pytest.mark.parametrize(
    ("case", "field", "value", "message"), STUDENT_PROFILE, ids=_ids(STUDENT_PROFILE)
)
def test_student_profile_refuses(
    client: FlaskClient, auth: AuthActions, world: World, case: str, field: str,
    value: Any, message: str,
) -> None:  # fmt: skip
    auth.login_as(factories.make_student(world.school).user)
    data = student_profile_data(**{field: value})
    _assert_refused(client, "/student/profile", data, field, message)


MENTOR_BASE: dict[str, dict[str, Any]] = {
    "work": {"job_title": "Nurse", "bio": "Nights."},
    "interests": {"expertise": ["medicine"]},
    "availability": {
        "availability": ["mon-eve"],
        "modality": "online",
        "languages": ["en"],
        "area": "south",
        "capacity": "2",
        "grade_min": "9",
        "grade_max": "12",
    },
}
MENTOR_CASES = [
    (step, *case)
    for step, cases in (
        ("work", MENTOR_WORK),
        ("interests", MENTOR_INTERESTS),
        ("availability", MENTOR_AVAILABILITY),
    )
    for case in cases
]


@pytest.mark.parametrize(
    ("step", "case", "field", "value", "message"),
    MENTOR_CASES,
    ids=[f"{c[0]}-{c[1]}" for c in MENTOR_CASES],
)
def test_mentor_profile_refuses(
    client: FlaskClient, auth: AuthActions, world: World, step: str, case: str,
    field: str, value: Any, message: str,
) -> None:  # fmt: skip
    auth.login_as(factories.make_mentor(world.school).user)
    data = {**MENTOR_BASE[step], field: value}
    _assert_refused(client, f"/mentor/profile?step={step}", data, field, message)


def test_mentor_must_consent_to_a_check(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login_as(factories.make_mentor(world.school).user)
    message = "You need to consent to a background check to mentor students."
    _assert_refused(client, "/mentor/profile?step=check", {}, "background_check_consent", message)


@pytest.mark.parametrize(("case", "field", "value", "message"), PROJECT, ids=_ids(PROJECT))
def test_project_form_refuses(
    client: FlaskClient, auth: AuthActions, world: World, case: str, field: str,
    value: Any, message: str,
) -> None:  # fmt: skip
    organisation = factories.make_organisation(world.school)
    auth.login_as(organisation.user)
    data = project_data(**{field: value})
    _assert_refused(client, "/organisation/projects/new", data, field, message)
    project = factories.make_project(organisation, title="Kept")
    _assert_refused(client, f"/organisation/projects/{project.id}", data, field, message)
    db.session.refresh(project)
    assert project.title == "Kept"


def test_organisation_profile_refuses_a_bad_website(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    organisation = factories.make_organisation(world.school, website="https://ok.example.org")
    auth.login_as(organisation.user)
    data = {"name": "X", "kind": "nonprofit", "description": "Y", "area": "north"}
    data["website"] = "ftp://files.example.org"
    _assert_refused(
        client, "/organisation/profile", data, "website", "Enter a web address starting with"
    )
    db.session.refresh(organisation)
    assert organisation.website == "https://ok.example.org"


@pytest.mark.parametrize("path", ["/student/profile", "/signup/student"])
def test_an_empty_post_is_refused(
    client: FlaskClient, auth: AuthActions, world: World, path: str
) -> None:
    if path.startswith("/student"):
        auth.login_as(factories.make_student(world.school).user)
    before = _state()
    response = client.post(path, data={})
    assert response.status_code == 422 and "error-summary" in response.get_data(as_text=True)
    assert _state() == before


# --- markup is text: stored as typed, shown escaped ---------------------------------------------


def test_markup_in_a_project_and_an_organisation_is_stored_and_escaped(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    organisation = factories.make_organisation(world.school, name=SCRIPT)
    auth.login_as(organisation.user)
    assert (
        client.post("/organisation/projects/new", data=project_data(title=SCRIPT)).status_code
        == 303
    )
    assert db.session.scalars(db.select(Project.title)).one() == SCRIPT
    body = client.get("/organisation").get_data(as_text=True)
    assert SCRIPT not in body
    assert body.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2


def test_markup_in_a_student_signup_is_stored_and_escaped(
    client: FlaskClient, world: World
) -> None:
    data = student_data("JOIN-1", first_name=SCRIPT, grade="x")
    body = client.post("/signup/student", data=data).get_data(as_text=True)
    assert SCRIPT not in body and 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in body
