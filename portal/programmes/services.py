"""Programmes: who may see which, create and update (verb_noun functions that commit once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypedDict

from flask import abort
from sqlalchemy.orm import selectinload

from portal import audit, policy
from portal.extensions import db
from portal.models import MatchRun, Programme, ProgrammeKind, Proposal, Role, School, User
from portal.relationships import support


class ProgrammeSettings(TypedDict):
    """A programme's settings, as ``ProgrammeForm.values()`` gives them."""

    school_id: int
    name: str
    kind: ProgrammeKind
    starts_on: dt.date
    ends_on: dt.date
    min_score: float
    require_common_slot: bool
    require_common_language: bool
    quiet_weeks: int
    meeting_info: str
    requires_training: bool
    goal_templates: list[str]
    support_schedule: dict[str, int]
    weights: dict[str, float]


PROGRAMME_FIELDS = tuple(ProgrammeSettings.__annotations__)


def school_scope(actor: User) -> set[int] | None:
    """The schools ``actor`` works for; None for an admin (every school)."""
    return None if actor.role == Role.ADMIN else actor.school_ids


def schools_for(actor: User) -> list[School]:
    """The schools ``actor`` may create programmes for, by name."""
    query = db.select(School).order_by(School.name)
    scope = school_scope(actor)
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
    scope = school_scope(actor)
    if scope is not None:
        query = query.where(Programme.school_id.in_(scope))
    return list(db.session.scalars(query))


def programme_for(actor: User, programme_id: int) -> Programme:
    """The programme if ``actor`` works for its school, else 404."""
    programme = db.session.get(Programme, programme_id)
    if programme is None or programme.purged_at is not None:
        abort(404)
    policy.check_school(actor, programme.school_id)
    return programme


def run_for(actor: User, run_id: int) -> MatchRun:
    """The matching run if ``actor`` works for its programme's school, else 404."""
    run = db.session.get(MatchRun, run_id)
    if run is None:
        abort(404)
    programme_for(actor, run.programme_id)
    return run


def proposal_for(actor: User, proposal_id: int) -> Proposal:
    """The proposal if ``actor`` works for its programme's school and its student's, else 404."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        abort(404)
    run_for(actor, proposal.run_id)
    policy.check_school(actor, proposal.student.school_id)
    return proposal


def create_programme(actor: User, values: ProgrammeSettings) -> Programme:
    """Create a programme for one of ``actor``'s schools."""
    policy.check_school(actor, values["school_id"])
    programme = Programme(created_by_id=actor.id, **_fields(values))
    db.session.add(programme)
    db.session.flush()
    _audit("programme.created", actor, programme)
    db.session.commit()
    return programme


class SchoolLockedError(Exception):
    """A programme with matching runs keeps its school (its proposals name its students)."""


SCHOOL_LOCKED = (
    "This programme has matching runs, so its school cannot change: "
    "create a new programme for the other school."
)


def has_runs(programme: Programme) -> bool:
    """Whether any matching run (and so any proposal or match) belongs to ``programme``."""
    query = db.select(MatchRun.id).where(MatchRun.programme_id == programme.id).limit(1)
    return db.session.scalar(query) is not None


def update_programme(actor: User, programme: Programme, values: ProgrammeSettings) -> None:
    """Change a programme's settings (its school too, within ``actor``'s schools, until it
    has runs: then :class:`SchoolLockedError`)."""
    policy.check_school(actor, values["school_id"])
    if values["school_id"] != programme.school_id and has_runs(programme):
        raise SchoolLockedError(SCHOOL_LOCKED)
    schedule = dict(programme.support_schedule or {})
    for name, value in _fields(values).items():
        setattr(programme, name, value)
    if "support_schedule" in values and values["support_schedule"] != schedule:
        support.reschedule_programme(programme)
    _audit("programme.updated", actor, programme)
    db.session.commit()


def _fields(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: values[name] for name in PROGRAMME_FIELDS if name in values}


def _audit(action: str, actor: User, programme: Programme) -> None:
    audit.record_about(programme, action, actor=actor, detail={"name": programme.name})
