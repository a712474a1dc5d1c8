"""The year of a match: staff support contacts and the exit surveys sent at closure."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.accounts import User
from portal.models.base import Base, utcnow
from portal.models.programmes import Match


class SupportContact(Base):
    """A counselor's check-in with a match's mentor, student or guardian."""

    __tablename__ = "support_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"), index=True)
    counselor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    contacted_on: Mapped[dt.date]
    channel: Mapped[str] = mapped_column(String(12))  # phone | email | in_person | video
    with_whom: Mapped[str] = mapped_column(String(12))  # mentor | student | guardian
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    match: Mapped[Match] = relationship()
    counselor: Mapped[User | None] = relationship()


class ExitSurvey(Base):
    """One side's short survey at the end of a match (sent by email, answered once)."""

    __tablename__ = "exit_surveys"
    __table_args__ = (UniqueConstraint("match_id", "respondent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"), index=True)
    respondent: Mapped[str] = mapped_column(String(8))  # student | partner
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reminded_at: Mapped[dt.datetime | None]
    answered_at: Mapped[dt.datetime | None]
    satisfaction: Mapped[int | None]  # 1-5
    goal_progress: Mapped[str] = mapped_column(String(8), default="")  # none | some | most | all
    would_recommend: Mapped[bool | None]
    comment: Mapped[str] = mapped_column(String(1000), default="")

    match: Mapped[Match] = relationship()
    user: Mapped[User | None] = relationship()
