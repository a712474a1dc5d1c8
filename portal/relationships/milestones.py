"""Milestones of a relationship (Recognition): a pure function of its dates and goals."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

MONTHS = (3, 6, 12)


@dataclass(frozen=True)
class Milestone:
    """Something to celebrate: what (``kind``), in words, and the day it was reached."""

    kind: str  # first_meeting | months_3 | months_6 | months_12 | goal
    label: str
    on: dt.date


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def milestones(
    started_on: dt.date,
    first_meeting_on: dt.date | None,
    achieved_goals: Iterable[tuple[str, dt.date | None]],
    today: dt.date,
) -> list[Milestone]:
    """Every milestone reached by ``today``, oldest first.

    >>> [m.kind for m in milestones(dt.date(2026, 1, 31), None, [], dt.date(2026, 5, 1))]
    ['months_3']
    """
    found = []
    if first_meeting_on is not None:
        found.append(Milestone("first_meeting", "First meeting", first_meeting_on))
    for months in MONTHS:
        label = "One year together" if months == 12 else f"{months} months together"
        found.append(Milestone(f"months_{months}", label, add_months(started_on, months)))
    for text, achieved_on in achieved_goals:
        if achieved_on is not None:
            found.append(Milestone("goal", f"Goal achieved: {text}", achieved_on))
    return sorted((m for m in found if m.on <= today), key=lambda m: (m.on, m.kind))
