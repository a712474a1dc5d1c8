"""Every page that shows a student's data audits it against that student and their school.

List pages write one event per student shown (so each lands in that student's export and in
their school's trail), with the filters but never a search term.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from flask import url_for
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import AuditEvent, ConsentStatus, StudentProfile, utcnow
from portal.safeguarding import concerns
from tests import factories
from tests.conftest import AuthActions
from tests.factories import make_finished_run, make_match, make_proposal


def _events(action: str, student: StudentProfile) -> list[AuditEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            db.select(AuditEvent).where(
                AuditEvent.action == action,
                AuditEvent.object_type == "student",
                AuditEvent.object_id == student.id,
                AuditEvent.school_id == student.school_id,
            )
        )
    )


def test_the_run_review_page_audits_each_student_it_lists(
    client: FlaskClient, auth: AuthActions
) -> None:
    student = factories.make_student()
    mentor = factories.make_mentor(student.school)
    run = make_finished_run(make_match(factories.make_student(student.school), mentor).programme)
    make_proposal(run, student, mentor_id=mentor.id)
    auth.login_as(factories.make_counselor(student.school))
    assert client.get(url_for("programmes.review", run_id=run.id)).status_code == 200
    [event] = _events("student.list", student)
    assert event.detail == {"run": run.id}


def test_the_erase_confirmation_page_is_audited(client: FlaskClient, auth: AuthActions) -> None:
    student = factories.make_student()
    auth.login_as(factories.make_counselor(student.school))
    url = url_for("safeguarding.student_erase", student_id=student.id)
    assert client.get(url).status_code == 200
    assert len(_events("student.erase_viewed", student)) == 1


@pytest.mark.parametrize("endpoint", ["main.mentor_home", "relationships.mentor_page"])
def test_the_mentor_home_and_mentees_pages_audit_the_mentees(
    client: FlaskClient, auth: AuthActions, endpoint: str
) -> None:
    student = factories.make_student()
    mentor = factories.make_mentor(student.school)
    make_match(student, mentor)
    auth.login_as(mentor.user)
    page = client.get(url_for(endpoint))
    assert page.status_code == 200 and student.first_name in page.get_data(as_text=True)
    [event] = _events("student.view", student)
    assert event.actor_id == mentor.user_id and event.detail == {"as": "mentor"}


@pytest.mark.parametrize("endpoint", ["main.organisation_home", "relationships.organisation_page"])
def test_the_organisation_home_and_rosters_audit_the_students(
    client: FlaskClient, auth: AuthActions, endpoint: str
) -> None:
    student = factories.make_student()
    organisation = factories.make_organisation(student.school)
    make_match(student, project=factories.make_project(organisation))
    auth.login_as(organisation.user)
    page = client.get(url_for(endpoint))
    assert page.status_code == 200 and student.first_name in page.get_data(as_text=True)
    [event] = _events("student.view", student)
    assert event.detail == {"as": "organisation"}


def test_the_student_list_is_audited_per_student_and_school_without_the_search_term(
    client: FlaskClient, auth: AuthActions
) -> None:
    student = factories.make_student(last_name="Nakamura")
    auth.login_as(factories.make_counselor(student.school))
    query = {"q": "Nakamura", "grade": str(student.grade)}
    assert client.get(url_for("counselor.students"), query_string=query).status_code == 200
    [event] = _events("student.list", student)
    assert event.detail == {"filters": {"grade": str(student.grade)}, "searched": True}
    assert "Nakamura" not in json.dumps(event.detail)


def test_a_students_export_lists_every_view_of_them(client: FlaskClient, auth: AuthActions) -> None:
    student = factories.make_student()
    mentor = factories.make_mentor(student.school)
    match = make_match(student, mentor)
    concern = concerns.report_concern(mentor.user, student.school_id, match, "other", "Worried.")
    auth.login_as(mentor.user)
    client.get(url_for("relationships.mentor_page"))
    auth.logout()
    auth.login_as(factories.make_counselor(student.school))
    client.get(url_for("counselor.students"))
    client.get(url_for("safeguarding.concern", concern_id=concern.id))
    export = client.get(url_for("safeguarding.student_export_json", student_id=student.id))
    seen = [(e["action"], e["actor_role"]) for e in json.loads(export.data)["audit_events"]]
    assert ("student.view", "mentor") in seen
    assert ("student.list", "counselor") in seen
    assert ("concern.view", "counselor") in seen  # a concern about their match


def test_the_counselor_dashboard_audits_the_students_its_panels_list(
    client: FlaskClient, auth: AuthActions
) -> None:
    awaiting = factories.make_student(consent_status=ConsentStatus.AWAITING, is_minor=True)
    quiet = factories.make_student(awaiting.school)
    match = make_match(quiet, factories.make_mentor(awaiting.school))
    match.started_at = utcnow() - dt.timedelta(weeks=match.programme.quiet_weeks + 1)
    db.session.commit()
    auth.login_as(factories.make_counselor(awaiting.school))
    page = client.get(url_for("counselor.dashboard")).get_data(as_text=True)
    assert awaiting.last_name in page and quiet.last_name in page
    for student in (awaiting, quiet):
        [event] = _events("student.list", student)
        assert event.detail == {"page": "dashboard"}
