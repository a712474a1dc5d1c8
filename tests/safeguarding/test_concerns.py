"""Reporting a concern reaches the school's counselors at once; counselors act on it."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import (
    AuditEvent,
    Concern,
    ConcernStatus,
    Match,
    MatchStatus,
    OutboxMessage,
    User,
)
from tests import factories
from tests.conftest import AuthActions
from tests.safeguarding.builders import make_match


@pytest.fixture
def world(app: Flask) -> dict[str, object]:
    school = factories.make_school(name="Hill School")
    counselors = [factories.make_counselor(school), factories.make_counselor(school)]
    student = factories.make_student(school, first_name="Tomasz")
    mentor = factories.make_mentor(school, first_name="Sam")
    match = make_match(student, mentor)
    return {
        "school": school,
        "counselors": counselors,
        "student": student,
        "mentor": mentor,
        "match": match,
    }


def _report(client: FlaskClient, match_id: int, note: str = "He asked for my address") -> object:
    data = {"match_id": str(match_id), "reason": "personal_data", "note": note}
    return client.post("/concerns/new", data=data)


@pytest.mark.parametrize("who", ["student", "mentor"])
def test_report_reaches_every_counselor_of_the_school(
    client: FlaskClient, auth: AuthActions, world: dict[str, object], who: str
) -> None:
    reporter: User = world[who].user
    match: Match = world["match"]  # type: ignore[assignment]
    auth.login_as(reporter)
    page = client.get(f"/concerns/new?match={match.id}").get_data(as_text=True)
    assert "Report a concern" in page
    assert _report(client, match.id).status_code == 303
    concern = db.session.scalars(db.select(Concern)).one()
    assert (concern.match_id, concern.status, concern.reporter_id) == (
        match.id,
        ConcernStatus.OPEN,
        reporter.id,
    )
    other = world["mentor" if who == "student" else "student"]
    assert concern.about_user_id == other.user_id
    outbox = db.session.scalars(db.select(OutboxMessage)).all()
    school = world["school"]
    db.session.refresh(school)
    expected = sorted(c.email for c in school.counselors)  # type: ignore[attr-defined]
    assert len(expected) >= 2 and sorted(m.to for m in outbox) == expected
    assert all("address" not in m.body for m in outbox)  # the note stays behind the login
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "concern.reported"))


def test_concern_shows_on_the_dashboard_panel(
    app: Flask, client: FlaskClient, auth: AuthActions, world: dict[str, object]
) -> None:
    auth.login_as(world["student"].user)  # type: ignore[attr-defined]
    _report(client, world["match"].id)  # type: ignore[attr-defined]
    auth.logout()
    counselor = world["counselors"][0]  # type: ignore[index]
    auth.login_as(counselor)
    html = client.get("/counselor/").get_data(as_text=True)
    assert "Personal information was shared or asked for" in html
    assert "Open concerns" in html


def test_cannot_report_about_someone_elses_match(
    client: FlaskClient, auth: AuthActions, world: dict[str, object]
) -> None:
    outsider = factories.make_student(world["school"])  # type: ignore[arg-type]
    auth.login_as(outsider.user)
    assert _report(client, world["match"].id).status_code == 422  # type: ignore[attr-defined]
    assert db.session.scalar(db.select(db.func.count(Concern.id))) == 0


@pytest.mark.parametrize(
    ("action", "match_status", "concern_status"),
    [
        ("pause", MatchStatus.PAUSED, ConcernStatus.OPEN),
        ("end", MatchStatus.ENDED, ConcernStatus.OPEN),
        ("resolve", MatchStatus.ACTIVE, ConcernStatus.RESOLVED),
    ],
)
def test_counselor_acts_on_a_concern(
    client: FlaskClient,
    auth: AuthActions,
    world: dict[str, object],
    action: str,
    match_status: MatchStatus,
    concern_status: ConcernStatus,
) -> None:
    auth.login_as(world["student"].user)  # type: ignore[attr-defined]
    _report(client, world["match"].id)  # type: ignore[attr-defined]
    auth.logout()
    auth.login_as(world["counselors"][0])  # type: ignore[index]
    concern = db.session.scalars(db.select(Concern)).one()
    url = f"/safeguarding/concerns/{concern.id}"
    page = client.get(url).get_data(as_text=True)
    assert "He asked for my address" in page
    assert client.post(url, data={"action": action, "note": ""}).status_code == 422
    assert client.post(url, data={"action": action, "note": "Called both"}).status_code == 303
    db.session.refresh(concern)
    match = db.session.get(Match, world["match"].id)  # type: ignore[attr-defined]
    db.session.refresh(match)
    assert (match.status, concern.status) == (match_status, concern_status)
    assert "Called both" in concern.resolution_note
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == f"concern.{action}"))


def test_counselor_of_another_school_cannot_see_the_concern(
    client: FlaskClient, auth: AuthActions, world: dict[str, object]
) -> None:
    auth.login_as(world["student"].user)  # type: ignore[attr-defined]
    _report(client, world["match"].id)  # type: ignore[attr-defined]
    auth.logout()
    auth.login_as(factories.make_counselor(factories.make_school()))
    concern = db.session.scalars(db.select(Concern)).one()
    assert client.get(f"/safeguarding/concerns/{concern.id}").status_code == 404
    assert b"Personal information" not in client.get("/safeguarding/concerns").data
