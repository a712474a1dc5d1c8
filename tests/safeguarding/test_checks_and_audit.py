"""Background-check expiry, and the append-only, filterable audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from portal import audit
from portal.audit import AppendOnlyError
from portal.extensions import db
from portal.models import AuditEvent, BackgroundCheck, MatchStatus
from portal.safeguarding import checks
from tests import factories
from tests.conftest import AuthActions
from tests.factories import make_match


def _set_expiry(user_id: int, days: int) -> None:
    for check in db.session.scalars(
        db.select(BackgroundCheck).where(BackgroundCheck.user_id == user_id)
    ):
        check.expires_on = dt.date.today() + dt.timedelta(days=days)
    db.session.commit()


def test_check_expiry_flags_soon_and_pauses_expired(app: Flask, runner: FlaskCliRunner) -> None:
    school = factories.make_school()
    soon, expired, fine = (factories.make_mentor(school) for _ in range(3))
    _set_expiry(soon.user_id, 30)
    _set_expiry(expired.user_id, -1)
    student = factories.make_student(school)
    live = make_match(student, expired)
    other = make_match(factories.make_student(school), fine)
    result = runner.invoke(args=["safeguarding", "check-expiry"])
    assert result.exit_code == 0, result.output
    assert "check expires in 30 days" in result.output
    assert "expired: match paused" in result.output
    assert "1 match(es) paused." in result.output
    db.session.refresh(live)
    db.session.refresh(other)
    assert (live.status, live.pause_reason) == (MatchStatus.PAUSED, checks.EXPIRED_REASON)
    assert other.status == MatchStatus.ACTIVE
    labels = {s.user_id: s.label for s in checks.check_statuses(dt.date.today(), {school.id})}
    assert labels == {
        soon.user_id: "check expires in 30 days",
        expired.user_id: "expired: match paused",
    }
    assert checks.check_statuses(dt.date.today(), {factories.make_school().id}) == []
    assert db.session.scalar(
        db.select(AuditEvent).where(
            AuditEvent.action == "match.paused", AuditEvent.object_id == live.id
        )
    )


def test_a_newer_check_replaces_the_expired_one(app: Flask) -> None:
    school = factories.make_school()
    mentor = factories.make_mentor(school)
    _set_expiry(mentor.user_id, -5)
    factories.make_check(mentor.user, factories.make_counselor(school), expires_in_days=400)
    match = make_match(factories.make_student(school), mentor)
    assert checks.pause_expired(dt.date.today()) == []
    db.session.refresh(match)
    assert match.status == MatchStatus.ACTIVE


def test_check_statuses_read_each_partners_best_passed_check(app: Flask) -> None:
    school, other = factories.make_school(), factories.make_school()
    verifier = factories.make_counselor(school, other)
    renewed, lifelong, failed_later = (factories.make_mentor(school) for _ in range(3))
    _set_expiry(renewed.user_id, -3)
    factories.make_check(renewed.user, verifier, expires_in_days=12)
    _set_expiry(lifelong.user_id, 3)
    factories.make_check(lifelong.user, verifier).expires_on = None  # never ends: not listed
    _set_expiry(failed_later.user_id, 5)
    factories.make_check(failed_later.user, verifier, expires_in_days=400, passed=False)
    organisation = factories.make_organisation(school)
    factories.make_check(organisation.user, verifier, expires_in_days=-2)
    elsewhere = factories.make_mentor(other)
    _set_expiry(elsewhere.user_id, 1)
    today = dt.date.today()

    def listed(scope: set[int] | None, limit: int | None = None) -> list[tuple[int, int]]:
        return [(s.user_id, s.days_left) for s in checks.check_statuses(today, scope, limit)]

    assert listed({school.id}) == [
        (organisation.user_id, -2),
        (failed_later.user_id, 5),
        (renewed.user_id, 12),
    ]
    assert listed({school.id}, limit=2) == listed({school.id})[:2]
    assert listed({other.id}) == [(elsewhere.user_id, 1)]
    assert listed(None) == sorted([*listed({school.id}), *listed({other.id})], key=lambda r: r[1])


def _event(action: str = "student.view", school_id: int | None = None) -> AuditEvent:
    event = audit.record(
        action, actor=None, object_type="student", object_id=7, school_id=school_id
    )
    db.session.commit()
    return event


def test_audit_events_cannot_be_edited_or_deleted_by_the_app(app: Flask) -> None:
    event = _event()
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.execute(db.update(AuditEvent).values(action="x"))
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.execute(db.delete(AuditEvent))
    db.session.rollback()


def test_database_triggers_refuse_raw_sql(app: Flask) -> None:
    _event()
    for sql in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(sql))
        db.session.rollback()
    assert db.session.scalar(db.select(AuditEvent.action)) == "student.view"


def test_counselor_sees_only_their_schools_events_and_filters_work(
    client: FlaskClient, auth: AuthActions
) -> None:
    mine, other = factories.make_school(), factories.make_school()
    _event("consent.given", mine.id)
    _event("student.exported", mine.id)
    _event("consent.refused", other.id)
    auth.login_as(factories.make_counselor(mine))
    page = client.get("/safeguarding/audit").get_data(as_text=True)
    assert "consent.given" in page and "student.exported" in page
    assert "consent.refused" not in page
    filtered = client.get("/safeguarding/audit?action=consent.").get_data(as_text=True)
    assert "consent.given" in filtered and "student.exported" not in filtered
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    future = client.get(f"/safeguarding/audit?date_from={tomorrow}").get_data(as_text=True)
    assert "consent.given" not in future
    assert client.get("/safeguarding/audit?object_id=7&object_type=student").status_code == 200
    assert client.get("/safeguarding/audit?actor_id=abc&date_to=nope").status_code == 200


def test_admin_sees_every_school_and_pages(client: FlaskClient, auth: AuthActions) -> None:
    school = factories.make_school()
    for _ in range(55):
        _event("match.paused", school.id)
    _event("consent.refused", factories.make_school().id)
    auth.login_as(factories.make_admin())
    first = client.get("/safeguarding/audit").get_data(as_text=True)
    assert "consent.refused" in first and "Page 1 of 2" in first
    assert "Page 2 of 2" in client.get("/safeguarding/audit?page=2").get_data(as_text=True)


def test_a_checks_validity_is_one_rule_in_python_and_in_sql(app: Flask) -> None:
    school = factories.make_school()
    counselor = factories.make_counselor(school)
    mentor = factories.make_mentor(school, verified=False)  # no check of its own
    today = dt.date.today()
    made = [
        factories.make_check(mentor.user, counselor, expires_in_days=days, passed=passed)
        for days, passed in ((-1, True), (0, True), (5, False), (40, True))
    ]
    for day in (today - dt.timedelta(days=2), today, today + dt.timedelta(days=1)):
        in_sql = set(
            db.session.scalars(db.select(BackgroundCheck.id).where(BackgroundCheck.valid_on(day)))
        )
        assert in_sql == {c.id for c in made if c.valid_on(day)}
    # The longest-lasting valid check is the one a verification reads.
    assert checks.valid_check(mentor.user_id, today) == made[3]
    assert checks.valid_check(mentor.user_id, today + dt.timedelta(days=41)) is None


def test_the_expiry_warning_starts_thirty_days_ahead_on_every_page() -> None:
    from portal.counselor.queries import describe_expiry

    today = dt.date(2026, 3, 1)
    assert checks.warning_horizon(today) == dt.date(2026, 3, 31)
    # The partner page warns exactly when the dashboard and the expiry list count it.
    assert describe_expiry(dt.date(2026, 3, 31), today).level == "warn"
    assert describe_expiry(dt.date(2026, 4, 1), today).level == "ok"


def test_record_about_takes_type_school_and_student_from_the_object(app: Flask) -> None:
    school, other = factories.make_school(), factories.make_school()
    counselor = factories.make_counselor(school)
    student = factories.make_student(school)
    match = make_match(student, factories.make_mentor(other))  # the mentor's school differs
    project = factories.make_project(factories.make_organisation(other))
    events = [
        audit.record_about(match, "match.noted", actor=counselor, detail={"why": "test"}),
        audit.record_about(project, "project.noted", actor=counselor),
        audit.record_about(counselor, "user.noted", actor=counselor),
    ]
    db.session.commit()
    rows = [(e.object_type, e.object_id, e.school_id, e.detail) for e in events]
    assert rows == [
        ("match", match.id, school.id, {"student": student.id, "why": "test"}),
        ("project", project.id, other.id, {}),
        ("user", counselor.id, None, {}),
    ]
