"""Read-only queries of the counselor area; every one is scoped to the caller's schools.

``school_ids`` of ``None`` means every school (administrators). Each page costs a fixed
number of queries, whatever the amount of data.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import Counter
from dataclasses import dataclass
from functools import reduce
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import (
    ColumnElement,
    Exists,
    ScalarSelect,
    Select,
    false,
    func,
    or_,
    true,
    union_all,
)
from sqlalchemy.orm import joinedload, selectinload

from portal import figures
from portal.counselor.services import Partner
from portal.extensions import db
from portal.models import (
    BackgroundCheck,
    Consent,
    ConsentStatus,
    MentorProfile,
    MentorTraining,
    Organisation,
    StudentProfile,
    User,
    Verification,
)
from portal.paging import paginate
from portal.safeguarding import checks

PARTNER_MODELS: dict[str, type[MentorProfile] | type[Organisation]] = {
    "mentor": MentorProfile,
    "organisation": Organisation,
}


@dataclass(frozen=True)
class PartnerRow:
    """One line of the partners list."""

    kind: str
    partner: Partner
    name: str
    check_expires: dt.date | None


@dataclass(frozen=True)
class Expiry:
    """How soon a partner's best check expires, worded for a page."""

    text: str
    level: str  # ok | warn | bad


def _in_scope(column: Any, school_ids: set[int] | None) -> ColumnElement[bool]:
    if school_ids is None:
        return true()
    return column.in_(school_ids) if school_ids else false()


def checks_of(partner: Partner) -> list[BackgroundCheck]:
    """Every check on record for the partner, newest first, with who verified it."""
    return list(
        db.session.scalars(
            db.select(BackgroundCheck)
            .where(BackgroundCheck.user_id == partner.user_id)
            .options(selectinload(BackgroundCheck.verified_by))
            .order_by(BackgroundCheck.checked_on.desc(), BackgroundCheck.id.desc())
        )
    )


def trainings_of(partner: Partner) -> list[MentorTraining]:
    """A mentor's recorded trainings, newest first (none for an organisation)."""
    if not isinstance(partner, MentorProfile):
        return []
    return list(
        db.session.scalars(
            db.select(MentorTraining)
            .where(MentorTraining.user_id == partner.user_id)
            .order_by(MentorTraining.completed_on.desc(), MentorTraining.id.desc())
        )
    )


def best_expiry(user_ids: list[int]) -> dict[int, dt.date | None]:
    """For each user, the latest expiry among their passed checks (absent: no check)."""
    rows = db.session.execute(
        db.select(BackgroundCheck.user_id, func.max(BackgroundCheck.expires_on))
        .where(BackgroundCheck.user_id.in_(user_ids), BackgroundCheck.passed.is_(True))
        .group_by(BackgroundCheck.user_id)
    ).all()
    return {user_id: expires for user_id, expires in rows}  # noqa: C416 - typed rows


def describe_expiry(expires: dt.date | None, today: dt.date) -> Expiry:
    """``expires in 12 days`` (a warning within 30 days), ``expired …``, or no check."""
    if expires is None:
        return Expiry("no passed check on record", "bad")
    days = (expires - today).days
    if days < 0:
        return Expiry(f"expired {-days} day{'s' if days != -1 else ''} ago", "bad")
    if days == 0:
        return Expiry("expires today", "warn")
    plural = "s" if days != 1 else ""
    soon = expires <= checks.warning_horizon(today)
    return Expiry(f"expires in {days} day{plural}", "warn" if soon else "ok")


def partners_page(
    school_ids: set[int] | None, status: Verification, page: int
) -> tuple[Pagination, list[PartnerRow]]:
    """One page of the mentors and organisations of ``school_ids`` in ``status``; the total
    from the kept figures (:mod:`portal.figures`), not by counting the partner tables."""
    query = partners_query(school_ids, status)
    pagination = paginate(query, page, count=False)
    kept = figures.of(school_ids)
    pagination.total = sum(kept[f"partners:{kind}:{status}"] for kind in PARTNER_MODELS)
    return pagination, partner_rows([user.id for user in pagination.items])


def partners_query(school_ids: set[int] | None, status: Verification) -> Select[Any]:
    """The partners list (page and export): accounts of ``school_ids``' partners in ``status``."""
    partner_users = union_all(
        *(
            db.select(model.user_id).where(
                _in_scope(model.school_id, school_ids), model.verification == status
            )
            for model in PARTNER_MODELS.values()
        )
    )
    query: Select[Any] = db.select(User).where(User.id.in_(partner_users))
    return query.order_by(User.created_at, User.id)


def partner_rows(user_ids: list[int]) -> list[PartnerRow]:
    """The partners list's lines for these accounts, in their order, loaded in bulk."""
    by_user: dict[int, tuple[str, Partner]] = {}
    for kind, model in PARTNER_MODELS.items():
        found = db.session.scalars(
            db.select(model).where(model.user_id.in_(user_ids)).options(joinedload(model.school))
        )
        by_user.update({partner.user_id: (kind, partner) for partner in found})
    expiries = best_expiry(user_ids)
    rows = []
    for user_id in user_ids:  # keep the page's order
        kind, partner = by_user[user_id]
        rows.append(PartnerRow(kind, partner, partner.display_name, expiries.get(user_id)))
    return rows


def dashboard_counts(
    school_ids: set[int] | None, today: dt.date, kept: Counter[str]
) -> dict[str, int]:
    """The figures on the dashboard: pending partners, awaiting consent, expiring checks.

    Pending and awaiting are kept per school (``kept``: :func:`portal.figures.of`); expiring
    checks depend on today, so they are counted, from an index of each partner table.
    """
    horizon = checks.warning_horizon(today)
    partners = PARTNER_MODELS.values()
    expiring = [
        _count(m, school_ids, m.verification == Verification.VERIFIED, _no_check_beyond(m, horizon))
        for m in partners
    ]
    return {
        "pending": figures.total(kept, "partners:mentor:pending")
        + figures.total(kept, "partners:organisation:pending"),
        "awaiting": figures.total(kept, f"students:{ConsentStatus.AWAITING}:"),
        "expiring": int(db.session.scalar(db.select(reduce(operator.add, expiring))) or 0),
    }


def _count(
    model: type[MentorProfile] | type[Organisation],
    school_ids: set[int] | None,
    *where: ColumnElement[bool],
) -> ScalarSelect[int]:
    # count(*), not count(id): the index on (school_id, ...) can answer without the table.
    query: Select[int] = db.select(func.count()).select_from(model)
    return query.where(_in_scope(model.school_id, school_ids), *where).scalar_subquery()


def _no_check_beyond(
    model: type[MentorProfile] | type[Organisation], horizon: dt.date
) -> ColumnElement[bool]:
    """No passed check of the partner stays valid beyond ``horizon`` (its kept best expiry)."""
    best = model.best_check_expires_on
    return or_(best.is_(None), best <= horizon)


def students_page(school_ids: set[int] | None, filters: dict[str, Any], page: int) -> Pagination:
    """One page of the students of ``school_ids``, filtered by grade, consent and name."""
    query = students_query(school_ids, filters)
    total = _kept_student_total(school_ids, filters)
    pagination = paginate(query, page, count=total is None)
    if total is not None:
        pagination.total = total
    return pagination


def _kept_student_total(school_ids: set[int] | None, filters: dict[str, Any]) -> int | None:
    """The list's total from the kept figures when only consent filters it (else None):
    the school's students in that state, less those who never confirmed their email."""
    if filters.get("grade") or filters.get("q"):
        return None
    consent = filters.get("consent")
    kept = figures.total(figures.of(school_ids), f"students:{consent}:" if consent else "students:")
    # From the few unconfirmed accounts (their index) to their profiles, never the reverse.
    accounts = db.select(User.id).where(User.active.is_(False), User.last_login_at.is_(None))
    unconfirmed = (
        db.select(func.count())
        .select_from(StudentProfile)
        .where(StudentProfile.user_id.in_(accounts))
        .where(_in_scope(StudentProfile.school_id, school_ids), StudentProfile.erased_at.is_(None))
    )
    if consent:
        unconfirmed = unconfirmed.where(StudentProfile.consent_status == consent)
    return kept - int(db.session.scalar(unconfirmed) or 0)


def students_query(school_ids: set[int] | None, filters: dict[str, Any]) -> Select[Any]:
    """The students list (page and export): ``school_ids``' students, filtered, by name."""
    query: Select[Any] = (
        db.select(StudentProfile)
        .where(_in_scope(StudentProfile.school_id, school_ids), StudentProfile.erased_at.is_(None))
        .where(~_awaiting_confirmation(StudentProfile.user_id))
        .options(joinedload(StudentProfile.school), joinedload(StudentProfile.user))
        .order_by(StudentProfile.last_name, StudentProfile.first_name, StudentProfile.id)
    )
    if filters.get("grade"):
        query = query.where(StudentProfile.grade == filters["grade"])
    if filters.get("consent"):
        query = query.where(StudentProfile.consent_status == filters["consent"])
    if filters.get("q"):
        like = f"%{_escape_like(filters['q'].lower())}%"
        full_name = func.lower(StudentProfile.first_name + " " + StudentProfile.last_name)
        query = query.where(full_name.like(like, escape="\\"))
    return query


def _awaiting_confirmation(user_id: Any) -> Exists:
    """A student who signed up but never confirmed their email (see signup.services)."""
    query: Select[int] = db.select(User.id)
    return query.where(
        User.id == user_id, User.active.is_(False), User.last_login_at.is_(None)
    ).exists()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def consents_of(student: StudentProfile) -> list[Consent]:
    """The guardian consents recorded for the student, newest first."""
    return list(
        db.session.scalars(
            db.select(Consent)
            .where(Consent.student_id == student.id)
            .order_by(Consent.recorded_at.desc())
        )
    )
