"""Programmes: create and update (verb_noun functions that commit once)."""

from __future__ import annotations

from typing import Any

from portal import audit, policy
from portal.extensions import db
from portal.models import MatchRun, Programme, User
from portal.relationships import support

PROGRAMME_FIELDS = (
    "school_id",
    "name",
    "kind",
    "starts_on",
    "ends_on",
    "min_score",
    "require_common_slot",
    "require_common_language",
    "quiet_weeks",
    "meeting_info",
    "requires_training",
    "goal_templates",
    "support_schedule",
    "weights",
)


def create_programme(actor: User, values: dict[str, Any]) -> Programme:
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


def update_programme(actor: User, programme: Programme, values: dict[str, Any]) -> None:
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


def _fields(values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[name] for name in PROGRAMME_FIELDS if name in values}


def _audit(action: str, actor: User, programme: Programme) -> None:
    audit.record(
        action,
        actor=actor,
        object_type="programme",
        object_id=programme.id,
        school_id=programme.school_id,
        detail={"name": programme.name},
    )
