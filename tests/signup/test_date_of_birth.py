"""No self-declared adults: minor status follows the date of birth (review finding 5).

A grade-6 student once signed up with "I am 18 or over" and was stored as an adult: no
guardian, no consent. Now the date of birth is required, must fit the grade (an age from
grade + 4 to grade + 8 today) and alone decides minor status.
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import ConsentStatus, School, StudentProfile
from portal.signup.fields import birth_dates_for
from portal.vocabulary import ensure_default_vocabulary
from tests import factories
from tests.signup.helpers import born, student_data

NO_GUARDIAN = {"guardian_name": "", "guardian_email": ""}


@pytest.fixture
def school(app: Flask) -> School:
    ensure_default_vocabulary()
    return factories.make_school(join_code="DOB-1")


def _students() -> list[StudentProfile]:
    return list(db.session.scalars(db.select(StudentProfile)))


def test_the_self_declared_adult_answer_is_gone(client: FlaskClient, school: School) -> None:
    page = client.get("/signup/student").get_data(as_text=True)
    assert "18 or over" not in page and 'name="age_group"' not in page
    assert 'name="date_of_birth"' in page
    # The old attack: grade 6, "adult", no guardian, no date of birth.
    data = student_data("DOB-1", grade="6", age_group="adult", date_of_birth="", **NO_GUARDIAN)
    response = client.post("/signup/student", data=data)
    assert response.status_code == 422
    assert "Enter the date of birth" in response.get_data(as_text=True)
    assert _students() == []


def test_an_adult_date_of_birth_in_grade_6_is_refused_with_what_fits(
    client: FlaskClient, school: School
) -> None:
    data = student_data("DOB-1", grade="6", date_of_birth=born(18), **NO_GUARDIAN)
    response = client.post("/signup/student", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    earliest, latest = birth_dates_for(6, dt.date.today())
    body = response.get_data(as_text=True)
    assert "Enter a date of birth that fits grade 6 (age 10 to 14)" in body
    assert f"from {earliest.day} {earliest:%B %Y} to {latest.day} {latest:%B %Y}" in body
    assert _students() == []


def test_an_eight_year_old_in_grade_10_is_refused(client: FlaskClient, school: School) -> None:
    response = client.post(
        "/signup/student", data=student_data("DOB-1", grade="10", date_of_birth=born(8))
    )
    assert response.status_code == 422
    assert "fits grade 10 (age 14 to 18)" in response.get_data(as_text=True)
    assert _students() == []


def test_a_minor_by_date_of_birth_needs_a_guardian_whatever_else_is_sent(
    client: FlaskClient, school: School
) -> None:
    data = student_data("DOB-1", grade="11", date_of_birth=born(16), age_group="adult")
    assert client.post("/signup/student", data=data).status_code == 303
    [student] = _students()
    assert student.is_minor and student.consent_status == ConsentStatus.AWAITING
    assert student.guardian_email == "maria@example.org"


def test_the_grade_range_is_grade_plus_4_to_grade_plus_8() -> None:
    today = dt.date(2026, 12, 1)
    earliest, latest = birth_dates_for(10, today)
    assert (earliest, latest) == (dt.date(2007, 12, 2), dt.date(2012, 12, 1))
