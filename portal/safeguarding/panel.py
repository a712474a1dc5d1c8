"""The safeguarding panel of the counselor dashboard (a fixed number of queries)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from portal.extensions import db
from portal.models import ConcernStatus, ConsentStatus, StudentProfile
from portal.safeguarding.checks import check_statuses
from portal.safeguarding.concerns import REASON_LABELS, concerns_for

SHOWN = 10


def panel_for(school_ids: set[int] | None, today: dt.date, kept: Counter[str]) -> dict[str, Any]:
    """Open concerns, expiring checks and students awaiting consent of these schools;
    ``kept`` is their :func:`portal.figures.of` (the dashboard reads it once for every panel).

    The dashboard view passes it to ``safeguarding/_dashboard_panel.html`` and audits the
    students of ``students`` (what is shown is what is audited).
    """
    concerns = concerns_for(school_ids, ConcernStatus.OPEN)
    awaiting = db.select(StudentProfile).where(
        StudentProfile.consent_status == ConsentStatus.AWAITING,
        StudentProfile.is_minor.is_(True),
        StudentProfile.erased_at.is_(None),
    )
    if school_ids is not None:
        awaiting = awaiting.where(StudentProfile.school_id.in_(school_ids))
    shown = list(db.session.scalars(awaiting.order_by(StudentProfile.id.desc()).limit(SHOWN)))
    return {
        "concerns": list(db.session.scalars(concerns.limit(SHOWN))),
        "concern_count": kept[f"concerns:{ConcernStatus.OPEN}"],
        "checks": check_statuses(today, school_ids, limit=SHOWN),
        "awaiting": shown,
        "awaiting_count": kept[f"students:{ConsentStatus.AWAITING}:minor"],
        "reasons": REASON_LABELS,
        "students": shown,
    }
