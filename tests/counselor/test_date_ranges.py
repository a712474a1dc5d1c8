"""Dates nobody means are refused with a message that says what is allowed (finding 9).

One shared validator (``portal.forms.validators.date_within``) serves background checks,
programme terms (tests/programmes/test_programme_school.py), meetings
(tests/relationships/test_paused_matches.py) and dates of birth (tests/signup).
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from wtforms import DateField, Form

from portal.extensions import db
from portal.forms.validators import date_within, days_from_today, shift_years, years_from_today
from portal.models import BackgroundCheck
from tests.counselor.conftest import CounselorWorld
from tests.counselor.test_partner_views import _check_data, _url

TODAY = dt.date.today()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"checked_on": "0001-01-01"}, "Enter the check date from"),
        ({"checked_on": "1900-01-01"}, "Enter the check date from"),
        ({"expires_on": "9999-12-31"}, "Enter the expiry date from"),
    ],
)
@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_background_check_dates_out_of_range_are_refused(
    client: FlaskClient,
    counselor_client: CounselorWorld,
    changes: dict[str, str],
    message: str,
    headers: dict[str, str],
) -> None:
    response = client.post(
        _url(counselor_client, "checks"), data=_check_data(**changes), headers=headers
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    low = shift_years(TODAY, -10)
    assert message in body and f"{low.day} {low:%B %Y}" in body
    assert db.session.scalars(db.select(BackgroundCheck)).all() == []


class _Probe(Form):
    day = DateField(validators=[date_within(years_from_today(-1), days_from_today(0), "a day")])
    open_end = DateField(validators=[date_within(days_from_today(1), None)])


def test_the_shared_validator_names_the_allowed_range(app: Flask) -> None:
    form = _Probe(MultiDict({"day": "2000-01-01", "open_end": TODAY.isoformat()}))
    assert not form.validate()
    low = shift_years(TODAY, -1)
    assert form.day.errors == [f"Enter a day from {low.day} {low:%B %Y} to today."]
    tomorrow = TODAY + dt.timedelta(days=1)
    assert form.open_end.errors == [f"Enter a date on or after {tomorrow.day} {tomorrow:%B %Y}."]
    assert _Probe(MultiDict({"day": TODAY.isoformat(), "open_end": "2999-01-01"})).validate()


def test_shift_years_keeps_29_february_in_range() -> None:
    assert shift_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert shift_years(dt.date(2024, 2, 29), -4) == dt.date(2020, 2, 29)
