"""The shared fields (portal/forms/fields.py), the filter base, and the typed payloads.

Every form builds its free text, emails and dates from the same factories, so the house rules
(trim, bound, refuse hidden characters) are applied in one place; and every form hands its
service one typed object carrying every field that service applies.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict
from wtforms import Form

from portal.counselor.forms import StudentDetailsForm, StudentFilterForm
from portal.counselor.services import StudentDetails
from portal.forms.fields import date_field, email_field, text, trimmed
from portal.forms.validators import not_in_future
from portal.programmes.forms import ProgrammeForm
from portal.programmes.services import PROGRAMME_FIELDS
from portal.signup import profiles
from portal.signup.forms import OrganisationDetailsForm
from portal.signup.profile_forms import MENTOR_STEPS, ProjectForm, StudentProfileForm

PORTAL = Path(__file__).resolve().parents[2] / "portal"


class Sample(Form):
    name = text("Name", 10)
    note = text("Note", 20, required=False, area=True)
    slug = text("Slug", 10, clean=False)
    as_typed = text("As typed", 10, required=False, strip=False)
    email = email_field("Email")
    login = email_field("Login", check=False, clean=False)
    day = date_field("Day", not_in_future, required=False)
    born = date_field("Born", required="Enter the date of birth.")
    cell = trimmed("Cell")


def _form(**data: str) -> Sample:
    values = {"name": "Ana", "slug": "a", "email": "a@example.org", "login": "a"}
    values.update({"born": "2010-05-31", **data})
    form = Sample(MultiDict(values))
    form.validate()
    return form


def test_text_is_trimmed_normalised_and_bounded(app: Flask) -> None:
    with app.test_request_context():
        form = _form(name="  Cafe\u0301 ", cell="  7  ")
        assert form.name.data == "Café" and form.cell.data == "7" and not form.errors
        assert 'maxlength="10"' in form.name()
        assert _form(name="x" * 11).errors["name"] == ["Field cannot be longer than 10 characters."]
        assert _form(name="   ").errors["name"] == ["This field is required."]
        assert "note" not in _form(note="").errors and form.note().startswith("<textarea")


def test_hidden_characters_are_refused_unless_a_field_says_clean_false(app: Flask) -> None:
    with app.test_request_context():
        errors = _form(name="Lo\u200bpez", slug="a\u200bb", as_typed=" a ").errors
        assert "invisible or control characters" in errors["name"][0]
        assert "slug" not in errors
        assert _form(as_typed=" a ").as_typed.data == " a "


def test_email_fields_check_the_shape_with_the_plain_message(app: Flask) -> None:
    with app.test_request_context():
        errors = _form(email="not-an-address", login="not-an-address").errors
        assert errors["email"] == ["Enter an email address like name@example.org."]
        assert "login" not in errors
        assert _form(email="x" * 250 + "@a.org").errors["email"][0].startswith("Field cannot")


def test_date_fields_say_what_is_missing_and_refuse_the_future(app: Flask) -> None:
    with app.test_request_context():
        tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
        errors = _form(born="", day=tomorrow).errors
        assert errors["born"] == ["Enter the date of birth."]
        assert errors["day"] == ["The date cannot be in the future."]
        assert "day" not in _form(day="").errors


def test_no_form_outside_portal_forms_trims_or_cleans_by_hand() -> None:
    hand_made = [
        path.relative_to(PORTAL).as_posix()
        for path in PORTAL.rglob("*.py")
        if path.parent.name != "forms"
        and ("filters=[strip_filter]" in path.read_text() or "clean_text]" in path.read_text())
    ]
    assert hand_made == []


def test_a_filter_form_keeps_only_the_valid_filters_and_needs_no_token(app: Flask) -> None:
    with app.test_request_context("/?q=Ana&grade=99&consent=given"):
        form = StudentFilterForm(MultiDict({"q": " Ana ", "grade": "99", "consent": "given"}))
        assert not form.validate() and "csrf_token" not in form
        assert form.valid_data() == {"q": "Ana", "consent": "given"}


def _keys(form: Any) -> set[str]:
    return set(form.values())


def test_each_form_hands_its_service_every_field_the_service_applies(app: Flask) -> None:
    with app.test_request_context(method="POST"):
        meta = {"csrf": False}
        assert _keys(StudentProfileForm(meta=meta)) == set(profiles.STUDENT_FIELDS)
        steps = set().union(*(_keys(form(meta=meta)) for _, _, form in MENTOR_STEPS))
        assert steps == set(profiles.MENTOR_FIELDS)
        assert _keys(OrganisationDetailsForm(meta=meta)) == set(profiles.ORGANISATION_FIELDS)
        assert _keys(ProjectForm(meta=meta)) == set(profiles.PROJECT_FIELDS)
        programme = ProgrammeForm(meta=meta)
        programme.school_id.choices = []
        assert _keys(programme) == set(PROGRAMME_FIELDS)
        details = StudentDetailsForm(meta=meta)
        assert _keys(details) == set(StudentDetails.__annotations__)


@pytest.mark.parametrize("minor", ["minor", "adult"])
def test_student_details_carry_the_minor_status_as_a_flag(app: Flask, minor: str) -> None:
    with app.test_request_context(method="POST"):
        form = StudentDetailsForm(MultiDict({"minor": minor}), meta={"csrf": False})
        assert form.values()["is_minor"] is (minor == "minor")
