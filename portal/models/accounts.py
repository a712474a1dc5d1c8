"""Schools, user accounts and the tag vocabulary."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, StrEnumType, Timestamped, utcnow
from portal.models.enums import STAFF_ROLES, Role

counselor_schools = Table(
    "counselor_schools",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("school_id", ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True),
)


class School(Timestamped, Base):
    """A school (or a campus of a district); students join it with its join code."""

    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    join_code: Mapped[str] = mapped_column(String(32), unique=True)
    area: Mapped[str] = mapped_column(String(64), default="")

    counselors: Mapped[list[User]] = relationship(
        secondary=counselor_schools, back_populates="schools", viewonly=True
    )


class User(Timestamped, Base):
    """A person who can log in. ``role`` decides what they may do."""

    __tablename__ = "users"
    # Accounts never confirmed (inactive, never logged in) found without a scan: the
    # students list subtracts them from the kept count.
    __table_args__ = (Index("ix_users_active_last_login_at", "active", "last_login_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(StrEnumType(Role))
    display_name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped at logout and password change: every older session cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[dt.datetime | None]
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(default=utcnow)
    # The language of the pages and emails this person sees ("en", "es"; portal.i18n);
    # "" follows the browser (emails then go in English).
    language: Mapped[str] = mapped_column(String(8), default="", server_default="")

    schools: Mapped[list[School]] = relationship(secondary=counselor_schools)

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def school_ids(self) -> set[int]:
        """Schools a counselor is bound to (admins see all; see ``portal.policy``)."""
        return {school.id for school in self.schools}


class Tag(Base):
    """Vocabulary entry: an interest, a field of expertise/goal, or a project skill."""

    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("kind", "slug"),)

    KINDS = ("interest", "field", "skill", "language")

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    slug: Mapped[str] = mapped_column(String(48))
    label: Mapped[str] = mapped_column(String(80))
