"""The outcome report: one function computes the figures; the page, JSON and CSV render them.

For a programme, or for every live programme of a school. The figures come from a fixed
number of aggregate queries (see :mod:`portal.reports.queries`), never from loaded rows.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func

from portal.eligibility import eligible_students_query
from portal.extensions import db
from portal.models import Match, StudentProfile
from portal.programmes import wording
from portal.relationships import closure
from portal.reports import queries

TARGET_MONTHS = (6, 12)
DAYS_PER_MONTH = 30.4375


@dataclass
class Outcomes:
    """Every figure of the report (plain values: it renders as a page, JSON or CSV)."""

    title: str
    eligible: int = 0
    matched: int = 0
    unmatched: int = 0
    unmatched_by_reason: dict[str, int] = field(default_factory=dict)
    matches: int = 0
    median_days: float | None = None
    reaching: dict[str, float] = field(default_factory=dict)  # "6 months" -> share 0..1
    meetings_by_month: dict[str, int] = field(default_factory=dict)  # "2026-03" -> count
    goals_set: int = 0
    goals_achieved: int = 0
    surveys_answered: int = 0
    satisfaction_mean: float | None = None
    satisfaction: dict[str, int] = field(default_factory=dict)  # "1".."5" -> answers
    closures_by_reason: dict[str, int] = field(default_factory=dict)
    mentors: int = 0
    organisations: int = 0
    hours_given: float = 0.0


def compute(title: str, school_id: int, programme_id: int | None, now: dt.datetime) -> Outcomes:
    """The report's figures for one programme, or (``programme_id`` None) the whole school."""
    programmes = queries.programme_ids(programme_id, school_id)
    out = Outcomes(title)
    out.eligible, out.unmatched = _coverage(school_id, programmes)
    out.matched = queries.matched_students(programmes)
    out.unmatched_by_reason = _reasons(queries.latest_unmatched(programmes))
    _lengths(out, queries.length_counts(programmes, now))
    days = queries.confirmed_by_day(programmes)
    for day, count, _ in days:
        month = f"{day.year:04d}-{day.month:02d}"
        out.meetings_by_month[month] = out.meetings_by_month.get(month, 0) + count
    out.hours_given = round(sum(minutes for *_, minutes in days) / 60, 1)
    out.goals_set, out.goals_achieved = queries.goal_counts(programmes)
    out.mentors, out.organisations = queries.partner_counts(programmes)
    _satisfaction(out, queries.satisfaction_counts(programmes))
    out.closures_by_reason = {
        closure.REASONS.get(code, "No reason recorded"): n
        for code, n in queries.closure_counts(programmes)
    }
    return out


def _satisfaction(out: Outcomes, counts: list[tuple[int, int]]) -> None:
    """How many answered, the mean score and how many gave each score (1 to 5)."""
    out.surveys_answered = sum(n for _, n in counts)
    out.satisfaction = {str(score): 0 for score in range(1, 6)}
    out.satisfaction.update({str(score): n for score, n in counts})
    if out.surveys_answered:
        total = sum(score * n for score, n in counts)
        out.satisfaction_mean = round(total / out.surveys_answered, 2)


def _coverage(school_id: int, programmes: Any) -> tuple[int, int]:
    """(eligible students of the school, eligible ones with no match in the programmes)."""
    eligible = eligible_students_query(school_id).with_only_columns(StudentProfile.id)
    matched = db.select(Match.student_id).where(Match.programme_id.in_(programmes))
    total = db.select(func.count()).select_from(eligible.subquery())
    without = eligible.where(StudentProfile.id.not_in(matched)).subquery()
    row = db.session.execute(
        db.select(
            total.scalar_subquery(), db.select(func.count()).select_from(without).scalar_subquery()
        )
    ).one()
    return int(row[0]), int(row[1])


def _reasons(runs: list[dict[str, Any]]) -> dict[str, int]:
    """How many students each reason left unmatched, worded (most frequent first)."""
    counted: Counter[str] = Counter()
    for unmatched in runs:
        for kind, entries in unmatched.items():
            for entry in entries:
                reason = wording.unmatched_reason({"code": entry.get("code")}, "the student", kind)
                counted[reason[0].upper() + reason[1:]] += 1
    return dict(counted.most_common())


def _lengths(out: Outcomes, counts: list[tuple[int, int]]) -> None:
    """Median days together and the share of matches reaching each target length."""
    total = sum(n for _, n in counts)
    out.matches = total
    if not total:
        return
    out.median_days = _median(counts, total)
    for months in TARGET_MONTHS:
        target = round(months * DAYS_PER_MONTH)
        reached = sum(n for days, n in counts if days >= target)
        out.reaching[f"{months} months"] = round(reached / total, 3)


def _median(counts: list[tuple[int, int]], total: int) -> float:
    """The median of a sorted (value, count) list."""
    middle = [(total - 1) // 2, total // 2]
    found: list[int] = []
    seen = 0
    for days, n in counts:
        found += [days for i in middle if seen <= i < seen + n]
        seen += n
    return sum(found) / 2


def as_json(out: Outcomes) -> dict[str, Any]:
    """The figures as a JSON-ready dictionary."""
    return dataclasses.asdict(out)


def as_csv(out: Outcomes) -> str:
    """The figures as CSV: one ``section,item,value`` line per figure."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "item", "value"])
    for name, value in as_json(out).items():
        if isinstance(value, dict):
            writer.writerows([name, item, v] for item, v in value.items())
        else:
            writer.writerow([name, "", "" if value is None else value])
    return buffer.getvalue()
