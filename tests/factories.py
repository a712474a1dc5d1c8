"""``make_*`` factories: each adds one realistic object (and what it needs) and commits."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from portal.auth.passwords import hash_password
from portal.extensions import db
from portal.forms.validators import shift_years
from portal.models import (
    BackgroundCheck,
    CheckKind,
    ConsentStatus,
    MentorProfile,
    Modality,
    Organisation,
    Project,
    Role,
    School,
    StudentProfile,
    User,
    Verification,
)
from portal.vocabulary import ensure_default_vocabulary

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def make_school(name: str | None = None, **fields: Any) -> School:
    n = _n()
    school = School(
        name=name or f"School {n}",
        join_code=fields.pop("join_code", f"JOIN{n:04d}"),
        area=fields.pop("area", "north"),
        **fields,
    )
    db.session.add(school)
    db.session.commit()
    return school


def make_user(role: Role = Role.STUDENT, email: str | None = None, **fields: Any) -> User:
    n = _n()
    user = User(
        email=email or f"{role}{n}@example.org",
        password_hash=hash_password(fields.pop("password", PASSWORD)),
        role=role,
        display_name=fields.pop("display_name", f"{str(role).title()} {n}"),
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user


def make_counselor(*schools: School, **fields: Any) -> User:
    user = make_user(Role.COUNSELOR, **fields)
    user.schools = list(schools) or [make_school()]
    db.session.commit()
    return user


def make_admin(**fields: Any) -> User:
    return make_user(Role.ADMIN, **fields)


def make_student(school: School | None = None, **fields: Any) -> StudentProfile:
    ensure_default_vocabulary()
    school = school or make_school()
    user = fields.pop("user", None) or make_user(Role.STUDENT)
    values: dict[str, Any] = {
        "first_name": "Ana",
        "last_name": f"Student{_n()}",
        "grade": 10,
        "is_minor": True,
        "interests": ["robotics", "coding"],
        "goals": ["engineering"],
        "availability": ["tue-pm", "thu-pm"],
        "modality": Modality.EITHER,
        "languages": ["en", "es"],
        "area": "north",
        "guardian_name": "Maria Guardian",
        "guardian_email": "guardian@example.org",
        "consent_status": ConsentStatus.GIVEN,
        "profile_complete": True,
        "phone": "555-0100",
    }
    values.update(fields)
    values.setdefault("date_of_birth", _birth_date(values["grade"], values["is_minor"]))
    student = StudentProfile(user=user, school=school, **values)
    db.session.add(student)
    db.session.commit()
    return student


def _birth_date(grade: int, minor: bool) -> dt.date:
    """A date of birth that fits ``grade`` (age grade + 5, but under or over 18 as asked)."""
    age = min(grade + 5, 17) if minor else max(grade + 5, 18)
    return shift_years(dt.date.today(), -age) - dt.timedelta(days=100)


def make_check(
    user: User, verifier: User, expires_in_days: int = 365, **fields: Any
) -> BackgroundCheck:
    today = dt.date.today()
    check = BackgroundCheck(
        user_id=user.id,
        kind=fields.pop("kind", CheckKind.CRIMINAL_RECORD),
        reference=fields.pop("reference", f"REF-{_n()}"),
        checked_on=today - dt.timedelta(days=10),
        expires_on=today + dt.timedelta(days=expires_in_days),
        verified_by_id=verifier.id,
        **fields,
    )
    db.session.add(check)
    db.session.commit()
    return check


def make_mentor(
    school: School | None = None, verified: bool = True, **fields: Any
) -> MentorProfile:
    ensure_default_vocabulary()
    school = school or make_school()
    user = fields.pop("user", None) or make_user(Role.MENTOR)
    values: dict[str, Any] = {
        "first_name": "Sam",
        "last_name": f"Mentor{_n()}",
        "phone": "555-0199",
        "job_title": "Software engineer",
        "employer": "Acme Robotics",
        "bio": "I build robots and like to help students start coding.",
        "expertise": ["engineering", "software"],
        "interests": ["robotics", "coding"],
        "availability": ["tue-pm", "wed-pm"],
        "modality": Modality.EITHER,
        "languages": ["en", "es"],
        "area": "north",
        "capacity": 2,
        "grade_min": 9,
        "grade_max": 12,
        "background_check_consent": True,
        "profile_complete": True,
        "verification": Verification.VERIFIED if verified else Verification.PENDING,
    }
    values.update(fields)
    mentor = MentorProfile(user=user, school=school, **values)
    db.session.add(mentor)
    db.session.commit()
    if verified:
        verifier = make_counselor(school)
        make_check(user, verifier)
        mentor.verified_by_id = verifier.id
        db.session.commit()
    return mentor


def make_organisation(
    school: School | None = None, verified: bool = True, **fields: Any
) -> Organisation:
    school = school or make_school()
    user = fields.pop("user", None) or make_user(Role.ORGANISATION)
    values: dict[str, Any] = {
        "name": f"Green Streets {_n()}",
        "kind": "nonprofit",
        "description": "We plant trees and run community gardens.",
        "phone": "555-0142",
        "area": "north",
        "verification": Verification.VERIFIED if verified else Verification.PENDING,
    }
    values.update(fields)
    organisation = Organisation(user=user, school=school, **values)
    db.session.add(organisation)
    db.session.commit()
    return organisation


def make_project(organisation: Organisation | None = None, **fields: Any) -> Project:
    ensure_default_vocabulary()
    organisation = organisation or make_organisation()
    values: dict[str, Any] = {
        "title": f"Community garden {_n()}",
        "description": "Build raised beds.",
        "skills": ["gardening"],
        "availability": ["sat-am"],
        "modality": Modality.IN_PERSON,
        "languages": ["en"],
        "area": "north",
        "capacity": 4,
        "grade_min": 9,
        "grade_max": 12,
        "supervising_adults": "Jo Park (site lead)",
        "supervisor_checked": True,
    }
    values.update(fields)
    project = Project(organisation=organisation, **values)
    db.session.add(project)
    db.session.commit()
    return project
