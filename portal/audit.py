"""The audit trail: one event for every view or change of a student record.

:func:`record` adds the event to the session; the calling service commits it together
with the change it describes. :func:`record_view` commits at once (views change nothing).
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from portal.extensions import db
from portal.models import AuditEvent, User


def record(
    action: str,
    *,
    actor: User | None,
    object_type: str = "",
    object_id: int | None = None,
    school_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session (committed by the caller's transaction)."""
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        actor_role=str(actor.role) if actor else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        school_id=school_id,
        detail=detail or {},
        ip=_client_ip(),
    )
    db.session.add(event)
    return event


def record_view(
    actor: User, object_type: str, object_id: int, school_id: int | None, what: str = "view"
) -> None:
    """Record that ``actor`` looked at a record, and commit."""
    record(
        f"{object_type}.{what}",
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        school_id=school_id,
    )
    db.session.commit()


def _client_ip() -> str:
    return (request.remote_addr or "") if has_request_context() else ""
