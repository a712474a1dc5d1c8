"""Reads for Recognition: recent milestones of a counselor's matches, a partner's record.

A fixed number of queries whatever the data: candidate matches come from three indexed
conditions (the first confirmed meeting is kept on the match, ``Match.first_met_on``), then
the milestones themselves from the one pure rule in ``portal.relationships.milestones``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, true, union

from portal import policy
from portal.counselor.services import Partner
from portal.extensions import db
from portal.models import (
    CheckIn,
    CheckInKind,
    Goal,
    Match,
    MatchStatus,
    MentorProfile,
    Organisation,
    Programme,
    Project,
    StudentProfile,
    User,
)
from portal.relationships.milestones import MONTHS, Milestone, add_months, milestones

RECENT_DAYS = 30


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _candidates(since: dt.date, today: dt.date, scope: set[int] | None) -> Any:
    """Ids of matches of ``scope``'s schools (None: all) that may have reached a milestone
    since ``since``: each condition is read as ranges of an index that starts with the
    match's kept school (a district has thousands of matches the same months old)."""
    windows = [
        Match.started_at.between(
            _at(add_months(since, -m)), _at(add_months(today, -m) + dt.timedelta(days=1))
        )
        for m in MONTHS
    ]
    school = Match.school_id.in_(scope) if scope is not None else true()
    mine = and_(school, Match.status != MatchStatus.ENDED)
    by_age = db.select(Match.id).where(mine, or_(*windows))
    by_goal = db.select(Goal.match_id).join(Match).where(mine, Goal.achieved_on >= since)
    # The first confirmed meeting is kept on the match (portal.figures): an indexed range.
    by_meeting = db.select(Match.id).where(mine, Match.first_met_on >= since)
    return union(by_age, by_goal, by_meeting).subquery()


@dataclass(frozen=True)
class Celebrated:
    """A match as the celebrations page names it (read as columns, not whole objects)."""

    match_id: int
    student_id: int
    student_name: str
    partner_name: str
    programme_name: str


def recent_milestones(
    actor: User, today: dt.date, limit: int = 100
) -> list[tuple[Celebrated, Milestone]]:
    """Milestones reached in the last ``RECENT_DAYS`` by live matches of ``actor``'s schools,
    newest first."""
    since = today - dt.timedelta(days=RECENT_DAYS)
    candidates = _candidates(since, today, policy.school_scope(actor))
    newest = db.select(candidates.c[0]).order_by(candidates.c[0].desc()).limit(limit)
    goals: dict[int, list[tuple[str, dt.date | None]]] = {}
    achieved = db.select(Goal.match_id, Goal.text, Goal.achieved_on).where(
        Goal.match_id.in_(newest), Goal.achieved_on.is_not(None)
    )
    for match_id, text, on in db.session.execute(achieved.order_by(Goal.id)):
        goals.setdefault(match_id, []).append((text, on))
    found = []
    for row in db.session.execute(_named(newest)):
        shown = Celebrated(row.id, row.student_id, row.student, _partner(row), row.programme)
        for milestone in milestones(
            row.started_at.date(), row.first_met_on, goals.get(row.id, []), today
        ):
            if milestone.on >= since:
                found.append((shown, milestone))
    return sorted(found, key=lambda pair: (pair[1].on, pair[0].match_id), reverse=True)


def _named(ids: Any) -> Any:
    """The matches ``ids`` with the names the page shows, one row each."""
    student = (StudentProfile.first_name + " " + StudentProfile.last_name).label("student")
    mentor = (MentorProfile.first_name + " " + MentorProfile.last_name).label("mentor")
    return (
        db.select(Match.id, Match.student_id, Match.started_at, Match.first_met_on, student,
                  mentor, Project.title, Organisation.name.label("organisation"),
                  Programme.name.label("programme"))
        .join(StudentProfile, StudentProfile.id == Match.student_id)
        .join(Programme, Programme.id == Match.programme_id)
        .outerjoin(MentorProfile, MentorProfile.id == Match.mentor_id)
        .outerjoin(Project, Project.id == Match.project_id)
        .outerjoin(Organisation, Organisation.id == Project.organisation_id)
        .where(Match.id.in_(ids))
        .order_by(Match.id.desc())
    )  # fmt: skip


def _partner(row: Any) -> str:
    """The partner's name as everywhere else (``Project.display_name``: with its organisation)."""
    return str(row.mentor) if row.mentor is not None else f"{row.title} ({row.organisation})"


def partner_record(partner: Partner) -> dict[str, Any]:
    """What a certificate of thanks names: students, confirmed meetings and their hours."""
    if isinstance(partner, MentorProfile):
        mine = Match.mentor_id == partner.id
    else:
        projects = db.select(Project.id).where(Project.organisation_id == partner.id)
        mine = Match.project_id.in_(projects)
    students = db.session.scalar(db.select(func.count(func.distinct(Match.student_id))).where(mine))
    meetings, minutes = db.session.execute(
        db.select(func.count(CheckIn.id), func.coalesce(func.sum(CheckIn.minutes), 0))
        .join(Match, CheckIn.match_id == Match.id)
        .where(mine, CheckIn.kind == CheckInKind.MEETING, CheckIn.confirmed_at.is_not(None))
    ).one()
    return {"students": int(students or 0), "meetings": int(meetings), "hours": minutes / 60}
