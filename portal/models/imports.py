"""Student imports (an uploaded class list and its background job) and partner invitations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow


class StudentImport(Base):
    """An uploaded class list: the file, the column mapping, and the job that applies it."""

    __tablename__ = "student_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    filename: Mapped[str] = mapped_column(String(255), default="")
    # The upload itself (at most UPLOAD_MAX_BYTES); loaded only when the job reads it.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    # Field name (student_number, first_name, ...) -> column header of the file.
    mapping: Mapped[dict[str, Any]] = mapped_column(default=dict)
    invite: Mapped[bool] = mapped_column(default=False)
    # uploaded -> queued -> running -> done | failed
    status: Mapped[str] = mapped_column(String(16), default="uploaded")
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    # {"added": n, "updated": n, "unchanged": n}
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # [{"row": r, "column": c, "message": m}, ...] (the first 200)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    finished_at: Mapped[dt.datetime | None]


class PartnerInvitation(Base):
    """A sign-up invitation a counselor sent to a local professional or organisation."""

    __tablename__ = "partner_invitations"
    __table_args__ = (
        UniqueConstraint("school_id", "email"),
        Index("ix_partner_invitations_email", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    email: Mapped[str] = mapped_column(String(254))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    invited_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    signed_up_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
