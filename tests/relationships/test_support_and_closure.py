"""The counselor's year: the relationships page, support contacts, closure and exit surveys."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.extensions import db
from portal.models import (
    AuditEvent,
    ExitSurvey,
    Match,
    MatchStatus,
    OutboxMessage,
    SupportContact,
    utcnow,
)
from portal.programmes import review
from portal.relationships import closure, queries, support
from tests import factories
from tests.factories import make_finished_run, make_proposal
from tests.programmes.conftest import ProgrammeWorld
from tests.security.test_query_counts import count_queries, loaded_by_id

HX = {"HX-Request": "true"}
TODAY = dt.date.today()


@pytest.fixture
def pair(app):
    world = ProgrammeWorld.new()
    mentor = factories.make_mentor(world.school, first_name="Rosa", last_name="Lopez")
    student = factories.make_student(world.school, first_name="Lina", last_name="Haddad")
    proposal = make_proposal(make_finished_run(world.programme), student, mentor_id=mentor.id)
    assert review.approve_proposal(world.counselor, proposal.id).ok
    match = db.session.scalar(db.select(Match))
    return world, mentor, student, match


def _contacts() -> list[SupportContact]:
    return list(db.session.scalars(db.select(SupportContact)))


# --- support schedule ----------------------------------------------------------------


def test_default_schedule_is_twice_in_the_first_month_then_monthly(pair):
    world, _, _, _ = pair
    start = dt.date(2026, 1, 1)
    assert support.next_due(world.programme, start, None) == dt.date(2026, 1, 16)
    assert support.next_due(world.programme, start, dt.date(2026, 1, 14)) == dt.date(2026, 1, 29)
    assert support.next_due(world.programme, start, dt.date(2026, 1, 29)) == dt.date(2026, 2, 28)
    world.programme.support_schedule = {"first_month": 0, "then_days": 14}
    assert support.next_due(world.programme, start, None) == dt.date(2026, 1, 15)


def test_approval_sets_the_first_support_date(pair):
    _, _, _, match = pair
    assert match.support_due_on == TODAY + dt.timedelta(days=15)


def test_counselor_logs_a_support_contact_without_javascript(pair, client, auth):
    world, _, _, match = pair
    auth.login_as(world.counselor)
    data = {"contacted_on": TODAY.isoformat(), "with_whom": "guardian", "channel": "phone"}
    response = client.post(f"/matches/{match.id}/support", data={**data, "note": "All well"})
    assert response.status_code == 303
    [contact] = _contacts()
    assert (contact.with_whom, contact.channel, contact.note) == ("guardian", "phone", "All well")
    db.session.refresh(match)
    assert match.last_support_on == TODAY and match.support_due_on == TODAY + dt.timedelta(15)
    assert "match.support_logged" in db.session.scalars(db.select(AuditEvent.action)).all()
    assert "All well" in client.get(f"/matches/{match.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"with_whom": "guardian", "channel": "phone"}, "This field is required"),
        ({"contacted_on": "2999-01-01", "with_whom": "guardian", "channel": "phone"}, "future"),
        ({"contacted_on": "2026-01-01", "with_whom": "neighbour", "channel": "phone"}, "valid"),
        ({"contacted_on": "2026-01-01", "with_whom": "student", "channel": "fax"}, "valid"),
        (
            {
                "contacted_on": "2026-01-01",
                "with_whom": "student",
                "channel": "phone",
                "note": "x" * 501,
            },
            "500",
        ),
    ],
)
def test_bad_support_contact_is_422_and_saves_nothing(pair, client, auth, data, message):
    world, _, _, match = pair
    auth.login_as(world.counselor)
    response = client.post(f"/matches/{match.id}/support", data=data, headers=HX)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert _contacts() == []


def test_support_due_for_the_digest_is_scoped_to_the_school(pair):
    world, _, _, match = pair
    later = TODAY + dt.timedelta(days=20)
    assert [m.id for m in queries.support_due({world.school.id}, later)] == [match.id]
    assert queries.support_due({world.school.id}, TODAY) == []
    assert queries.support_due({factories.make_school().id}, later) == []


def test_changing_the_schedule_moves_the_due_dates(pair, client, auth):
    world, _, _, match = pair
    world.programme.support_schedule = {"first_month": 1, "then_days": 30}
    assert support.reschedule_programme(world.programme) == 1
    assert match.support_due_on == match.started_at.date() + dt.timedelta(days=30)


# --- relationships page --------------------------------------------------------------


def test_relationships_page_loads_its_names_with_the_matches(pair, client, auth):
    world, _, _, _ = pair
    auth.login_as(world.counselor)
    with count_queries() as statements:
        body = client.get("/counselor/relationships").get_data(as_text=True)
    assert "Haddad, Lina" in body and "Rosa Lopez" in body
    tables = ("student_profiles", "mentor_profiles", "projects", "organisations", "programmes")
    assert loaded_by_id(statements, *tables) == []


def test_relationships_page_lists_filters_and_audits(pair, client, auth):
    world, _, student, match = pair
    auth.login_as(world.counselor)
    body = client.get("/counselor/relationships").get_data(as_text=True)
    assert "Haddad, Lina" in body and "Rosa Lopez" in body
    assert "Haddad" in client.get("/counselor/relationships?q=rosa").get_data(as_text=True)
    assert "Haddad" not in client.get("/counselor/relationships?q=zzz").get_data(as_text=True)
    due = client.get("/counselor/relationships?flag=support_due").get_data(as_text=True)
    assert "Haddad" not in due
    match.support_due_on = TODAY - dt.timedelta(days=1)
    match.mentor_fit = "not_good"
    db.session.commit()
    for flag in ("support_due", "not_good_fit"):
        page = client.get(f"/counselor/relationships?flag={flag}", headers=HX)
        assert page.status_code == 200 and "Haddad" in page.get_data(as_text=True)
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "student.list")
    ).all()[-1]
    # One event per student shown, against the student and the school (never the search).
    assert event.school_id == world.school.id and event.object_id == student.id
    assert event.object_type == "student" and "rosa" not in str(event.detail)


def test_quiet_filter_reads_the_last_meeting(pair, client, auth):
    world, _, _, match = pair
    auth.login_as(world.counselor)
    match.started_at = utcnow() - dt.timedelta(weeks=8)
    db.session.commit()
    assert "Haddad" in client.get("/counselor/relationships?flag=quiet").get_data(as_text=True)
    match.last_meeting_on = TODAY
    db.session.commit()
    assert "Haddad" not in client.get("/counselor/relationships?flag=quiet").get_data(as_text=True)


def test_relationships_page_shows_only_my_schools(pair, client, auth):
    _, _, _, _ = pair
    auth.login_as(factories.make_counselor(factories.make_school()))
    body = client.get("/counselor/relationships").get_data(as_text=True)
    assert "Haddad" not in body and "No relationships" in body


@pytest.mark.parametrize(
    "query", ["status=maybe", "kind=robot", "flag=everything", "programme=abc", "sort=random"]
)
def test_bad_filters_are_422_never_500(pair, client, auth, query):
    world, _, _, _ = pair
    auth.login_as(world.counselor)
    assert client.get(f"/counselor/relationships?{query}").status_code == 422


# --- closure and exit surveys --------------------------------------------------------


def _end(client, match, **extra):
    data = {"reason": "completed", "closing_note": "A good year.", "confirm": "y", **extra}
    return client.post(f"/matches/{match.id}/end", data=data)


def test_closing_tells_both_sides_with_a_survey_link(pair, client, auth):
    world, mentor, student, match = pair
    auth.login_as(world.counselor)
    assert _end(client, match, continues_next_year="y").status_code == 303
    db.session.refresh(match)
    assert match.status == MatchStatus.ENDED and match.closure_reason == "completed"
    assert match.continues_next_year and match.may_repropose
    surveys = {s.respondent: s for s in db.session.scalars(db.select(ExitSurvey))}
    assert set(surveys) == {"student", "partner"}
    mails = {m.to: m.body for m in db.session.scalars(db.select(OutboxMessage))}
    assert (
        "/exit-survey/" in mails[student.user.email] and "/exit-survey/" in mails[mentor.user.email]
    )
    page = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "Rematch" in page and "not answered yet" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"closing_note": "x"}, "Choose a reason"),
        ({"reason": "bored", "closing_note": "x"}, "Not a valid choice"),
        ({"reason": "other"}, "This field is required"),
        ({"reason": "other", "closing_note": "x" * 1001}, "1000"),
        (
            {"reason": "other", "closing_note": "x", "forbid": "y", "may_repropose": "y"},
            "forbidden",
        ),
        ({"reason": "other", "closing_note": "x"}, "an ended match cannot be reopened"),
    ],
)
def test_bad_closure_is_422_and_changes_nothing(pair, client, auth, data, message):
    world, _, _, match = pair
    auth.login_as(world.counselor)
    response = client.post(f"/matches/{match.id}/end", data=data, headers=HX)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.session.refresh(match)
    assert match.status == MatchStatus.ACTIVE
    assert db.session.scalars(db.select(ExitSurvey)).all() == []


def _closed(world, match) -> dict[str, ExitSurvey]:
    closing = closure.Closing("completed", "Done", False, forbid=False, may_repropose=False)
    return {s.respondent: s for s in closure.close_match(world.counselor, match, closing)}


def test_student_answers_the_survey_from_the_emailed_link(pair, client):
    world, _, _, match = pair
    survey = _closed(world, match)["student"]
    link = closure.survey_link(survey).split("/exit-survey/")[1]
    page = client.get(f"/exit-survey/{link}")
    assert page.status_code == 200 and "Rosa Lopez" in page.get_data(as_text=True)
    data = {
        "satisfaction": "4",
        "goal_progress": "most",
        "would_recommend": "yes",
        "comment": "Great",
    }
    assert client.post(f"/exit-survey/{link}", data=data).status_code == 303
    db.session.refresh(survey)
    assert survey.answered_at and survey.satisfaction == 4 and survey.would_recommend
    assert client.get(f"/exit-survey/{link}").status_code == 404  # answered once
    actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert "match.exit_survey_opened" in actions and "match.exit_survey_answered" in actions
    assert client.get("/exit-survey/forged").status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"goal_progress": "most", "would_recommend": "yes"},
        {"satisfaction": "9", "goal_progress": "most", "would_recommend": "yes"},
        {"satisfaction": "3", "goal_progress": "lots", "would_recommend": "yes"},
        {
            "satisfaction": "3",
            "goal_progress": "some",
            "would_recommend": "yes",
            "comment": "x" * 1001,
        },
    ],
)
def test_bad_survey_answers_are_422_and_save_nothing(pair, client, data):
    world, _, _, match = pair
    survey = _closed(world, match)["student"]
    link = closure.survey_link(survey).split("/exit-survey/")[1]
    assert client.post(f"/exit-survey/{link}", data=data, headers=HX).status_code == 422
    db.session.refresh(survey)
    assert survey.answered_at is None


def test_mentor_answers_from_their_account_and_nobody_else_can(pair, client, auth):
    world, mentor, student, match = pair
    survey = _closed(world, match)["partner"]
    auth.login_as(student.user)
    assert client.get(f"/surveys/{survey.id}").status_code == 404
    auth.logout()
    auth.login_as(mentor.user)
    assert client.get(f"/surveys/{survey.id}").status_code == 200
    data = {"satisfaction": "5", "goal_progress": "all", "would_recommend": "no"}
    assert client.post(f"/surveys/{survey.id}", data=data).status_code == 303
    db.session.refresh(survey)
    assert survey.satisfaction == 5 and survey.would_recommend is False


def test_one_reminder_after_a_week(pair):
    world, _, student, match = pair
    _closed(world, match)
    db.session.execute(db.delete(OutboxMessage))
    db.session.commit()
    assert closure.send_exit_survey_reminders() == 0
    later = utcnow() + dt.timedelta(days=8)
    assert closure.send_exit_survey_reminders(later) == 2
    assert closure.send_exit_survey_reminders(later) == 0
    recipients = set(db.session.scalars(db.select(OutboxMessage.to)))
    assert student.user.email in recipients


# --- pausing -------------------------------------------------------------------------


def test_counselor_pauses_and_resumes_a_match(pair, client, auth):
    world, _, _, match = pair
    auth.login_as(world.counselor)
    bad = client.post(f"/matches/{match.id}/pause", data={"pause_reason": ""}, headers=HX)
    assert bad.status_code == 422 and "This field is required" in bad.get_data(as_text=True)
    db.session.refresh(match)
    assert match.status == MatchStatus.ACTIVE
    response = client.post(f"/matches/{match.id}/pause", data={"pause_reason": "Exam weeks"})
    assert response.status_code == 303
    db.session.refresh(match)
    assert match.status == MatchStatus.PAUSED and match.pause_reason == "Exam weeks"
    assert "Resume the match" in client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert client.post(f"/matches/{match.id}/resume").status_code == 303
    db.session.refresh(match)
    assert match.status == MatchStatus.ACTIVE and match.pause_reason == ""
    actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert "match.paused" in actions and "match.resumed" in actions


def test_a_match_does_not_resume_without_consent(pair, client, auth):
    world, _, student, match = pair
    match.status = MatchStatus.PAUSED
    student.consent_status = "withdrawn"
    db.session.commit()
    auth.login_as(world.counselor)
    response = client.post(f"/matches/{match.id}/resume", follow_redirects=True)
    assert "consent" in response.get_data(as_text=True)
    db.session.refresh(match)
    assert match.status == MatchStatus.PAUSED


def test_the_student_home_links_to_an_open_survey(pair, client, auth):
    world, _, student, match = pair
    survey = _closed(world, match)["student"]
    auth.login_as(student.user)
    home = client.get("/my/matches").get_data(as_text=True)
    assert f"/surveys/{survey.id}" in home and "Rosa Lopez" in home


def test_search_treats_wildcards_as_text(pair, client, auth):
    world, _, _, _ = pair
    auth.login_as(world.counselor)
    assert "Haddad" not in client.get("/counselor/relationships?q=%25").get_data(as_text=True)
    assert "Haddad" in client.get("/counselor/relationships?q=lina+h").get_data(as_text=True)
