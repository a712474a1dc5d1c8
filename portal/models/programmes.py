"""Programmes, matching runs, proposals, approved matches, pair rules and check-ins."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.accounts import School, User
from portal.models.base import Base, StrEnumType, Timestamped, utcnow
from portal.models.enums import (
    CheckInKind,
    MatchStatus,
    PairRuleKind,
    ProgrammeKind,
    ProposalStatus,
    RunStatus,
)
from portal.models.profiles import MentorProfile, Project, StudentProfile

ONE_PARTNER = "(mentor_id IS NULL) <> (project_id IS NULL)"


class Programme(Timestamped, Base):
    """A school's mentoring and/or projects programme for a term."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[ProgrammeKind] = mapped_column(StrEnumType(ProgrammeKind))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    weights: Mapped[dict[str, Any]] = mapped_column(default=dict)
    min_score: Mapped[float] = mapped_column(default=0.2)
    require_common_slot: Mapped[bool] = mapped_column(default=True)
    require_common_language: Mapped[bool] = mapped_column(default=True)
    quiet_weeks: Mapped[int] = mapped_column(default=4)
    meeting_info: Mapped[str] = mapped_column(Text, default="")
    # Screening and training: mentors need a recorded training before they are matched.
    requires_training: Mapped[bool] = mapped_column(default=False)
    # Goals a pair may pick for its agreement (short sentences, a handful at most).
    goal_templates: Mapped[list[str]] = mapped_column(default=list)
    # {"first_month": contacts in the first month, "then_days": days between contacts after};
    # missing keys take the defaults of ``portal.relationships.support.DEFAULT_SCHEDULE``.
    support_schedule: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    purged_at: Mapped[dt.datetime | None]

    school: Mapped[School] = relationship()


class MatchRun(Base):
    """One run of the matcher over a frozen snapshot; stores all proposals or none."""

    __tablename__ = "match_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    status: Mapped[RunStatus] = mapped_column(StrEnumType(RunStatus), default=RunStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(200), default="")
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    heartbeat_at: Mapped[dt.datetime | None]
    input_counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    timings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)
    unmatched: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str] = mapped_column(Text, default="")

    programme: Mapped[Programme] = relationship()
    started_by: Mapped[User | None] = relationship()

    __table_args__ = (
        # At most one active run per programme, enforced by the database.
        Index(
            "uq_match_runs_one_active",
            "programme_id",
            unique=True,
            sqlite_where=text("status IN ('queued', 'running')"),
            postgresql_where=text("status IN ('queued', 'running')"),
        ),
    )


class Proposal(Base):
    """A pair the matcher proposed, with its explanation, awaiting a counselor's decision."""

    __tablename__ = "proposals"
    __table_args__ = (CheckConstraint(ONE_PARTNER, name="one_partner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_runs.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student_profiles.id"), index=True)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentor_profiles.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    score: Mapped[float]
    breakdown: Mapped[dict[str, Any]] = mapped_column(default=dict)
    alternatives: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The two profiles as the run scored them ({"student": {...}, "partner": {...}}, the
    # contract's fields), so the explanation's words match the scores after profiles change.
    basis: Mapped[dict[str, Any]] = mapped_column(default=dict)
    pinned: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ProposalStatus] = mapped_column(
        StrEnumType(ProposalStatus), default=ProposalStatus.PROPOSED, index=True
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]
    reject_reason: Mapped[str] = mapped_column(String(500), default="")

    run: Mapped[MatchRun] = relationship()
    student: Mapped[StudentProfile] = relationship()
    mentor: Mapped[MentorProfile | None] = relationship()
    project: Mapped[Project | None] = relationship()

    @property
    def kind(self) -> str:
        """``"mentor"`` or ``"project"``: which side the proposal is on."""
        return "mentor" if self.mentor_id is not None else "project"

    @property
    def partner_id(self) -> int:
        """The id of the proposal's mentor or project (exactly one is set)."""
        found = self.mentor_id if self.mentor_id is not None else self.project_id
        assert found is not None  # noqa: S101 - one partner (check constraint)
        return found


class Match(Base):
    """An approved student–mentor or student–project relationship."""

    __tablename__ = "matches"
    __table_args__ = (
        CheckConstraint(ONE_PARTNER, name="one_partner"),
        # A student has at most one live (active or paused) mentor and one live project,
        # across every programme.
        Index(
            "uq_matches_live_student_kind",
            "student_id",
            "kind",
            unique=True,
            sqlite_where=text("status != 'ended'"),
            postgresql_where=text("status != 'ended'"),
        ),
        # The relationships page: "support due" counted from the school's students without
        # reading the rows, and the newest-first page read in index order.
        Index("ix_matches_student_id_status_due", "student_id", "status", "support_due_on"),
        Index("ix_matches_started_at_id", "started_at", "id"),
        # Quiet matches (dashboard panel, relationships filter) counted per programme of the
        # school from the index alone.
        # The relationships list and its filters, by the student's school (kept on the match).
        Index("ix_matches_school_id_started_at", "school_id", "started_at", "id"),
        Index("ix_matches_school_id_status_due", "school_id", "status", "support_due_on"),
        Index("ix_matches_school_id_status_last_meeting", "school_id", "status", "last_meeting_on"),
        Index(
            "ix_matches_programme_id_status_last_meeting",
            "programme_id",
            "status",
            "last_meeting_on",
            "started_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student_profiles.id"), index=True)
    # The student's school, kept by portal.figures (set when the match is added, moved with
    # the student), so the school's lists read an index that starts with it. A copy, like
    # AuditEvent.school_id: no foreign key (SQLite cannot add one without a rebuild).
    school_id: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(8))  # mentor | project
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentor_profiles.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))
    score: Mapped[float] = mapped_column(default=0.0)
    status: Mapped[MatchStatus] = mapped_column(
        StrEnumType(MatchStatus), default=MatchStatus.ACTIVE, index=True
    )
    pause_reason: Mapped[str] = mapped_column(String(200), default="")
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[dt.datetime | None]
    end_reason: Mapped[str] = mapped_column(String(500), default="")
    # The agreement made at the start: how often the pair meets and its first meeting.
    meets_every: Mapped[str | None] = mapped_column(String(16))  # weekly|fortnightly|monthly
    first_meeting_on: Mapped[dt.date | None]
    agreed_at: Mapped[dt.datetime | None]
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Closure: a code of ``portal.relationships.closure.REASONS``, a note, what comes next.
    closure_reason: Mapped[str] = mapped_column(String(16), default="")
    closing_note: Mapped[str] = mapped_column(String(1000), default="")
    continues_next_year: Mapped[bool] = mapped_column(default=False)
    # An ended pair is not proposed again unless the counselor said it may be.
    may_repropose: Mapped[bool] = mapped_column(default=False)
    # Kept on write so the relationships page filters with indexed comparisons.
    last_meeting_on: Mapped[dt.date | None]
    # The first confirmed meeting's date (celebrations' "first meeting"), kept by
    # portal.figures on every commit that changes the match's meetings.
    first_met_on: Mapped[dt.date | None] = mapped_column(index=True)
    last_support_on: Mapped[dt.date | None]
    support_due_on: Mapped[dt.date | None]
    # "Good fit?" answers after the first meeting: good | deciding | not_good.
    student_fit: Mapped[str | None] = mapped_column(String(10))
    mentor_fit: Mapped[str | None] = mapped_column(String(10))

    programme: Mapped[Programme] = relationship()
    student: Mapped[StudentProfile] = relationship()
    mentor: Mapped[MentorProfile | None] = relationship()
    project: Mapped[Project | None] = relationship()
    goals: Mapped[list[Goal]] = relationship(order_by="Goal.id", back_populates="match")

    @property
    def partner_name(self) -> str:
        """The mentor's full name or the project's title."""
        if self.mentor is not None:
            return f"{self.mentor.first_name} {self.mentor.last_name}".strip()
        return self.project.title if self.project is not None else ""

    @property
    def not_a_good_fit(self) -> bool:
        """Either side answered "not a good fit": the counselor should look."""
        return "not_good" in (self.student_fit, self.mentor_fit)


class Goal(Base):
    """One of a match's one to three agreed goals, and how far the pair has come."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"), index=True)
    text: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    achieved_on: Mapped[dt.date | None] = mapped_column(index=True)  # celebrations: recent ones
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    match: Mapped[Match] = relationship(back_populates="goals")


class PairRule(Base):
    """A counselor's pin (always pair) or forbid (never pair) for later runs."""

    __tablename__ = "pair_rules"
    __table_args__ = (CheckConstraint(ONE_PARTNER, name="one_partner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    kind: Mapped[PairRuleKind] = mapped_column(StrEnumType(PairRuleKind))
    student_id: Mapped[int] = mapped_column(ForeignKey("student_profiles.id"))
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentor_profiles.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @classmethod
    def for_pair(
        cls,
        pair: Proposal | Match,
        programme_id: int,
        kind: PairRuleKind,
        reason: str,
        created_by_id: int | None,
    ) -> PairRule:
        """A pin or forbid for the student and partner of ``pair`` (a proposal or a match)."""
        return cls(
            programme_id=programme_id,
            kind=kind,
            student_id=pair.student_id,
            mentor_id=pair.mentor_id,
            project_id=pair.project_id,
            reason=reason[:500],
            created_by_id=created_by_id,
        )


class CheckIn(Base):
    """A meeting logged by a mentor, or short feedback left by a student."""

    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[CheckInKind] = mapped_column(StrEnumType(CheckInKind))
    met_on: Mapped[dt.date | None]
    minutes: Mapped[int | None]
    mode: Mapped[str] = mapped_column(String(16), default="")  # in_person | online
    note: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The student's "yes, we met": only confirmed meetings count in reports.
    confirmed_at: Mapped[dt.datetime | None]

    match: Mapped[Match] = relationship()


class MentorTraining(Base):
    """A training course a mentor completed, recorded by a counselor."""

    __tablename__ = "mentor_trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course: Mapped[str] = mapped_column(String(160))
    completed_on: Mapped[dt.date]
    hours: Mapped[float]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
