"""The relationship's year: agreement, goals, confirmed meetings, "good fit?", milestones."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.extensions import db
from portal.models import AuditEvent, CheckIn, Goal, Match, MatchStatus, OutboxMessage, utcnow
from portal.relationships.milestones import add_months, milestones
from tests import factories
from tests.factories import make_check_in, make_match, make_programme

TODAY = dt.date.today()


@pytest.fixture
def year(app):
    school = factories.make_school()
    counselor = factories.make_counselor(school)
    programme = make_programme(school, goal_templates=["Build a robot", "Plan for college"])
    mentor = factories.make_mentor(school, first_name="Rosa")
    student = factories.make_student(
        school, first_name="Lina", guardian_name="Amal", guardian_email="mum@example.org"
    )
    match = make_match(student, mentor, programme=programme)
    match.started_at = utcnow() - dt.timedelta(days=30)  # meetings are dated from the start
    db.session.commit()
    return counselor, mentor, student, match


def _agree(client, url, **extra):
    data = {
        "templates": ["Build a robot"],
        "goal_1": "Read one book a month",
        "meets_every": "fortnightly",
        "first_meeting_on": TODAY.isoformat(),
        **extra,
    }
    return client.post(url, data=data)


def _actions(action):
    return db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_counselor_records_the_agreement_and_the_guardian_is_told(year, client, auth):
    counselor, _, _student, match = year
    auth.login_as(counselor)
    response = _agree(client, f"/matches/{match.id}/agreement")
    assert response.status_code == 303
    db.session.refresh(match)
    assert match.meets_every == "fortnightly" and match.first_meeting_on == TODAY
    assert [g.text for g in match.goals] == ["Build a robot", "Read one book a month"]
    mail = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.to == "mum@example.org"))
    assert mail is not None and "Read one book a month" in mail.body
    assert "every two weeks" in mail.body and "Rosa" not in mail.body
    assert _actions("match.agreed")
    body = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "Read one book a month" in body and "every two weeks" in body


def test_an_adult_students_agreement_sends_no_guardian_mail(year, client, auth):
    counselor, _, student, match = year
    student.is_minor = False
    db.session.commit()
    auth.login_as(counselor)
    assert _agree(client, f"/matches/{match.id}/agreement").status_code == 303
    assert db.session.scalar(db.select(OutboxMessage)) is None


def test_the_mentor_can_record_the_agreement_once(year, client, auth):
    _, mentor, _, match = year
    auth.login_as(mentor.user)
    assert _agree(client, f"/mentees/{match.id}/agreement").status_code == 303
    _agree(client, f"/mentees/{match.id}/agreement", goal_1="Another")
    assert db.session.scalar(db.select(db.func.count(Goal.id))) == 2


@pytest.mark.parametrize(
    "bad",
    [
        {"templates": [], "goal_1": ""},
        {"goal_2": "b", "goal_3": "c"},
        {"meets_every": "daily"},
        {"first_meeting_on": "not a date"},
        {"templates": ["Not in the programme's list"]},
        {"goal_1": "x" * 201},
        {"goal_1": "bad\u202echaracters"},
    ],
)
def test_a_bad_agreement_is_refused_and_nothing_saved(year, client, auth, bad, htmx_headers):
    _, mentor, _, match = year
    auth.login_as(mentor.user)
    response = _agree(client, f"/mentees/{match.id}/agreement", **bad)
    assert response.status_code == 422
    assert 'class="error' in response.get_data(as_text=True)
    headers = htmx_headers
    assert client.post(f"/mentees/{match.id}/agreement", headers=headers).status_code == 422
    db.session.refresh(match)
    assert match.agreed_at is None and db.session.scalar(db.select(Goal)) is None


def test_student_sees_meetings_confirms_and_only_confirmed_ones_count(year, client, auth):
    _, mentor, student, match = year
    auth.login_as(mentor.user)
    response = client.post(
        f"/mentees/{match.id}/meetings",
        data={"met_on": TODAY.isoformat(), "minutes": "45", "mode": "online"},
    )
    assert response.status_code == 303
    db.session.refresh(match)
    assert match.last_meeting_on == TODAY
    check_in = db.session.scalar(db.select(CheckIn))
    assert "not confirmed yet" in client.get("/mentees").get_data(as_text=True)
    auth.logout()
    auth.login_as(student.user)
    assert "Yes, we met" in client.get("/my/matches").get_data(as_text=True)
    response = client.post(
        f"/my/matches/{match.id}/meetings/confirm", data={"check_in_id": check_in.id}
    )
    assert response.status_code == 303
    db.session.refresh(check_in)
    assert check_in.confirmed_at is not None and _actions("match.meeting_confirmed")
    body = client.get("/my/matches").get_data(as_text=True)
    assert "confirmed" in body and "First meeting" in body


def test_last_meeting_on_keeps_the_latest_date(year, client, auth):
    _, mentor, _, match = year
    auth.login_as(mentor.user)
    for day in (TODAY - dt.timedelta(days=3), TODAY - dt.timedelta(days=10)):
        client.post(
            f"/mentees/{match.id}/meetings", data={"met_on": day.isoformat(), "minutes": "30"}
        )
    db.session.refresh(match)
    assert match.last_meeting_on == TODAY - dt.timedelta(days=3)


def test_confirming_another_matchs_meeting_is_a_404(year, client, auth):
    _, mentor, student, match = year
    other = make_match(factories.make_student(student.school), mentor, programme=match.programme)
    foreign = make_check_in(other, mentor.user_id)
    auth.login_as(student.user)
    response = client.post(
        f"/my/matches/{match.id}/meetings/confirm", data={"check_in_id": foreign.id}
    )
    assert response.status_code == 404
    assert client.post(f"/my/matches/{match.id}/meetings/confirm", data={}).status_code == 422
    db.session.refresh(foreign)
    assert foreign.confirmed_at is None


def test_both_sides_update_goals_and_achieved_ones_become_milestones(year, client, auth):
    _counselor, mentor, student, match = year
    db.session.add(Goal(match_id=match.id, text="Build a robot"))
    db.session.commit()
    goal = db.session.scalar(db.select(Goal))
    auth.login_as(student.user)
    url = f"/my/matches/{match.id}/goals"
    assert client.post(url, data={"goal_id": goal.id, "status": "in_progress"}).status_code == 303
    auth.logout()
    auth.login_as(mentor.user)
    url = f"/mentees/{match.id}/goals"
    assert client.post(url, data={"goal_id": goal.id, "status": "achieved"}).status_code == 303
    db.session.refresh(goal)
    assert goal.status == "achieved" and goal.achieved_on == TODAY
    assert len(_actions("match.goal_updated")) == 2
    assert "Goal achieved: Build a robot" in client.get("/mentees").get_data(as_text=True)


@pytest.mark.parametrize("data", [{}, {"goal_id": "1", "status": "done"}, {"goal_id": "x"}])
def test_a_bad_goal_update_is_refused(year, client, auth, data):
    _, _, student, match = year
    db.session.add(Goal(match_id=match.id, text="Build a robot"))
    db.session.commit()
    auth.login_as(student.user)
    assert client.post(f"/my/matches/{match.id}/goals", data=data).status_code == 422
    assert db.session.scalar(db.select(Goal)).status == "not_started"


def test_a_goal_of_another_match_is_a_404(year, client, auth):
    _, mentor, student, match = year
    other = make_match(factories.make_student(student.school), mentor, programme=match.programme)
    db.session.add(Goal(match_id=other.id, text="Theirs"))
    db.session.commit()
    goal = db.session.scalar(db.select(Goal))
    auth.login_as(student.user)
    data = {"goal_id": goal.id, "status": "achieved"}
    assert client.post(f"/my/matches/{match.id}/goals", data=data).status_code == 404


def test_not_a_good_fit_flags_the_match_for_the_counselor(year, client, auth):
    counselor, mentor, student, match = year
    make_check_in(match, mentor.user_id)
    auth.login_as(student.user)
    assert "Is this a good fit?" in client.get("/my/matches").get_data(as_text=True)
    assert client.post(f"/my/matches/{match.id}/fit", data={"answer": "maybe"}).status_code == 422
    assert (
        client.post(f"/my/matches/{match.id}/fit", data={"answer": "not_good"}).status_code == 303
    )
    auth.logout()
    auth.login_as(mentor.user)
    assert client.post(f"/mentees/{match.id}/fit", data={"answer": "good"}).status_code == 303
    match = db.session.get(Match, match.id)
    db.session.refresh(match)
    assert (match.student_fit, match.mentor_fit) == ("not_good", "good")
    assert match.not_a_good_fit and _actions("match.fit_answered")
    auth.logout()
    auth.login_as(counselor)
    assert 'id="not-a-good-fit"' in client.get(f"/matches/{match.id}").get_data(as_text=True)


def test_milestones_are_reached_on_their_days():
    start = dt.date(2026, 1, 31)
    assert add_months(start, 1) == dt.date(2026, 2, 28)
    assert milestones(start, None, [], dt.date(2026, 4, 29)) == []
    found = milestones(
        start,
        dt.date(2026, 2, 3),
        [("Robot", dt.date(2026, 9, 1)), ("Open", None)],
        dt.date(2027, 1, 31),
    )
    assert [m.kind for m in found] == ["first_meeting", "months_3", "months_6", "goal", "months_12"]
    assert found[-1].on == dt.date(2027, 1, 31)


def test_a_project_student_sees_goals_but_no_fit_question(year, client, auth):
    _, _, student, _match = year
    project = factories.make_project()
    own = make_match(factories.make_student(student.school), project=project)
    db.session.add(Goal(match_id=own.id, text="Plant ten trees"))
    db.session.commit()
    make_check_in(own, own.student.user_id or 0)
    auth.login_as(own.student.user)
    body = client.get("/my/matches").get_data(as_text=True)
    assert "Plant ten trees" in body and "Is this a good fit?" not in body


def test_staff_bad_agreement_shows_the_match_page_with_errors(year, client, auth, htmx_headers):
    counselor, _, _, match = year
    auth.login_as(counselor)
    response = _agree(client, f"/matches/{match.id}/agreement", meets_every="")
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" in body and "End this match" in body
    response = client.post(f"/matches/{match.id}/agreement", headers=htmx_headers)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "agreement-form" in body and "<html" not in body


def test_an_ended_match_gets_no_agreement(year, client, auth):
    counselor, _, _, match = year
    match.status = MatchStatus.ENDED
    db.session.commit()
    auth.login_as(counselor)
    assert "Save the agreement" not in client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert _agree(client, f"/matches/{match.id}/agreement").status_code == 303
    db.session.refresh(match)
    assert match.agreed_at is None
