"""Subject rights (export, erasure) and retention (``flask purge``)."""

from __future__ import annotations

import datetime as dt
import json

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from portal.extensions import db
from portal.mail import queue_email
from portal.models import (
    AuditEvent,
    CheckIn,
    Match,
    MatchStatus,
    OutboxMessage,
    Programme,
    Proposal,
    StudentProfile,
    User,
)
from tests import factories
from tests.conftest import AuthActions
from tests.factories import (
    make_check_in,
    make_finished_run,
    make_match,
    make_programme,
    make_proposal,
)


def _student_with_history() -> tuple[StudentProfile, Match]:
    school = factories.make_school()
    student = factories.make_student(
        school,
        first_name="Zofia",
        last_name="Kowalska",
        phone="555-7788",
        about="I love chess",
        guardian_email="mama.k@example.org",
    )
    match = make_match(student, factories.make_mentor(school))
    make_check_in(match, student.user_id or 0, note="Zofia's private feedback")
    make_proposal(
        make_finished_run(match.programme),
        student,
        mentor_id=match.mentor_id,
        breakdown={"interests": 0.3},
        basis={"student": {"interests": ["chess"], "area": "north"}, "partner": {}},
    )
    queue_email(student.guardian_email, "Consent", "link")
    db.session.commit()
    return student, match


def test_export_has_everything_as_json_and_page_and_is_audited(
    client: FlaskClient, auth: AuthActions
) -> None:
    student, _match = _student_with_history()
    auth.login_as(factories.make_counselor(student.school))
    response = client.get(f"/safeguarding/students/{student.id}/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.data)
    assert data["profile"]["last_name"] == "Kowalska"
    assert data["profile"]["guardian_email"] == "mama.k@example.org"
    assert data["account"]["email"] == student.user.email  # type: ignore[union-attr]
    assert data["check_ins"][0]["note"] == "Zofia's private feedback"
    assert len(data["matches"]) == 1
    page = client.get(f"/safeguarding/students/{student.id}/export").get_data(as_text=True)
    assert "Kowalska" in page and "I love chess" in page
    formats = db.session.scalars(
        db.select(AuditEvent.detail).where(AuditEvent.action == "student.exported")
    ).all()
    assert sorted(d["format"] for d in formats) == ["json", "page"]


def test_erasure_removes_personal_data_and_keeps_counts(
    client: FlaskClient, auth: AuthActions
) -> None:
    student, match = _student_with_history()
    email = student.user.email  # type: ignore[union-attr]
    auth.login_as(factories.make_counselor(student.school))
    url = f"/safeguarding/students/{student.id}/erase"
    assert client.post(url, data={"confirm": "erase"}).status_code == 422
    assert client.post(url, data={"confirm": "ERASE"}).status_code == 303
    db.session.expire_all()
    student = db.session.get(StudentProfile, student.id)
    assert (student.first_name, student.last_name) == ("Erased", "Erased")
    assert student.phone == student.about == student.guardian_email == student.guardian_name == ""
    assert student.date_of_birth is None
    user = db.session.get(User, student.user_id)
    assert not user.active and user.email.endswith("@erased.invalid") and user.password_hash is None
    assert db.session.scalar(db.select(db.func.count(Match.id))) == 1
    assert db.session.get(Match, match.id).status == MatchStatus.ENDED
    notes = db.session.scalars(db.select(CheckIn.note)).all()
    assert notes == [""]  # the check-in is still counted, its text is gone
    [proposal] = db.session.scalars(db.select(Proposal)).all()  # counted, its details gone
    assert proposal.breakdown == proposal.alternatives == proposal.basis == {}
    assert (
        db.session.scalar(
            db.select(db.func.count(OutboxMessage.id)).where(
                OutboxMessage.to.in_(["mama.k@example.org", email])
            )
        )
        == 0
    )
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "student.erased"))
    # The erased student is gone for staff, and cannot log in.
    assert client.get(f"/safeguarding/students/{student.id}/export").status_code == 404
    auth.logout()
    assert auth.login(email).status_code == 422


def test_erasure_by_counselor_of_another_school_is_404(
    client: FlaskClient, auth: AuthActions
) -> None:
    student, _ = _student_with_history()
    auth.login_as(factories.make_counselor(factories.make_school()))
    assert (
        client.post(
            f"/safeguarding/students/{student.id}/erase", data={"confirm": "ERASE"}
        ).status_code
        == 404
    )
    db.session.refresh(student)
    assert student.erased_at is None


def test_purge_dry_run_lists_and_purge_clears_old_programmes(
    app: Flask, runner: FlaskCliRunner
) -> None:
    school = factories.make_school()
    today = dt.date.today()
    old = make_programme(
        school,
        name="Old",
        starts_on=today - dt.timedelta(days=800),
        ends_on=today - dt.timedelta(days=400),
    )
    recent = make_programme(school, name="Recent", ends_on=today - dt.timedelta(days=30))
    mentor = factories.make_mentor(school)
    old_match = make_match(factories.make_student(school), mentor, programme=old)
    new_match = make_match(factories.make_student(school), mentor, programme=recent)
    make_check_in(old_match, mentor.user_id, "old note")
    make_check_in(new_match, mentor.user_id, "recent note")
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert dry.exit_code == 0 and f"would purge programme #{old.id}" in dry.output
    assert "1 check-in notes and feedback" in dry.output and f"#{recent.id}" not in dry.output
    assert sorted(db.session.scalars(db.select(CheckIn.note))) == ["old note", "recent note"]
    done = runner.invoke(args=["purge"])
    assert done.exit_code == 0 and f"purged programme #{old.id}" in done.output
    db.session.expire_all()
    assert sorted(db.session.scalars(db.select(CheckIn.note))) == ["", "recent note"]
    assert db.session.get(Programme, old.id).purged_at is not None
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "programme.purged"))
    assert "0 programme(s)" in runner.invoke(args=["purge", "--dry-run"]).output
