"""Services that change profiles and projects, and a student's school record (verb_noun,
plain arguments; one commit each, except :func:`change_student_details`, which an import
batches)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from portal import audit
from portal.extensions import db
from portal.models import (
    ConsentStatus,
    Match,
    MentorProfile,
    Modality,
    Organisation,
    Project,
    StudentProfile,
    User,
)
from portal.safeguarding.services import pause_and_audit

CONSENT_NEEDED_REASON = "minor: guardian consent needed"

# What each profile form may change; any other key a caller passes is ignored. A mentor saves
# their profile a step at a time, so theirs is partial (``total=False``).


class StudentProfileValues(TypedDict):
    """A student's profile, as ``StudentProfileForm.values()`` gives it."""

    interests: list[str]
    goals: list[str]
    availability: list[str]
    modality: str
    languages: list[str]
    area: str
    about: str
    phone: str


class MentorProfileValues(TypedDict, total=False):
    """A mentor's profile; each step's form gives its own part."""

    job_title: str
    employer: str
    bio: str
    phone: str
    expertise: list[str]
    interests: list[str]
    availability: list[str]
    modality: str
    languages: list[str]
    area: str
    capacity: int
    grade_min: int
    grade_max: int
    background_check_consent: bool


class OrganisationValues(TypedDict):
    """What an organisation tells about itself (sign-up and profile)."""

    name: str
    kind: str
    description: str
    website: str
    phone: str
    area: str


class ProjectValues(TypedDict):
    """A community project, as ``ProjectForm.values()`` gives it."""

    title: str
    description: str
    skills: list[str]
    capacity: int
    availability: list[str]
    modality: str
    languages: list[str]
    grade_min: int
    grade_max: int
    area: str
    supervising_adults: str
    supervisor_checked: bool


STUDENT_FIELDS = tuple(StudentProfileValues.__annotations__)
MENTOR_FIELDS = tuple(MentorProfileValues.__annotations__)
ORGANISATION_FIELDS = tuple(OrganisationValues.__annotations__)
PROJECT_FIELDS = tuple(ProjectValues.__annotations__)


def _apply(target: Any, values: Mapping[str, Any], allowed: tuple[str, ...]) -> list[str]:
    """Set the allowed ``values`` on ``target``; the names of the fields that changed."""
    changed = []
    for name in allowed:
        if name not in values:
            continue
        value = Modality(values[name]) if name == "modality" else values[name]
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed.append(name)
    return changed


def student_complete(student: StudentProfile) -> bool:
    """The parts the matcher needs are filled."""
    return bool(student.interests and student.availability and student.languages and student.area)


def mentor_complete(mentor: MentorProfile) -> bool:
    """The parts the matcher and the verification need are filled."""
    return bool(
        mentor.job_title
        and mentor.expertise
        and mentor.availability
        and mentor.languages
        and mentor.area
        and mentor.background_check_consent
    )


def update_student_profile(
    user: User, student: StudentProfile, values: StudentProfileValues
) -> None:
    """Save a student's profile; record which fields changed (not their values)."""
    changed = _apply(student, values, STUDENT_FIELDS)
    student.profile_complete = student_complete(student)
    audit.record_about(
        student,
        "student.profile_updated",
        actor=user,
        detail={"fields": changed, "complete": student.profile_complete},
    )
    db.session.commit()


def update_mentor_profile(user: User, mentor: MentorProfile, values: MentorProfileValues) -> None:
    """Save one step (or all) of a mentor's profile."""
    changed = _apply(mentor, values, MENTOR_FIELDS)
    mentor.profile_complete = mentor_complete(mentor)
    _record(user, "mentor.profile_updated", mentor, changed)
    db.session.commit()


def update_organisation(user: User, organisation: Organisation, values: OrganisationValues) -> None:
    """Save an organisation's profile."""
    changed = _apply(organisation, values, ORGANISATION_FIELDS)
    _record(user, "organisation.updated", organisation, changed)
    db.session.commit()


def create_project(user: User, organisation: Organisation, values: ProjectValues) -> Project:
    """Post a new, open project of ``organisation``."""
    project = Project(organisation=organisation, title=values["title"])
    db.session.add(project)
    changed = _apply(project, values, PROJECT_FIELDS)
    db.session.flush()
    _record(user, "project.created", project, changed)
    db.session.commit()
    return project


def update_project(user: User, project: Project, values: ProjectValues) -> None:
    """Save changes to a project."""
    changed = _apply(project, values, PROJECT_FIELDS)
    _record(user, "project.updated", project, changed)
    db.session.commit()


def close_project(user: User, project: Project) -> None:
    """Close a project to new students (existing matches are left to the school)."""
    if project.is_open:
        project.is_open = False
        _record(user, "project.closed", project, ["is_open"])
        db.session.commit()


def _record(user: User, action: str, subject: audit.Subject, changed: list[str]) -> None:
    audit.record_about(subject, action, actor=user, detail={"fields": changed})


def change_student_details(
    actor: User | None, student: StudentProfile, values: Mapping[str, object]
) -> list[str]:
    """Change a student's school record (name, grade, date of birth, minor status) without
    committing: the counselor's edit (``counselor.services.update_student_details``) and a
    class-list import (one commit) both call it. The audit event names the changed fields,
    never their values; a new minor needs a guardian's consent again (live matches pause)."""
    changed = sorted(name for name, value in values.items() if getattr(student, name) != value)
    if not changed:
        return []
    for name in changed:
        setattr(student, name, values[name])
    detail: dict[str, Any] = {"fields": changed}
    if "is_minor" in changed:
        detail.update(_minor_status_changed(actor, student))
    audit.record_about(student, "student.updated", actor=actor, detail=detail)
    return changed


def _minor_status_changed(actor: User | None, student: StudentProfile) -> dict[str, Any]:
    """Re-open consent for a new minor (pausing live matches); close it for a new adult."""
    if not student.is_minor:
        student.consent_status = ConsentStatus.NOT_NEEDED
        return {"consent": str(ConsentStatus.NOT_NEEDED)}
    student.consent_status = ConsentStatus.AWAITING
    live = db.select(Match).where(Match.student_id == student.id)
    paused = pause_and_audit(live, CONSENT_NEEDED_REASON, actor)
    return {"consent": str(ConsentStatus.AWAITING), "paused": [m.id for m in paused]}
