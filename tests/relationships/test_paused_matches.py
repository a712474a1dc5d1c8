"""A paused match: students and partners read a neutral notice, never the reason; staff do.

Nothing is recorded on a paused match (no meeting, no feedback), and a meeting is dated
between the day the match began and today (review findings 7 and 9).
"""

from __future__ import annotations

import datetime as dt

import pytest

from portal.extensions import db
from portal.models import CheckIn, MatchStatus, utcnow
from portal.relationships import services
from portal.safeguarding.concerns import act_on_concern, report_concern
from tests import factories
from tests.relationships import test_relationships

pair = test_relationships.pair  # the fixture: a school, a mentor, a student, their match

NOTICE = "This match is paused; the school will be in touch."
HX = {"HX-Request": "true"}


def _pause_for_a_concern(world, student, match) -> None:
    note = "He asked for my address"
    concern = report_concern(student.user, student.school_id, match, "unsafe", note)
    act_on_concern(world.counselor, concern, "pause", "Talking to both")
    db.session.refresh(match)
    assert match.status == MatchStatus.PAUSED


def _meeting(**fields: str) -> dict[str, str]:
    return {"met_on": dt.date.today().isoformat(), "minutes": "30", "mode": "online", **fields}


def test_partners_and_the_student_read_a_neutral_notice_staff_read_the_reason(
    pair,
    client,
    auth,
):
    world, mentor, student, match = pair
    _pause_for_a_concern(world, student, match)
    seen = [(mentor.user, "/mentees"), (mentor.user, "/mentor"), (student.user, "/my/matches")]
    for person, page in seen:
        auth.login_as(person)
        body = client.get(page).get_data(as_text=True)
        assert NOTICE in body, page
        assert match.pause_reason not in body, page
        auth.logout()
    auth.login_as(world.counselor)
    assert "safeguarding concern" in client.get(f"/matches/{match.id}").get_data(as_text=True)


def test_a_paused_match_offers_no_meeting_form_and_refuses_a_meeting(
    pair,
    client,
    auth,
):
    world, mentor, student, match = pair
    _pause_for_a_concern(world, student, match)
    auth.login_as(mentor.user)
    assert "Log a meeting" not in client.get("/mentees").get_data(as_text=True)
    for headers in ({}, HX):
        response = client.post(f"/mentees/{match.id}/meetings", data=_meeting(), headers=headers)
        assert response.status_code == 409
        body = response.get_data(as_text=True)
        assert NOTICE in body and match.pause_reason not in body and "meeting-form" not in body
    assert db.session.scalar(db.select(CheckIn)) is None


def test_a_paused_match_refuses_feedback(pair, client, auth):
    world, _, student, match = pair
    _pause_for_a_concern(world, student, match)
    auth.login_as(student.user)
    assert "Your feedback" not in client.get("/my/matches").get_data(as_text=True)
    response = client.post(f"/my/matches/{match.id}/feedback", data={"note": "Fine"})
    assert response.status_code == 409 and NOTICE in response.get_data(as_text=True)
    assert db.session.scalar(db.select(CheckIn)) is None


def test_the_services_refuse_a_paused_match_too(pair):
    world, mentor, student, match = pair
    _pause_for_a_concern(world, student, match)
    with pytest.raises(services.MatchPausedError):
        services.log_meeting(mentor.user, match, dt.date.today(), 30, "online", "")
    with pytest.raises(services.MatchPausedError):
        services.leave_feedback(student.user, match, "Fine")
    assert db.session.scalar(db.select(CheckIn)) is None


@pytest.mark.parametrize("days", [-3, 1])
def test_a_meeting_before_the_match_began_or_in_the_future_is_refused(
    pair,
    client,
    auth,
    days,
):
    _, mentor, _, match = pair
    match.started_at = utcnow() - dt.timedelta(days=1)
    db.session.commit()
    began = match.started_at.date()
    day = (began if days < 0 else dt.date.today()) + dt.timedelta(days=days)
    auth.login_as(mentor.user)
    response = client.post(
        f"/mentees/{match.id}/meetings", data=_meeting(met_on=day.isoformat()), headers=HX
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert f"from {began.day} {began:%B %Y} to today" in body
    assert db.session.scalar(db.select(CheckIn)) is None
    ok = client.post(f"/mentees/{match.id}/meetings", data=_meeting(met_on=began.isoformat()))
    assert ok.status_code == 303


def test_staff_of_the_programme_school_only_cannot_open_another_schools_student_match(
    pair,
    client,
    auth,
):
    world, _, student, match = pair
    # A match whose student belongs to another school (the programme was moved, or bad data).
    student.school = factories.make_school()
    db.session.commit()
    auth.login_as(world.counselor)
    assert client.get(f"/matches/{match.id}").status_code == 404
    assert client.post(f"/matches/{match.id}/end", data={"reason": "x"}).status_code == 404
