"""Audit trail, email outbox and safeguarding concerns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, StrEnumType, utcnow
from portal.models.enums import ConcernStatus


class AuditEvent(Base):
    """Who did or saw what, to which record, when. Append-only."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_role: Mapped[str] = mapped_column(String(16), default="")
    action: Mapped[str] = mapped_column(String(48), index=True)
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[int | None] = mapped_column(index=True)
    school_id: Mapped[int | None] = mapped_column(index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    ip: Mapped[str] = mapped_column(String(64), default="")


class OutboxMessage(Base):
    """An email: delivered by a task (with retries) when SMTP is configured, else kept here.

    ``status`` goes pending → sending (claimed by one worker at ``claimed_at``) → sent, or
    back to pending with ``next_attempt_at`` after a failed attempt, and failed after the
    last one. A claim older than ``MAIL_CLAIM_SECONDS`` belongs to a dead worker.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]
    # The last attempt's error (kept after a later success, for the admin's outbox page).
    error: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[dt.datetime | None]
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(default=utcnow)


class Concern(Base):
    """A safeguarding concern reported by a student or a partner."""

    __tablename__ = "concerns"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    match_id: Mapped[int | None] = mapped_column(ForeignKey("matches.id"))
    about_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(48))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ConcernStatus] = mapped_column(
        StrEnumType(ConcernStatus), default=ConcernStatus.OPEN, index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[dt.datetime | None]
    resolution_note: Mapped[str] = mapped_column(Text, default="")
