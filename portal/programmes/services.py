"""Programmes: create and update (verb_noun functions that commit once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypedDict

from portal import audit, policy
from portal.extensions import db
from portal.models import MatchRun, Programme, ProgrammeKind, User
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
