"""Outcome reports as of a recent time: each report's figures kept, recomputed when old (#16).

Computing a report aggregates every match, meeting, goal and survey of its programmes. The
page shows the stored figures (:class:`~portal.models.OutcomeSummary`) with their time while
they are younger than ``OUTCOME_REPORT_MAX_AGE`` seconds; a missing or older report is computed,
stored and shown. The periodic job ``refresh_outcome_summaries`` recomputes the stored reports
past half that age, so a counselor seldom waits for one. ``OUTCOME_REPORT_MAX_AGE`` 0 computes
the report on every request and stores nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from flask import current_app
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import OutcomeSummary
from portal.reports import outcomes


def key_of(school_id: int, programme_id: int | None) -> str:
    """The summary's key: ``programme:<id>``, or ``school:<id>`` for a whole school."""
    return f"programme:{programme_id}" if programme_id is not None else f"school:{school_id}"


def max_age() -> dt.timedelta:
    """How old shown figures may be (``OUTCOME_REPORT_MAX_AGE`` seconds)."""
    return dt.timedelta(seconds=int(current_app.config["OUTCOME_REPORT_MAX_AGE"]))


def report(
    title: str, school_id: int, programme_id: int | None, now: dt.datetime
) -> tuple[outcomes.Outcomes, dt.datetime]:
    """The report's figures and the time they are as of: kept ones if young enough."""
    if max_age() <= dt.timedelta(0):
        return outcomes.compute(title, school_id, programme_id, now), now
    kept = db.session.get(OutcomeSummary, key_of(school_id, programme_id))
    if kept is not None and kept.computed_at > now - max_age():
        return outcomes.Outcomes(title, **kept.figures), kept.computed_at
    return refresh_summary(title, school_id, programme_id, now), now


def refresh_summary(
    title: str, school_id: int, programme_id: int | None, now: dt.datetime
) -> outcomes.Outcomes:
    """Compute the report and keep its figures as of ``now`` (commits)."""
    figures = outcomes.compute(title, school_id, programme_id, now)
    _store(key_of(school_id, programme_id), school_id, _plain(figures), now)
    return figures


def refresh_old_summaries(now: dt.datetime) -> int:
    """Recompute every kept report past half its age (the periodic job); how many."""
    old = db.session.scalars(
        db.select(OutcomeSummary).where(OutcomeSummary.computed_at <= now - max_age() / 2)
    ).all()
    reports = [(s.school_id, _programme_of(s.key)) for s in old]
    for school_id, programme_id in reports:
        refresh_summary("", school_id, programme_id, now)
    return len(reports)


def _programme_of(key: str) -> int | None:
    kind, _, number = key.partition(":")
    return int(number) if kind == "programme" else None


def _plain(figures: outcomes.Outcomes) -> dict[str, Any]:
    """The figures without the title (a renamed programme shows its new name)."""
    plain = dataclasses.asdict(figures)
    del plain["title"]
    return plain


def _store(key: str, school_id: int, figures: dict[str, Any], now: dt.datetime) -> None:
    kept = db.session.get(OutcomeSummary, key)
    if kept is None:
        db.session.add(
            OutcomeSummary(key=key, school_id=school_id, figures=figures, computed_at=now)
        )
    else:
        kept.figures, kept.computed_at = figures, now
    try:
        db.session.commit()
    except IntegrityError:  # another request stored the same report first: theirs is as new
        db.session.rollback()
