"""Services that change profiles and projects, and a student's school record (verb_noun,
plain arguments; one commit each, except :func:`change_student_details`, which an import
batches)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

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
STUDENT_FIELDS = (
    "interests", "goals", "availability", "modality", "languages", "area", "about", "phone",
)  # fmt: skip
MENTOR_FIELDS = (
    "job_title", "employer", "bio", "phone", "expertise", "interests", "availability",
    "modality", "languages", "area", "capacity", "grade_min", "grade_max",
    "background_check_consent",
)  # fmt: skip
ORGANISATION_FIELDS = ("name", "kind", "description", "website", "phone", "area")
PROJECT_FIELDS = (
    "title", "description", "skills", "capacity", "availability", "modality", "languages",
    "grade_min", "grade_max", "area", "supervising_adults", "supervisor_checked",
)  # fmt: skip


def _apply(target: Any, values: Mapping[str, Any], allowed: Iterable[str]) -> list[str]:
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


def update_student_profile(user: User, student: StudentProfile, values: Mapping[str, Any]) -> None:
    """Save a student's profile; record which fields changed (not their values)."""
    changed = _apply(student, values, STUDENT_FIELDS)
    student.profile_complete = student_complete(student)
    audit.record(
        "student.profile_updated",
        actor=user,
        object_type="student",
        object_id=student.id,
        school_id=student.school_id,
        detail={"fields": changed, "complete": student.profile_complete},
    )
    db.session.commit()


def update_mentor_profile(user: User, mentor: MentorProfile, values: Mapping[str, Any]) -> None:
    """Save one step (or all) of a mentor's profile."""
    changed = _apply(mentor, values, MENTOR_FIELDS)
    mentor.profile_complete = mentor_complete(mentor)
    _record(user, "mentor.profile_updated", "mentor", mentor.id, mentor.school_id, changed)
    db.session.commit()


def update_organisation(user: User, organisation: Organisation, values: Mapping[str, Any]) -> None:
    """Save an organisation's profile."""
    changed = _apply(organisation, values, ORGANISATION_FIELDS)
    school_id = organisation.school_id
    _record(user, "organisation.updated", "organisation", organisation.id, school_id, changed)
    db.session.commit()


def create_project(user: User, organisation: Organisation, values: Mapping[str, Any]) -> Project:
    """Post a new, open project of ``organisation``."""
    project = Project(organisation=organisation, title=values["title"])
    db.session.add(project)
    changed = _apply(project, values, PROJECT_FIELDS)
    db.session.flush()
    _record(user, "project.created", "project", project.id, organisation.school_id, changed)
    db.session.commit()
    return project


def update_project(user: User, project: Project, values: Mapping[str, Any]) -> None:
    """Save changes to a project."""
    changed = _apply(project, values, PROJECT_FIELDS)
    school_id = project.organisation.school_id
    _record(user, "project.updated", "project", project.id, school_id, changed)
    db.session.commit()


def close_project(user: User, project: Project) -> None:
    """Close a project to new students (existing matches are left to the school)."""
    if project.is_open:
        project.is_open = False
        school_id = project.organisation.school_id
        _record(user, "project.closed", "project", project.id, school_id, ["is_open"])
        db.session.commit()


def _record(
    user: User, action: str, kind: str, object_id: int, school_id: int, changed: list[str]
) -> None:
    audit.record(
        action,
        actor=user,
        object_type=kind,
        object_id=object_id,
        school_id=school_id,
        detail={"fields": changed},
    )


def change_student_details(
    actor: User | None, student: StudentProfile, values: dict[str, Any]
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
    audit.record(
        "student.updated",
        actor=actor,
        object_type="student",
        object_id=student.id,
        school_id=student.school_id,
        detail=detail,
    )
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
