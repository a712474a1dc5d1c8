"""The sign-up services called directly: accounts, confirmation, profiles, projects, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask

from portal.extensions import db
from portal.models import AuditEvent, ConsentStatus, OutboxMessage, Role, School, User
from portal.signup import profiles, services
from portal.vocabulary import ensure_default_vocabulary
from tests import factories
from tests.factories import PASSWORD


@pytest.fixture
def school(app: Flask) -> School:
    ensure_default_vocabulary()
    return factories.make_school()


def _account(email: str = "kid@example.org") -> services.Account:
    return services.Account(email, PASSWORD, "Ana Lopez")


def _minor(school: School) -> services.NewStudent:
    born = dt.date.today() - dt.timedelta(days=14 * 365)
    return services.NewStudent(school.id, "Ana", "Lopez", 9, born, "Maria", "maria@example.org")


def _actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_register_student_creates_an_inactive_account_and_audits(school: School) -> None:
    user = services.register_student(_account("Kid@Example.org"), _minor(school))
    assert user is not None and user.email == "kid@example.org" and not user.active
    assert user.password_hash and user.password_hash.startswith("$argon2id$")
    assert _actions() == ["student.signed_up"]


def test_register_with_a_known_email_creates_nothing_and_tells_the_owner(school: School) -> None:
    owner = factories.make_user(Role.MENTOR, email="kid@example.org")
    assert services.register_student(_account("KID@example.org"), _minor(school)) is None
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    [mail] = db.session.scalars(db.select(OutboxMessage)).all()
    assert mail.to == owner.email and "already has an account" in mail.body
    assert _actions() == []


def test_register_survives_a_simultaneous_signup(
    school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.make_user(Role.STUDENT, email="kid@example.org")
    calls: list[str] = []
    real = services.find_user

    def late(email: str) -> Any:  # the other sign-up commits between our check and our insert
        calls.append(email)
        return None if len(calls) == 1 else real(email)

    monkeypatch.setattr(services, "find_user", late)
    assert services.register_student(_account(), _minor(school)) is None
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    assert db.session.scalars(db.select(OutboxMessage.subject)).one().startswith("Someone tried")


def test_confirmation_asks_the_guardian_once_and_audits(school: School) -> None:
    user = services.register_student(_account(), _minor(school))
    assert user is not None
    token = services.confirm_link(user).rsplit("/", 1)[1]
    assert services.user_for_confirmation(token) is user
    services.confirm_email(user)
    assert user.active and services.user_for_confirmation(token) is None
    guardian = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.to == "maria@example.org")
    ).one()
    assert "/consent/" in guardian.body
    assert _actions() == ["student.signed_up", "user.email_confirmed", "student.consent_requested"]


def test_token_of_another_purpose_does_not_confirm(school: School) -> None:
    from portal.auth.tokens import make_token

    user = services.register_mentor(
        _account("m@example.org"), services.NewMentor(school.id, "S", "R")
    )
    assert user is not None
    forged = make_token("password-reset", {"u": user.id, "e": user.email})
    assert services.user_for_confirmation(forged) is None


def test_student_profile_completion_and_audit_names_fields_not_values(school: School) -> None:
    student = factories.make_student(school, interests=[], profile_complete=False)
    values = {"interests": ["music"], "about": "secret thoughts", "modality": "online"}
    profiles.update_student_profile(student.user, student, values)
    assert student.profile_complete and student.modality == "online"
    event = db.session.scalars(db.select(AuditEvent)).one()
    assert event.action == "student.profile_updated" and event.object_id == student.id
    assert sorted(event.detail["fields"]) == ["about", "interests", "modality"]
    assert "secret thoughts" not in str(event.detail)


def test_profile_update_ignores_fields_outside_the_form(school: School) -> None:
    student = factories.make_student(school, consent_status=ConsentStatus.AWAITING)
    values = {"consent_status": ConsentStatus.GIVEN, "school_id": 999, "area": "east"}
    profiles.update_student_profile(student.user, student, values)
    db.session.refresh(student)
    assert student.consent_status == ConsentStatus.AWAITING and student.school_id == school.id
    assert student.area == "east"


def test_mentor_is_complete_only_with_check_consent(school: School) -> None:
    mentor = factories.make_mentor(school, background_check_consent=False, profile_complete=False)
    profiles.update_mentor_profile(mentor.user, mentor, {"capacity": 3})
    assert not mentor.profile_complete
    profiles.update_mentor_profile(mentor.user, mentor, {"background_check_consent": True})
    assert mentor.profile_complete


def test_create_and_close_project(school: School) -> None:
    organisation = factories.make_organisation(school)
    values = {"title": "Garden", "skills": ["gardening"], "capacity": 5, "modality": "in_person"}
    project = profiles.create_project(organisation.user, organisation, values)
    assert project.id and project.is_open and project.capacity == 5
    profiles.close_project(organisation.user, project)
    profiles.close_project(organisation.user, project)  # closing twice changes nothing more
    assert not project.is_open
    assert _actions() == ["project.created", "project.closed"]
