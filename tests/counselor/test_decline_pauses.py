"""Declining an already-verified partner pauses their live matches (review finding 6).

Like an expired check: every live match of the mentor, or of every project of the
organisation, is paused and audited, and the school's counselors are told by email.
"""

from __future__ import annotations

from flask.testing import FlaskClient

from portal.counselor import services
from portal.extensions import db
from portal.models import AuditEvent, MatchStatus, OutboxMessage
from tests import factories
from tests.conftest import AuthActions
from tests.factories import make_match, make_programme


def _paused_events(match_id: int) -> list[AuditEvent]:
    query = db.select(AuditEvent).where(
        AuditEvent.action == "match.paused", AuditEvent.object_id == match_id
    )
    return list(db.session.scalars(query))


def test_declining_a_verified_mentor_pauses_their_matches_and_tells_the_counselors(
    app, client: FlaskClient, auth: AuthActions
) -> None:
    school = factories.make_school()
    counselor = factories.make_counselor(school)
    colleague = factories.make_counselor(school)
    mentor = factories.make_mentor(school)
    programme = make_programme(school)
    lina = factories.make_student(school, first_name="Lina")
    live = make_match(lina, mentor, programme=programme)
    other = make_match(factories.make_student(school), factories.make_mentor(school))
    auth.login_as(counselor)
    url = f"/counselor/partners/mentor/{mentor.id}/decline"
    response = client.post(url, data={"reason": "New information"}, follow_redirects=True)
    assert response.status_code == 200
    assert "1 live match(es) paused" in response.get_data(as_text=True)
    db.session.refresh(live)
    db.session.refresh(other)
    assert (live.status, live.pause_reason) == (MatchStatus.PAUSED, services.DECLINED_REASON)
    assert other.status == MatchStatus.ACTIVE
    [event] = _paused_events(live.id)
    assert (event.actor_id, event.school_id) == (counselor.id, school.id)
    alerts = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.subject.like("Matches paused%"))
    ).all()
    # Every counselor of the school (make_mentor adds the verifying counselor too).
    assert sorted(m.to for m in alerts) == sorted(c.email for c in school.counselors)
    assert {counselor.email, colleague.email} <= {m.to for m in alerts}
    assert all("Lina" not in m.body and "http://localhost/" in m.body for m in alerts)
    # The mentor no longer sees the mentee's details, and cannot log a meeting.
    auth.logout()
    auth.login_as(mentor.user)
    page = client.get("/mentees").get_data(as_text=True)
    assert "This match is paused" in page and "Log a meeting" not in page


def test_declining_an_organisation_pauses_every_project_match(app) -> None:
    school = factories.make_school()
    counselor = factories.make_counselor(school)
    organisation = factories.make_organisation(school)
    garden, library = (factories.make_project(organisation) for _ in range(2))
    programme = make_programme(school)
    matches = [
        make_match(factories.make_student(school), project=project, programme=programme)
        for project in (garden, library)
    ]
    paused = services.decline_partner(counselor, organisation, "Insurance lapsed")
    assert sorted(m.id for m in paused) == sorted(m.id for m in matches)
    for match in matches:
        db.session.refresh(match)
        assert match.status == MatchStatus.PAUSED and _paused_events(match.id)
    assert db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "organisation.declined")
    ).detail["paused"] == [m.id for m in paused]


def test_declining_a_pending_partner_without_matches_sends_no_alert(app) -> None:
    school = factories.make_school()
    counselor = factories.make_counselor(school)
    mentor = factories.make_mentor(school, verified=False)
    assert services.decline_partner(counselor, mentor, "No references") == []
    subjects = db.session.scalars(db.select(OutboxMessage.subject)).all()
    assert not any(s.startswith("Matches paused") for s in subjects)
