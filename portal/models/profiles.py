"""Profiles of students and partners, projects, background checks and consents."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.accounts import School, User
from portal.models.base import Base, StrEnumType, Timestamped
from portal.models.enums import CheckKind, ConsentStatus, Modality, Verification


class MatchableMixin:
    """Fields the matcher compares on both sides (stored as lists of vocabulary slugs)."""

    availability: Mapped[list[str]] = mapped_column(default=list)
    modality: Mapped[Modality] = mapped_column(StrEnumType(Modality), default=Modality.EITHER)
    languages: Mapped[list[str]] = mapped_column(default=list)
    area: Mapped[str] = mapped_column(String(64), default="")


class StudentProfile(MatchableMixin, Timestamped, Base):
    """A student. Minors need guardian consent before any proposal."""

    __tablename__ = "student_profiles"
    # school_id leads both indexes, so they also serve every lookup by school.
    __table_args__ = (
        # The counselor's paged list: a school's students in name order, erased ones left out.
        Index(
            "ix_student_profiles_school_id_name",
            "school_id",
            "last_name",
            "first_name",
            "id",
            sqlite_where=text("erased_at IS NULL"),
            postgresql_where=text("erased_at IS NULL"),
        ),
        # Counts and lists by consent status (awaiting consent on the dashboard).
        Index("ix_student_profiles_school_id_consent_status", "school_id", "consent_status", "id"),
        # Imports find a student by number: one number per school (a unique index, so a
        # migration adds it without rebuilding the table on SQLite).
        Index(
            "uq_student_profiles_school_id_student_number",
            "school_id",
            "student_number",
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    grade: Mapped[int]
    # Minor status follows the date of birth (sign-up requires it; rows from before it was
    # asked keep their flag until a counselor enters the date).
    date_of_birth: Mapped[dt.date | None]
    is_minor: Mapped[bool] = mapped_column(default=True)
    phone: Mapped[str] = mapped_column(String(32), default="")
    about: Mapped[str] = mapped_column(Text, default="")
    interests: Mapped[list[str]] = mapped_column(default=list)
    goals: Mapped[list[str]] = mapped_column(default=list)
    guardian_name: Mapped[str] = mapped_column(String(120), default="")
    guardian_email: Mapped[str] = mapped_column(String(254), default="")
    # The language of every email to the guardian ("en", "es"), asked at sign-up.
    guardian_language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    # The school's own number for the student (from its student system), unique per school.
    student_number: Mapped[str | None] = mapped_column(String(32))
    consent_status: Mapped[ConsentStatus] = mapped_column(
        StrEnumType(ConsentStatus), default=ConsentStatus.AWAITING
    )
    profile_complete: Mapped[bool] = mapped_column(default=False)
    erased_at: Mapped[dt.datetime | None]

    user: Mapped[User | None] = relationship()
    school: Mapped[School] = relationship()

    @property
    def can_be_matched(self) -> bool:
        """Consent recorded (or not needed), profile complete, not erased."""
        return (
            self.erased_at is None
            and self.profile_complete
            and self.consent_status in (ConsentStatus.GIVEN, ConsentStatus.NOT_NEEDED)
        )


def age_on(born: dt.date, day: dt.date) -> int:
    """Whole years from ``born`` to ``day`` (a birthday on 29 February counts on 1 March)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


ADULT_AGE = 18


def minor_on(born: dt.date, day: dt.date) -> bool:
    """Under 18 on ``day``."""
    return age_on(born, day) < ADULT_AGE


NO_EXPIRY = dt.date.max  # best_check_expires_on of a partner whose passed check never expires


class PartnerMixin:
    """Verification state shared by mentors and organisations."""

    verification: Mapped[Verification] = mapped_column(
        StrEnumType(Verification), default=Verification.PENDING
    )
    verified_at: Mapped[dt.datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decline_reason: Mapped[str] = mapped_column(String(500), default="")
    # The latest expiry among the account's passed checks (NO_EXPIRY for a check that never
    # expires; None: no passed check). Kept by portal.figures on every commit that changes
    # a check, so pages compare a column through an index instead of grouping the checks.
    best_check_expires_on: Mapped[dt.date | None]


class MentorProfile(PartnerMixin, MatchableMixin, Timestamped, Base):
    """A local professional who mentors students of one school."""

    __tablename__ = "mentor_profiles"
    # Covers the partner counts and lists by school and state (index-only, no table rows);
    # school_id leads it, so it also serves every lookup by school. Same for organisations.
    __table_args__ = (
        Index("ix_mentor_profiles_school_id_verification", "school_id", "verification", "user_id"),
        # Checks expiring soon (dashboard count by state, safeguarding list by date).
        Index(
            "ix_mentor_profiles_school_id_verification_expiry",
            "school_id",
            "verification",
            "best_check_expires_on",
        ),
        Index("ix_mentor_profiles_school_id_expiry", "school_id", "best_check_expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str] = mapped_column(String(32), default="")
    job_title: Mapped[str] = mapped_column(String(120), default="")
    employer: Mapped[str] = mapped_column(String(120), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    expertise: Mapped[list[str]] = mapped_column(default=list)
    interests: Mapped[list[str]] = mapped_column(default=list)
    capacity: Mapped[int] = mapped_column(default=1)
    grade_min: Mapped[int] = mapped_column(default=9)
    grade_max: Mapped[int] = mapped_column(default=12)
    background_check_consent: Mapped[bool] = mapped_column(default=False)
    profile_complete: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    school: Mapped[School] = relationship()


class Organisation(PartnerMixin, Timestamped, Base):
    """A nonprofit or business that posts community projects."""

    __tablename__ = "organisations"
    __table_args__ = (
        Index("ix_organisations_school_id_verification", "school_id", "verification", "user_id"),
        Index(
            "ix_organisations_school_id_verification_expiry",
            "school_id",
            "verification",
            "best_check_expires_on",
        ),
        Index("ix_organisations_school_id_expiry", "school_id", "best_check_expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(16), default="nonprofit")  # nonprofit | business
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    area: Mapped[str] = mapped_column(String(64), default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    school: Mapped[School] = relationship()
    projects: Mapped[list[Project]] = relationship(back_populates="organisation")


class Project(MatchableMixin, Timestamped, Base):
    """A community project that takes up to ``capacity`` students."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[list[str]] = mapped_column(default=list)
    capacity: Mapped[int] = mapped_column(default=1)
    grade_min: Mapped[int] = mapped_column(default=9)
    grade_max: Mapped[int] = mapped_column(default=12)
    supervising_adults: Mapped[str] = mapped_column(Text, default="")
    supervisor_checked: Mapped[bool] = mapped_column(default=False)
    is_open: Mapped[bool] = mapped_column(default=True)

    organisation: Mapped[Organisation] = relationship(back_populates="projects")


class BackgroundCheck(Timestamped, Base):
    """A background check of a partner account, recorded by a counselor."""

    __tablename__ = "background_checks"
    # A partner's best passed expiry is read from the index alone (dashboard, partner lists);
    # user_id leads it, so it also serves every lookup by user.
    __table_args__ = (
        Index("ix_background_checks_user_id_passed", "user_id", "passed", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[CheckKind] = mapped_column(StrEnumType(CheckKind))
    reference: Mapped[str] = mapped_column(String(80), default="")
    checked_on: Mapped[dt.date]
    expires_on: Mapped[dt.date | None]
    passed: Mapped[bool] = mapped_column(default=True)
    verified_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    verified_by: Mapped[User] = relationship(foreign_keys=[verified_by_id])

    def valid_on(self, day: dt.date) -> bool:
        """Passed and not expired on ``day``."""
        return self.passed and (self.expires_on is None or self.expires_on >= day)


class Consent(Base):
    """A guardian's consent or refusal for a minor, by link or on paper."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student_profiles.id"), index=True)
    status: Mapped[ConsentStatus] = mapped_column(StrEnumType(ConsentStatus))
    method: Mapped[str] = mapped_column(String(16))  # link | paper
    guardian_name: Mapped[str] = mapped_column(String(120), default="")
    recorded_at: Mapped[dt.datetime]
    ip: Mapped[str] = mapped_column(String(64), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
