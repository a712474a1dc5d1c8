"""The safeguarding panel of the counselor dashboard (a fixed number of queries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_login import current_user
from sqlalchemy import func

from portal import audit
from portal.extensions import db
from portal.models import ConcernStatus, ConsentStatus, Role, StudentProfile
from portal.safeguarding import bp
from portal.safeguarding.checks import check_statuses
from portal.safeguarding.concerns import REASON_LABELS, concerns_for

SHOWN = 10


def panel_for(school_ids: set[int] | None, today: dt.date) -> dict[str, Any]:
    """Open concerns, expiring checks and students awaiting consent of these schools."""
    concerns = concerns_for(school_ids, ConcernStatus.OPEN)
    awaiting = db.select(StudentProfile).where(
        StudentProfile.consent_status == ConsentStatus.AWAITING,
        StudentProfile.is_minor.is_(True),
        StudentProfile.erased_at.is_(None),
    )
    if school_ids is not None:
        awaiting = awaiting.where(StudentProfile.school_id.in_(school_ids))
    return {
        "concerns": list(db.session.scalars(concerns.limit(SHOWN))),
        "concern_count": _count(concerns),
        "checks": check_statuses(today, school_ids, limit=SHOWN),
        "awaiting": list(
            db.session.scalars(awaiting.order_by(StudentProfile.id.desc()).limit(SHOWN))
        ),
        "awaiting_count": _count(awaiting),
        "reasons": REASON_LABELS,
    }


def _count(query: Any) -> int:
    subquery = query.order_by(None).subquery()
    return int(db.session.scalar(db.select(func.count()).select_from(subquery)) or 0)


@bp.app_template_global("safeguarding_panel")
def safeguarding_panel() -> dict[str, Any]:
    """The panel's data for the logged-in staff member (templates call it)."""
    if not current_user.is_authenticated or not current_user.is_staff:
        return {}
    scope = None if current_user.role == Role.ADMIN else current_user.school_ids
    panel = panel_for(scope, dt.date.today())
    audit.note_students_shown(panel["awaiting"])  # the dashboard view records them
    return panel
