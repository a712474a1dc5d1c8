"""Browsing the audit trail: filters, school scope, pagination."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from sqlalchemy import Select

from portal.extensions import db
from portal.models import AuditEvent, Role, User


class AuditFilters(TypedDict, total=False):
    """The audit trail's filters, as ``AuditFilterForm.valid_filters()`` gives them."""

    action: str | None
    actor_id: int | None
    object_type: str | None
    object_id: int | None
    date_from: dt.date | None
    date_to: dt.date | None


def audit_query(actor: User, filters: AuditFilters) -> Select[AuditEvent]:
    """Events ``actor`` may see (a counselor: their schools only), filtered, newest first."""
    query: Select[AuditEvent] = db.select(AuditEvent).order_by(AuditEvent.id.desc())
    if actor.role != Role.ADMIN:
        query = query.where(AuditEvent.school_id.in_(actor.school_ids))
    if filters.get("action"):
        query = query.where(AuditEvent.action.startswith(filters["action"], autoescape=True))
    if filters.get("object_type"):
        query = query.where(AuditEvent.object_type == filters["object_type"])
    if filters.get("actor_id"):
        query = query.where(AuditEvent.actor_id == filters["actor_id"])
    if filters.get("object_id"):
        query = query.where(AuditEvent.object_id == filters["object_id"])
    if date_from := filters.get("date_from"):
        query = query.where(AuditEvent.at >= _start_of(date_from))
    if date_to := filters.get("date_to"):
        query = query.where(AuditEvent.at < _start_of(date_to + dt.timedelta(days=1)))
    return query


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
