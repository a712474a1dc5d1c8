"""What each person sees after approval; meetings, feedback, ending; quiet relationships."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.extensions import db
from portal.models import AuditEvent, CheckIn, Match, MatchStatus, utcnow
from portal.programmes import review
from portal.programmes.panel import panel_for
from tests import factories
from tests.factories import make_finished_run, make_proposal
from tests.programmes.conftest import ProgrammeWorld

HX = {"HX-Request": "true"}


@pytest.fixture
def pair(app):
    world = ProgrammeWorld.new()
    mentor = factories.make_mentor(
        world.school,
        first_name="Rosa",
        last_name="Lopez",
        phone="555-7777",
        job_title="Nurse",
        employer="City Clinic",
    )
    student = factories.make_student(
        world.school,
        first_name="Lina",
        last_name="Haddad",
        phone="555-1234",
        guardian_email="mum@example.org",
    )
    proposal = make_proposal(make_finished_run(world.programme), student, mentor_id=mentor.id)
    assert review.approve_proposal(world.counselor, proposal.id).ok
    match = db.session.scalar(db.select(Match))
    return world, mentor, student, match


def test_student_sees_my_mentor_without_contact_details(pair, client, auth):
    world, mentor, student, _ = pair
    auth.login_as(student.user)
    body = client.get("/my/matches").get_data(as_text=True)
    assert (
        "My mentor" in body and "Rosa Lopez" in body and "Nurse" in body and "City Clinic" in body
    )
    assert world.programme.meeting_info in body
    assert mentor.phone not in body and mentor.user.email not in body


def test_student_without_a_match_sees_a_friendly_empty_state(app, client, auth):
    world = ProgrammeWorld.new()
    auth.login_as(factories.make_student(world.school).user)
    body = client.get("/my/matches").get_data(as_text=True)
    assert "No mentor yet" in body and "No project yet" in body


def test_mentor_sees_only_first_name_grade_interests_goals(pair, client, auth):
    _, mentor, student, _ = pair
    auth.login_as(mentor.user)
    body = client.get("/mentees").get_data(as_text=True)
    assert "Lina" in body and "grade 10" in body and "robotics" in body and "engineering" in body
    for secret in ("Haddad", student.phone, student.guardian_email, student.user.email):
        assert secret not in body
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "student.view"))


def test_another_mentor_sees_nothing_and_cannot_log(pair, client, auth):
    world, _, _, match = pair
    auth.login_as(factories.make_mentor(world.school).user)
    assert "Lina" not in client.get("/mentees").get_data(as_text=True)
    response = client.post(
        f"/mentees/{match.id}/meetings", data={"met_on": "2025-01-01", "minutes": "30"}
    )
    assert response.status_code == 404


def test_organisation_roster_shows_first_name_and_grade(app, client, auth):
    world = ProgrammeWorld.new()
    organisation = factories.make_organisation(world.school)
    project = factories.make_project(organisation, title="River clean-up")
    student = factories.make_student(world.school, first_name="Yusuf", last_name="Ali", grade=11)
    proposal = make_proposal(make_finished_run(world.programme), student, project_id=project.id)
    assert review.approve_proposal(world.counselor, proposal.id).ok
    auth.login_as(organisation.user)
    body = client.get("/rosters").get_data(as_text=True)
    assert "River clean-up" in body and "Yusuf, grade 11" in body and "Ali" not in body


@pytest.mark.parametrize(
    ("data", "message"),
    [({"met_on": (dt.date.today() + dt.timedelta(days=2)).isoformat(), "minutes": "30"}, "today"),
     ({"met_on": dt.date.today().isoformat(), "minutes": "700"}, "between"),
     ({"met_on": dt.date.today().isoformat(), "minutes": "2"}, "between")],
)  # fmt: skip
def test_bad_meeting_is_422(pair, client, auth, data, message):
    _, mentor, _, match = pair
    auth.login_as(mentor.user)
    response = client.post(
        f"/mentees/{match.id}/meetings", data={"mode": "online", **data}, headers=HX
    )
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(CheckIn)) is None


def test_mentor_logs_a_meeting(pair, client, auth):
    _, mentor, _, match = pair
    auth.login_as(mentor.user)
    data = {
        "met_on": dt.date.today().isoformat(),
        "minutes": "45",
        "mode": "online",
        "note": "Robots",
    }
    response = client.post(f"/mentees/{match.id}/meetings", data=data)
    assert response.status_code == 303
    check_in = db.session.scalar(db.select(CheckIn))
    assert (check_in.minutes, check_in.mode, check_in.note) == (45, "online", "Robots")


def test_student_leaves_feedback_and_others_cannot(pair, client, auth):
    world, _, student, match = pair
    auth.login_as(student.user)
    assert client.post(f"/my/matches/{match.id}/feedback", data={"note": ""}).status_code == 422
    assert (
        client.post(f"/my/matches/{match.id}/feedback", data={"note": "Great"}).status_code == 303
    )
    auth.logout()
    auth.login_as(factories.make_student(world.school).user)
    assert client.post(f"/my/matches/{match.id}/feedback", data={"note": "x"}).status_code == 404


def test_counselor_ends_a_match(pair, client, auth):
    world, _, _, match = pair
    auth.login_as(world.counselor)
    assert client.post(f"/matches/{match.id}/end", data={}, headers=HX).status_code == 422
    data = {"reason": "moved", "closing_note": "The family moved away.", "confirm": "y"}
    response = client.post(f"/matches/{match.id}/end", data=data, headers=HX)
    assert response.status_code == 204 and "HX-Redirect" in response.headers
    db.session.refresh(match)
    assert match.status == MatchStatus.ENDED and match.end_reason == "Moved away"
    assert match.closure_reason == "moved" and match.closing_note == "The family moved away."


def test_other_school_and_wrong_role_cannot_end(pair, client, auth):
    _world, _, student, match = pair
    auth.login_as(factories.make_counselor(factories.make_school()))
    assert client.get(f"/matches/{match.id}").status_code == 404
    assert client.post(f"/matches/{match.id}/end", data={"reason": "x"}).status_code == 404
    auth.logout()
    auth.login_as(student.user)
    assert client.post(f"/matches/{match.id}/end", data={"reason": "x"}).status_code == 403


def test_a_paused_match_hides_how_to_meet(pair, client, auth):
    world, _, student, match = pair
    match.status = MatchStatus.PAUSED
    db.session.commit()
    auth.login_as(student.user)
    body = client.get("/my/matches").get_data(as_text=True)
    assert "paused" in body and world.programme.meeting_info not in body


def test_quiet_relationships_on_the_panel(pair):
    world, _, _, match = pair
    match.started_at = utcnow() - dt.timedelta(weeks=6)
    db.session.commit()
    panel = panel_for(world.counselor, dt.date.today())
    assert [m.id for m, _ in panel["quiet"]] == [match.id] and panel["quiet_count"] == 1
    db.session.add(
        CheckIn(
            match_id=match.id,
            author_id=world.counselor.id,
            kind="meeting",
            met_on=dt.date.today() - dt.timedelta(days=3),
            minutes=30,
        )
    )
    match.last_meeting_on = dt.date.today() - dt.timedelta(days=3)  # as log_meeting keeps it
    db.session.commit()
    assert panel_for(world.counselor, dt.date.today())["quiet"] == []
    other = factories.make_counselor(factories.make_school())
    assert panel_for(other, dt.date.today())["quiet_count"] == 0


def test_expired_checks_pause_matches_of_minors(pair):
    from portal.safeguarding import checks

    _, mentor, _, match = pair
    for check in db.session.scalars(db.select(factories.BackgroundCheck)):
        if check.user_id == mentor.user_id:
            check.expires_on = dt.date.today() - dt.timedelta(days=1)
    db.session.commit()
    assert [m.id for m in checks.pause_expired(dt.date.today())] == [match.id]
    db.session.refresh(match)
    assert match.status == MatchStatus.PAUSED
