"""Browsing the audit trail: filters, school scope, pagination."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select

from portal.extensions import db
from portal.models import AuditEvent, Role, User


def audit_query(actor: User, filters: dict[str, Any]) -> Select[AuditEvent]:
    """Events ``actor`` may see (a counselor: their schools only), filtered, newest first."""
    query: Select[AuditEvent] = db.select(AuditEvent).order_by(AuditEvent.id.desc())
    if actor.role != Role.ADMIN:
        query = query.where(AuditEvent.school_id.in_(actor.school_ids))
    if filters.get("action"):
        query = query.where(AuditEvent.action.startswith(filters["action"], autoescape=True))
    if filters.get("object_type"):
        query = query.where(AuditEvent.object_type == filters["object_type"])
    for key, column in (("actor_id", AuditEvent.actor_id), ("object_id", AuditEvent.object_id)):
        if filters.get(key):
            query = query.where(column == filters[key])
    if filters.get("date_from"):
        query = query.where(AuditEvent.at >= _start_of(filters["date_from"]))
    if filters.get("date_to"):
        query = query.where(AuditEvent.at < _start_of(filters["date_to"] + dt.timedelta(days=1)))
    return query


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
