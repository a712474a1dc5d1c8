"""The audit event of a change to a match (every verb module of the area writes through it)."""

from __future__ import annotations

from portal import audit
from portal.models import Match, User


def record(action: str, actor: User | None, match: Match, detail: dict[str, object]) -> None:
    """Audit ``action`` on ``match`` in the caller's transaction (the student is named)."""
    audit.record(
        action,
        actor=actor,
        object_type="match",
        object_id=match.id,
        school_id=match.student.school_id,
        detail={"student": match.student_id, **detail},
    )
