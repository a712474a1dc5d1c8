"""Reads of the programmes area scoped to the caller's schools (a run's proposals: ``summary``)."""

from __future__ import annotations

from sqlalchemy.orm import selectinload

from portal import policy
from portal.extensions import db
from portal.models import Programme, School, User


def schools_for(actor: User) -> list[School]:
    """The schools ``actor`` may create programmes for, by name."""
    query = db.select(School).order_by(School.name)
    scope = policy.school_scope(actor)
    if scope is not None:
        query = query.where(School.id.in_(scope))
    return list(db.session.scalars(query))


def programmes_for(actor: User) -> list[Programme]:
    """The live programmes of ``actor``'s schools, latest term first."""
    query = (
        db.select(Programme)
        .options(selectinload(Programme.school))
        .where(Programme.purged_at.is_(None))
        .order_by(Programme.starts_on.desc(), Programme.id.desc())
    )
    scope = policy.school_scope(actor)
    if scope is not None:
        query = query.where(Programme.school_id.in_(scope))
    return list(db.session.scalars(query))
