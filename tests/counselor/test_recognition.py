"""Recognition: the counselor's "to celebrate" list and certificates of thanks."""

from __future__ import annotations

import datetime as dt

from portal.extensions import db
from portal.models import AuditEvent, Goal, utcnow
from portal.relationships.milestones import add_months
from tests import factories
from tests.factories import make_check_in, make_match, make_programme

TODAY = dt.date.today()


def _started(match, day):
    match.started_at = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    db.session.commit()


def test_celebrations_list_recent_milestones_of_my_schools_only(app, client, auth):
    school, other = factories.make_school(), factories.make_school()
    counselor = factories.make_counselor(school)
    mentor = factories.make_mentor(school, first_name="Rosa")
    three = make_match(factories.make_student(school, first_name="Lina"), mentor)
    _started(three, add_months(TODAY, -3) - dt.timedelta(days=2))
    achiever = make_match(factories.make_student(school, first_name="Omar"), mentor)
    db.session.add(Goal(match_id=achiever.id, text="Build a robot", status="achieved",
                        achieved_on=TODAY - dt.timedelta(days=1)))  # fmt: skip
    met = make_match(factories.make_student(school, first_name="Ines"), mentor)
    make_check_in(met, mentor.user_id).confirmed_at = utcnow()
    db.session.commit()
    old = make_match(factories.make_student(school, first_name="Old"), mentor)
    _started(old, add_months(TODAY, -5))
    theirs = make_match(
        factories.make_student(other, first_name="Zed"), factories.make_mentor(other)
    )
    _started(theirs, add_months(TODAY, -3))
    auth.login_as(counselor)
    body = client.get("/counselor/celebrations").get_data(as_text=True)
    assert "3 months together" in body and "Lina" in body
    assert "Goal achieved: Build a robot" in body and "Omar" in body
    assert "First meeting" in body and "Ines" in body
    assert "Old" not in body and "Zed" not in body
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "student.list_view"))
    assert event is not None and three.student_id in event.detail["students"]
    assert "/counselor/celebrations" in client.get("/counselor/").get_data(as_text=True)


def test_certificate_of_thanks_counts_confirmed_meetings(app, client, auth):
    school = factories.make_school()
    counselor = factories.make_counselor(school, display_name="Ms Grey")
    mentor = factories.make_mentor(school, first_name="Rosa", last_name="Lopez")
    match = make_match(factories.make_student(school), mentor)
    make_check_in(match, mentor.user_id).confirmed_at = utcnow()
    make_check_in(match, mentor.user_id)  # not confirmed: does not count
    db.session.commit()
    auth.login_as(counselor)
    body = client.get(f"/counselor/partners/mentor/{mentor.id}/certificate").get_data(as_text=True)
    assert "Certificate of thanks" in body and "Rosa Lopez" in body
    assert "mentoring 1 student" in body and "1 confirmed meeting" in body
    assert "css/print.css" in body and 'class="no-print"' in body


def test_an_organisations_certificate_and_another_schools_partner(app, client, auth):
    school = factories.make_school()
    counselor = factories.make_counselor(school)
    project = factories.make_project(factories.make_organisation(school, name="Green Streets"))
    make_match(factories.make_student(school), project=project)
    auth.login_as(counselor)
    url = f"/counselor/partners/organisation/{project.organisation_id}/certificate"
    body = client.get(url).get_data(as_text=True)
    assert "Green Streets" in body and "welcoming 1 student" in body
    stranger = factories.make_mentor(factories.make_school())
    assert client.get(f"/counselor/partners/mentor/{stranger.id}/certificate").status_code == 404


def test_celebrations_of_a_match_with_milestones_link_to_the_match(app, client, auth):
    school = factories.make_school()
    counselor = factories.make_counselor(school)
    programme = make_programme(school)
    match = make_match(factories.make_student(school), factories.make_mentor(school),
                       programme=programme)  # fmt: skip
    _started(match, add_months(TODAY, -6))
    auth.login_as(counselor)
    body = client.get("/counselor/celebrations").get_data(as_text=True)
    assert f"/matches/{match.id}" in body and "6 months together" in body
