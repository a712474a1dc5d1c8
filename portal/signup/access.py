"""Load the caller's own profile or project, or 404 (none, erased, or another's)."""

from __future__ import annotations

from typing import TypeVar

from flask import abort

from portal.extensions import db
from portal.models import MentorProfile, Organisation, Project, StudentProfile, User
from portal.signup import queries

P = TypeVar("P", StudentProfile, MentorProfile, Organisation)


def student_profile_or_404(user: User) -> StudentProfile:
    """``user``'s student profile, or 404."""
    return _own(queries.student_of(user))


def mentor_profile_or_404(user: User) -> MentorProfile:
    """``user``'s mentor profile, or 404."""
    return _own(queries.mentor_of(user))


def organisation_or_404(user: User) -> Organisation:
    """``user``'s organisation, or 404."""
    return _own(queries.organisation_of(user))


def project_or_404(organisation: Organisation, project_id: int) -> Project:
    """The organisation's project ``project_id``; another's (or none) is a 404."""
    project = db.session.get(Project, project_id)
    if project is None or project.organisation_id != organisation.id:
        abort(404)
    return project


def _own(profile: P | None) -> P:
    if profile is None or getattr(profile, "erased_at", None) is not None:
        abort(404)
    return profile
