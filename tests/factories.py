"""The one builder module: ``make_*`` factories each add one realistic object (and what it
needs) and commit; ``run_now`` runs a programme's matcher. The worlds built from them are in
``tests/conftest.py`` (the base) and each area's ``conftest.py``."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from portal.auth.passwords import hash_password
from portal.extensions import db
from portal.forms.validators import shift_years
from portal.models import (
    BackgroundCheck,
    CheckIn,
    CheckInKind,
    CheckKind,
    ConsentStatus,
    Match,
    MatchRun,
    MatchStatus,
    MentorProfile,
    Modality,
    Organisation,
    Programme,
    ProgrammeKind,
    Project,
    Proposal,
    Role,
    RunStatus,
    School,
    StudentProfile,
    User,
    Verification,
)
from portal.programmes import runs
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


def make_programme(school: School, **fields: Any) -> Programme:
    """A programme of both kinds a month into its term (90 days left); ``fields`` override."""
    today = dt.date.today()
    values: dict[str, Any] = {
        "name": "Spring mentoring",
        "kind": ProgrammeKind.BOTH,
        "starts_on": today - dt.timedelta(days=30),
        "ends_on": today + dt.timedelta(days=90),
        "meeting_info": "Tuesdays in the library",
    }
    values.update(fields)
    programme = Programme(school_id=school.id, **values)
    db.session.add(programme)
    db.session.commit()
    return programme


def matching_term(**fields: Any) -> dict[str, Any]:
    """``make_programme``'s fields for the programme a matching test runs: mentoring only,
    starting today for 120 days, proposing pairs that score 0.1 or more; ``fields`` override."""
    today = dt.date.today()
    values: dict[str, Any] = {
        "name": "Autumn mentoring",
        "kind": ProgrammeKind.MENTORING,
        "starts_on": today,
        "ends_on": today + dt.timedelta(days=120),
        "weights": {},
        "min_score": 0.1,
        "meeting_info": "Tuesdays 3-4 pm in the library",
    }
    return values | fields


def run_now(programme: Programme, actor: User | None = None) -> MatchRun:
    """Start and execute a run in this thread; return it refreshed."""
    run = runs.start_run(actor, programme)
    runs.execute_run(run.id)
    db.session.expire_all()
    found = db.session.get(MatchRun, run.id)
    assert found is not None
    return found


def proposals_of(run: MatchRun) -> list[Proposal]:
    """The run's proposals in the order they were made."""
    return list(
        db.session.scalars(
            db.select(Proposal).where(Proposal.run_id == run.id).order_by(Proposal.id)
        )
    )


def make_finished_run(programme: Programme) -> MatchRun:
    """A run that succeeded, with no proposals yet (add them with ``make_proposal``)."""
    run = MatchRun(programme_id=programme.id, status=RunStatus.SUCCEEDED, progress=100)
    db.session.add(run)
    db.session.commit()
    return run


def make_proposal(run: MatchRun, student: StudentProfile, **fields: Any) -> Proposal:
    """A proposal of ``run`` for ``student`` (score 0.7 unless given)."""
    proposal = Proposal(
        run_id=run.id, student_id=student.id, score=fields.pop("score", 0.7), **fields
    )
    db.session.add(proposal)
    db.session.commit()
    return proposal


def make_match(
    student: StudentProfile,
    mentor: MentorProfile | None = None,
    project: Project | None = None,
    programme: Programme | None = None,
    status: MatchStatus = MatchStatus.ACTIVE,
) -> Match:
    """A match of ``student`` with a mentor or a project (in a new programme unless given)."""
    programme = programme or make_programme(student.school)
    match = Match(
        programme_id=programme.id,
        student_id=student.id,
        kind="mentor" if mentor else "project",
        mentor_id=mentor.id if mentor else None,
        project_id=project.id if project else None,
        status=status,
        score=0.8,
    )
    db.session.add(match)
    db.session.commit()
    return match


def make_check_in(match: Match, author_id: int, note: str = "We met and talked.") -> CheckIn:
    """A 45-minute online meeting today, logged by ``author_id``."""
    check_in = CheckIn(
        match_id=match.id,
        author_id=author_id,
        kind=CheckInKind.MEETING,
        met_on=dt.date.today(),
        minutes=45,
        mode="online",
        note=note,
    )
    db.session.add(check_in)
    match.last_meeting_on = check_in.met_on  # as the meeting service keeps it
    db.session.commit()
    return check_in
