"""Read-only queries of the reports area: the meetings list and the outcome aggregates.

Every aggregate runs in the database (GROUP BY, COUNT, SUM): a report costs the same
fixed number of queries whatever the number of students, matches and meetings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Select, extract, false, func, literal, true
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    CheckIn,
    CheckInKind,
    ExitSurvey,
    Goal,
    Match,
    MatchRun,
    MatchStatus,
    Programme,
    Project,
    RunStatus,
    SupportContact,
)
from portal.models.base import UTCDateTime

Scope = set[int] | None


def _in_scope(column: Any, school_ids: Scope) -> ColumnElement[bool]:
    if school_ids is None:
        return true()
    return column.in_(school_ids) if school_ids else false()


def meetings_query(school_ids: Scope, filters: dict[str, Any]) -> Select[Any]:
    """Logged meetings of ``school_ids``' programmes, newest first; by programme, confirmed."""
    query: Select[Any] = (
        db.select(CheckIn)
        .join(Match, CheckIn.match_id == Match.id)
        .join(Programme, Match.programme_id == Programme.id)
        .where(CheckIn.kind == CheckInKind.MEETING, _in_scope(Programme.school_id, school_ids))
        .options(*_match_loads(CheckIn.match))
        .order_by(CheckIn.met_on.desc(), CheckIn.id.desc())
    )
    if filters.get("programme_id"):
        query = query.where(Match.programme_id == filters["programme_id"])
    if filters.get("confirmed") == "yes":
        query = query.where(CheckIn.confirmed_at.is_not(None))
    elif filters.get("confirmed") == "no":
        query = query.where(CheckIn.confirmed_at.is_(None))
    return query


def support_contacts_query(school_ids: Scope, filters: dict[str, Any]) -> Select[Any]:
    """Support contacts on matches of ``school_ids``' programmes, newest first."""
    query: Select[Any] = (
        db.select(SupportContact)
        .join(Match, SupportContact.match_id == Match.id)
        .join(Programme, Match.programme_id == Programme.id)
        .where(_in_scope(Programme.school_id, school_ids))
        .options(*_match_loads(SupportContact.match), selectinload(SupportContact.counselor))
        .order_by(SupportContact.contacted_on.desc(), SupportContact.id.desc())
    )
    if filters.get("programme_id"):
        query = query.where(Match.programme_id == filters["programme_id"])
    return query


def survey_answers_query(school_ids: Scope, filters: dict[str, Any]) -> Select[Any]:
    """Answered exit surveys of matches of ``school_ids``' programmes, newest first."""
    query: Select[Any] = (
        db.select(ExitSurvey)
        .join(Match, ExitSurvey.match_id == Match.id)
        .join(Programme, Match.programme_id == Programme.id)
        .where(_in_scope(Programme.school_id, school_ids), ExitSurvey.answered_at.is_not(None))
        .options(selectinload(ExitSurvey.match).selectinload(Match.programme))
        .order_by(ExitSurvey.answered_at.desc(), ExitSurvey.id.desc())
    )
    if filters.get("programme_id"):
        query = query.where(Match.programme_id == filters["programme_id"])
    return query


def _match_loads(relation: Any) -> list[Any]:
    """Load each row's match with its student, partner and programme (in bulk)."""
    return [
        selectinload(relation).selectinload(Match.student),
        selectinload(relation).selectinload(Match.mentor),
        selectinload(relation).selectinload(Match.project).selectinload(Project.organisation),
        selectinload(relation).selectinload(Match.programme),
    ]


# --- outcome aggregates; ``programmes`` is a subquery of the report's programme ids ------


def programme_ids(programme_id: int | None, school_id: int | None) -> Select[Any]:
    """The report's programmes: one, or every live programme of a school."""
    query: Select[Any] = db.select(Programme.id)
    if programme_id is not None:
        return query.where(Programme.id == programme_id)
    return query.where(Programme.school_id == school_id, Programme.purged_at.is_(None))


def matched_students(programmes: Select[Any]) -> int:
    """Students with at least one match in the report's programmes."""
    query = db.select(func.count(func.distinct(Match.student_id))).where(
        Match.programme_id.in_(programmes)
    )
    return int(db.session.scalar(query) or 0)


def latest_unmatched(programmes: Select[Any]) -> list[dict[str, Any]]:
    """The stored unmatched entries of each programme's latest successful run."""
    latest = (
        db.select(func.max(MatchRun.id))
        .where(MatchRun.programme_id.in_(programmes), MatchRun.status == RunStatus.SUCCEEDED)
        .group_by(MatchRun.programme_id)
    )
    stored = db.session.scalars(db.select(MatchRun.unmatched).where(MatchRun.id.in_(latest)))
    return [stored_run for stored_run in stored if stored_run]


def days_together(now: dt.datetime) -> ColumnElement[Any]:
    """Whole days from a match's start to its end (or ``now``), in this database's dialect."""
    end = func.coalesce(Match.ended_at, literal(now, UTCDateTime()))
    if db.engine.dialect.name == "postgresql":
        return func.floor(extract("epoch", end - Match.started_at) / 86400)
    return func.cast(func.julianday(end) - func.julianday(Match.started_at), db.Integer)


def length_counts(programmes: Select[Any], now: dt.datetime) -> list[tuple[int, int]]:
    """(days together, how many matches) for the report's matches, grouped in the database."""
    days = days_together(now).label("days")
    query = (
        db.select(days, func.count())
        .where(Match.programme_id.in_(programmes))
        .group_by(days)
        .order_by(days)
    )
    return [(int(d), int(n)) for d, n in db.session.execute(query)]


def confirmed_by_day(programmes: Select[Any]) -> list[tuple[dt.date, int, int]]:
    """(day, confirmed meetings, minutes) of the report's matches, grouped by day.

    Grouped on the stored date itself (no date function per row: the same SQL on every
    database, and a year is at most 366 groups); the report adds the days up into months.
    """
    query = (
        db.select(CheckIn.met_on, func.count(), func.coalesce(func.sum(CheckIn.minutes), 0))
        .join(Match, CheckIn.match_id == Match.id)
        .where(
            Match.programme_id.in_(programmes),
            CheckIn.kind == CheckInKind.MEETING,
            CheckIn.confirmed_at.is_not(None),
            CheckIn.met_on.is_not(None),
        )
        .group_by(CheckIn.met_on)
        .order_by(CheckIn.met_on)
    )
    return [(day, int(n), int(minutes)) for day, n, minutes in db.session.execute(query)]


def goal_counts(programmes: Select[Any]) -> tuple[int, int]:
    """(goals set, goals achieved) across the report's matches."""
    achieved = func.count(Goal.id).filter(Goal.status == "achieved")
    query = (
        db.select(func.count(Goal.id), achieved)
        .join(Match, Goal.match_id == Match.id)
        .where(Match.programme_id.in_(programmes))
    )
    row = db.session.execute(query).one()
    return int(row[0]), int(row[1])


def partner_counts(programmes: Select[Any]) -> tuple[int, int]:
    """(mentors, organisations) with at least one match in the report's programmes."""
    mentors = func.count(func.distinct(Match.mentor_id))
    organisations = func.count(func.distinct(Project.organisation_id))
    query = (
        db.select(mentors, organisations)
        .select_from(Match)
        .outerjoin(Project, Match.project_id == Project.id)
        .where(Match.programme_id.in_(programmes))
    )
    row = db.session.execute(query).one()
    return int(row[0]), int(row[1])


def satisfaction_counts(programmes: Select[Any]) -> list[tuple[int, int]]:
    """(satisfaction 1–5, how many answered exit surveys gave it)."""
    query = (
        db.select(ExitSurvey.satisfaction, func.count())
        .join(Match, ExitSurvey.match_id == Match.id)
        .where(Match.programme_id.in_(programmes), ExitSurvey.satisfaction.is_not(None))
        .group_by(ExitSurvey.satisfaction)
        .order_by(ExitSurvey.satisfaction)
    )
    return [(int(score), int(n)) for score, n in db.session.execute(query)]


def closure_counts(programmes: Select[Any]) -> list[tuple[str, int]]:
    """(closure reason code, how many ended matches) of the report's programmes."""
    query = (
        db.select(Match.closure_reason, func.count())
        .where(Match.programme_id.in_(programmes), Match.status == MatchStatus.ENDED)
        .group_by(Match.closure_reason)
        .order_by(func.count().desc(), Match.closure_reason)
    )
    return [(str(reason), int(n)) for reason, n in db.session.execute(query)]
