"""Guardian consent: the signed link, paper consent, withdrawal pausing matches."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.auth.tokens import make_token
from portal.extensions import db
from portal.models import AuditEvent, Consent, ConsentStatus, MatchStatus, StudentProfile
from portal.safeguarding import services
from tests import factories
from tests.conftest import AuthActions
from tests.factories import make_match, make_programme


@pytest.fixture
def minor(app: Flask) -> StudentProfile:
    school = factories.make_school(name="Lincoln High")
    make_programme(school, name="Robotics mentoring 2025")
    return factories.make_student(school, first_name="Lina", consent_status=ConsentStatus.AWAITING)


def _path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_link_is_absolute_signed_and_shows_the_student(
    client: FlaskClient, minor: StudentProfile
) -> None:
    link = services.consent_link(minor)
    assert link.startswith("http://localhost/consent/")
    response = client.get(_path(link))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Lina" in page and "Lincoln High" in page and "Robotics mentoring 2025" in page
    assert minor.last_name not in page  # first name only
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("answer", "status"), [("give", "given"), ("refuse", "refused")])
def test_answer_is_recorded_with_time_and_ip_once(
    client: FlaskClient, minor: StudentProfile, answer: str, status: str
) -> None:
    path = _path(services.consent_link(minor))
    response = client.post(path, data={"answer": answer}, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 303
    db.session.refresh(minor)
    assert minor.consent_status == status
    consent = db.session.scalars(db.select(Consent)).one()
    assert (consent.method, consent.ip, consent.status) == ("link", "10.1.2.3", status)
    assert consent.recorded_at is not None
    assert minor.can_be_matched is (status == "given")
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == f"consent.{status}"))
    # The link works once: a second answer is refused.
    assert client.post(path, data={"answer": "give"}).status_code == 404
    assert client.get(path).status_code == 404
    assert db.session.scalar(db.select(db.func.count(Consent.id))) == 1


def test_forged_expired_and_other_purpose_links_get_a_friendly_404(
    app: Flask, client: FlaskClient, minor: StudentProfile
) -> None:
    path = _path(services.consent_link(minor))
    forged = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    other_purpose = "/consent/" + make_token("password-reset", {"s": minor.id, "v": "x"})
    for bad in (forged, other_purpose, "/consent/nonsense"):
        response = client.get(bad)
        assert response.status_code == 404
        assert "not valid any more" in response.get_data(as_text=True)
    app.config["CONSENT_LINK_MAX_AGE"] = -1
    assert client.get(path).status_code == 404


def test_invalid_answer_saves_nothing(client: FlaskClient, minor: StudentProfile) -> None:
    path = _path(services.consent_link(minor))
    assert client.post(path, data={"answer": "maybe"}).status_code == 422
    assert client.post(path, data={}).status_code == 422
    assert db.session.scalar(db.select(db.func.count(Consent.id))) == 0


def test_counselor_records_paper_consent_then_withdrawal_pauses_matches(
    client: FlaskClient, auth: AuthActions, minor: StudentProfile
) -> None:
    counselor = factories.make_counselor(minor.school)
    mentor = factories.make_mentor(minor.school)
    match = make_match(minor, mentor)
    auth.login_as(counselor)
    url = f"/safeguarding/students/{minor.id}/consent"
    assert client.get(url).status_code == 200
    data = {"action": "given", "guardian_name": "Maria Guardian"}
    assert client.post(url, data=data).status_code == 303
    db.session.refresh(minor)
    assert minor.consent_status == ConsentStatus.GIVEN
    data["action"] = "withdrawn"
    assert client.post(url, data=data).status_code == 303
    db.session.refresh(minor)
    db.session.refresh(match)
    assert minor.consent_status == ConsentStatus.WITHDRAWN
    assert not minor.can_be_matched
    assert (match.status, match.pause_reason) == (MatchStatus.PAUSED, "consent withdrawn")
    actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"consent.given", "consent.withdrawn", "student.consent_viewed"} <= actions


def test_counselor_of_another_school_gets_404(
    client: FlaskClient, auth: AuthActions, minor: StudentProfile
) -> None:
    auth.login_as(factories.make_counselor(factories.make_school()))
    url = f"/safeguarding/students/{minor.id}/consent"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"action": "given", "guardian_name": "X"}).status_code == 404
    db.session.refresh(minor)
    assert minor.consent_status == ConsentStatus.AWAITING
