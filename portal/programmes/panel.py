"""The programmes panel of the counselor dashboard: quiet relationships, programmes, runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_login import current_user

from portal import audit
from portal.extensions import db
from portal.models import MatchRun, Programme
from portal.programmes import bp, runs
from portal.programmes.queries import programmes_for
from portal.relationships.queries import quiet_matches

SHOWN = 10


def panel_for(actor: Any, today: dt.date) -> dict[str, Any]:
    """Quiet relationships, the programmes and their latest runs (a fixed number of queries)."""
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
    }


@bp.app_template_global("programmes_panel")
def programmes_panel() -> dict[str, Any]:
    """The panel's data for the logged-in staff member (the dashboard template calls it)."""
    if not current_user.is_authenticated or not current_user.is_staff:
        return {}
    panel = panel_for(current_user, dt.date.today())
    audit.note_students_shown(match.student for match, _last in panel["quiet"])
    return panel


__all__ = ["Programme", "panel_for", "programmes_panel"]
