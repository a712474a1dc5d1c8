"""Background-check expiry: warn 30 days ahead, pause live matches once a check expired.

:func:`pause_partner_matches` is also how declining a verified partner pauses their matches.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, literal_column, or_, select, union_all
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    BackgroundCheck,
    Match,
    MentorProfile,
    Organisation,
    Project,
    User,
)
from portal.safeguarding.services import pause_and_audit

WARN_DAYS = 30
EXPIRED_REASON = "background check expired"


@dataclass(frozen=True)
class CheckStatus:
    """A partner whose check expires soon or has expired."""

    user_id: int
    name: str
    role: str
    expires_on: dt.date
    days_left: int

    @property
    def label(self) -> str:
        """What the dashboard says about it."""
        if self.days_left < 0:
            return "expired: match paused"
        return f"check expires in {self.days_left} days"


def _latest_expiry() -> Select[int, dt.date | None]:
    """Each partner's latest expiry among passed checks (a check without expiry never ends).

    Partners holding a check without expiry are left out: ``count(expires_on)`` skips NULLs,
    so it equals ``count(*)`` only when every passed check has an expiry.
    """
    return (
        select(BackgroundCheck.user_id, func.max(BackgroundCheck.expires_on).label("expires_on"))
        .where(BackgroundCheck.passed.is_(True))
        .group_by(BackgroundCheck.user_id)
        .having(func.count(BackgroundCheck.expires_on) == func.count())
    )


def check_statuses(
    today: dt.date, school_ids: set[int] | None = None, limit: int | None = None
) -> list[CheckStatus]:
    """Partners whose latest check expires within 30 days or has expired, soonest first.

    Reads each partner's kept ``best_check_expires_on`` (portal.figures) through its index
    by school, rather than grouping the district's checks.
    """
    horizon = today + dt.timedelta(days=WARN_DAYS)
    parts = []
    for model in (MentorProfile, Organisation):
        expires = model.best_check_expires_on
        part = select(model.user_id, expires.label("expires_on")).where(expires <= horizon)
        if school_ids is not None:
            part = part.where(model.school_id.in_(school_ids))
        parts.append(part)
    order: tuple[Any, ...] = (literal_column("expires_on"), literal_column("user_id"))
    # Limit before fetching the users: only the rows shown are joined.
    soonest = union_all(*parts).order_by(*order).limit(limit).subquery()
    query = (
        select(User.id, User.display_name, User.role, soonest.c.expires_on)
        .join(soonest, soonest.c.user_id == User.id)
        .order_by(soonest.c.expires_on, User.id)
    )
    return [
        CheckStatus(uid, name, str(role), expires, (expires - today).days)
        for uid, name, role, expires in db.session.execute(query)
        if expires is not None
    ]


def pause_expired(today: dt.date) -> list[Match]:
    """Pause every live match of a partner whose check has expired; audit each; commit."""
    latest = _latest_expiry().subquery()
    expired = select(latest.c.user_id).where(latest.c.expires_on < today)
    paused = pause_partner_matches(expired, EXPIRED_REASON, actor=None)
    db.session.commit()
    return paused


def pause_partner_matches(user_ids: Select[int], reason: str, actor: User | None) -> list[Match]:
    """Pause every live match of these partner users (mentors, organisations' projects).

    Audits each pause ("match.paused", with the reason: staff read it); no commit.
    """
    mentors = select(MentorProfile.id).where(MentorProfile.user_id.in_(user_ids))
    projects = (
        select(Project.id)
        .join(Organisation, Organisation.id == Project.organisation_id)
        .where(Organisation.user_id.in_(user_ids))
    )
    query = (
        db.select(Match)
        .options(selectinload(Match.student))
        .where(or_(Match.mentor_id.in_(mentors), Match.project_id.in_(projects)))
    )
    return pause_and_audit(query, reason, actor)
