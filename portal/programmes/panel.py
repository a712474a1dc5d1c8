"""The programmes panel of the counselor dashboard: quiet relationships, programmes, runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.extensions import db
from portal.models import MatchRun, User
from portal.programmes import runs
from portal.programmes.services import programmes_for
from portal.relationships.queries import quiet_matches

SHOWN = 10


def panel_for(actor: User, today: dt.date) -> dict[str, Any]:
    """Quiet relationships, the programmes and their latest runs (a fixed number of queries).

    The dashboard view passes it to ``programmes/_dashboard_panel.html`` and audits the
    students of ``quiet`` (what is shown is what is audited).
    """
    programmes = programmes_for(actor)[:SHOWN]
    latest = list(
        db.session.scalars(
            # Only runs of the programmes above: their programme is already loaded (no query).
            db.select(MatchRun)
            .where(MatchRun.programme_id.in_([p.id for p in programmes]))
            .order_by(MatchRun.id.desc())
            .limit(SHOWN)
        )
    )
    quiet, quiet_count = quiet_matches(actor, today, limit=SHOWN)
    return {
        "programmes": programmes,
        "runs": latest,
        "quiet": quiet,
        "quiet_count": quiet_count,
        "stale": {run.id for run in latest if runs.is_stale(run)},
        "students": [match.student for match, _last in quiet],
    }
