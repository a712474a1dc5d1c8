"""Verification services, called directly."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.counselor import services
from portal.extensions import db
from portal.models import AuditEvent, BackgroundCheck, CheckKind, OutboxMessage, Verification
from portal.safeguarding.checks import valid_check
from tests import factories
from tests.counselor.conftest import CounselorWorld

TODAY = dt.date.today()


def _record(world: CounselorWorld, passed: bool = True, expires: int = 365) -> BackgroundCheck:
    return services.record_check(
        world.counselor,
        world.mentor,
        kind=CheckKind.FINGERPRINT,
        reference="FP-1",
        checked_on=TODAY - dt.timedelta(days=5),
        expires_on=TODAY + dt.timedelta(days=expires),
        passed=passed,
    )


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


def test_record_check_stores_the_verifier_audits_and_emails(world: CounselorWorld) -> None:
    check = _record(world)
    assert check.verified_by_id == world.counselor.id
    assert check.user_id == world.mentor.user_id
    [event] = _events("mentor.check_recorded")
    assert event.actor_id == world.counselor.id
    assert event.object_id == world.mentor.id
    assert event.school_id == world.school.id
    assert db.session.scalar(db.select(OutboxMessage.to)) == world.mentor.user.email


def test_approve_without_any_check_is_refused(world: CounselorWorld) -> None:
    with pytest.raises(services.NoValidCheckError):
        services.approve_partner(world.counselor, world.mentor)
    db.session.refresh(world.mentor)
    assert world.mentor.verification == Verification.PENDING
    assert _events("mentor.verified") == []


@pytest.mark.parametrize(("passed", "expires"), [(False, 365), (True, -1)])
def test_approve_with_a_failed_or_expired_check_is_refused(
    world: CounselorWorld, passed: bool, expires: int
) -> None:
    factories.make_check(world.mentor.user, world.counselor, expires, passed=passed)
    with pytest.raises(services.NoValidCheckError):
        services.approve_partner(world.counselor, world.mentor)
    assert world.mentor.verification == Verification.PENDING


def test_approve_with_a_valid_check_verifies(world: CounselorWorld) -> None:
    _record(world)
    services.approve_partner(world.counselor, world.mentor)
    db.session.refresh(world.mentor)
    assert world.mentor.verification == Verification.VERIFIED
    assert world.mentor.verified_by_id == world.counselor.id
    assert world.mentor.verified_at is not None
    assert len(_events("mentor.verified")) == 1
    subjects = db.session.scalars(db.select(OutboxMessage.subject)).all()
    assert "You are verified on Mentorbridge" in subjects


def test_a_check_valid_today_is_not_valid_after_it_expires(world: CounselorWorld) -> None:
    _record(world, expires=10)
    assert valid_check(world.mentor.user_id, TODAY) is not None
    assert valid_check(world.mentor.user_id, TODAY + dt.timedelta(days=11)) is None
    with pytest.raises(services.NoValidCheckError):
        services.approve_partner(world.counselor, world.mentor, TODAY + dt.timedelta(days=11))


def test_organisations_are_verified_the_same_way(world: CounselorWorld) -> None:
    factories.make_check(world.organisation.user, world.counselor)
    services.approve_partner(world.counselor, world.organisation)
    assert world.organisation.verification == Verification.VERIFIED
    assert len(_events("organisation.verified")) == 1


def test_decline_keeps_the_reason_audits_and_emails(world: CounselorWorld) -> None:
    services.decline_partner(world.counselor, world.mentor, "References did not check out.")
    db.session.refresh(world.mentor)
    assert world.mentor.verification == Verification.DECLINED
    assert world.mentor.decline_reason == "References did not check out."
    [event] = _events("mentor.declined")
    assert event.detail == {"reason": "References did not check out.", "paused": []}
    body = db.session.scalar(db.select(OutboxMessage.body))
    assert body is not None and "References did not check out." in body


def test_the_partner_is_told_in_their_own_language(world: CounselorWorld) -> None:
    world.mentor.user.language = "es"
    _record(world)
    services.approve_partner(world.counselor, world.mentor)
    subjects = [m.subject for m in db.session.scalars(db.select(OutboxMessage))]
    assert "Tu verificación de antecedentes está registrada" in subjects
    assert "Tu cuenta ya está verificada en Mentorbridge" in subjects
