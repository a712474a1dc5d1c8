"""Load a partner, a student or a class-list import, or 404: scoped to the caller's schools."""

from __future__ import annotations

from typing import cast

from flask import abort
from sqlalchemy.orm import selectinload

from portal import policy
from portal.counselor.queries import PARTNER_MODELS
from portal.counselor.services import Partner
from portal.extensions import db
from portal.imports import queries as import_queries
from portal.models import StudentImport, StudentProfile, User


def partner_or_404(actor: User, kind: str, partner_id: int) -> Partner:
    """The mentor or organisation (``kind``) if ``actor`` works for its school, else 404."""
    model = PARTNER_MODELS.get(kind)
    if model is None:
        abort(404)
    options = [selectinload(model.user), selectinload(model.school)]
    # mypy widens a union of model classes to Base; the row is one of them.
    partner = cast("Partner | None", db.session.get(model, partner_id, options=options))
    if partner is None:
        abort(404)
    policy.check_school(actor, partner.school_id)
    return partner


def student_or_404(actor: User, student_id: int) -> StudentProfile:
    """The student, with school and account, if ``actor`` is staff of their school, else 404."""
    load = (selectinload(StudentProfile.school), selectinload(StudentProfile.user))
    return policy.student_or_404(actor, student_id, *load)


def import_or_404(actor: User, import_id: int) -> StudentImport:
    """The class-list import if it belongs to one of ``actor``'s schools, else 404."""
    job = import_queries.find_import(policy.school_scope(actor), import_id)
    if job is None:
        abort(404)
    return job
