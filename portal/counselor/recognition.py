"""Reads for Recognition: recent milestones of a counselor's matches, a partner's record.

A fixed number of queries whatever the data: candidate matches come from three indexed
conditions (the first confirmed meeting is kept on the match, ``Match.first_met_on``), then
the milestones themselves from the one pure rule in ``portal.relationships.milestones``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, or_, true, union
from sqlalchemy.orm import selectinload

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


def recent_milestones(
    actor: User, today: dt.date, limit: int = 100
) -> list[tuple[Match, Milestone]]:
    """Milestones reached in the last ``RECENT_DAYS`` by live matches of ``actor``'s schools,
    newest first."""
    since = today - dt.timedelta(days=RECENT_DAYS)
    scope = policy.school_scope(actor)
    candidates = _candidates(since, today, scope)
    newest = db.select(candidates.c[0]).order_by(candidates.c[0].desc()).limit(limit)
    # Only the columns the page shows (names), not whole profiles and programmes.
    query = (
        db.select(Match)
        .where(Match.id.in_(newest))
        .options(
            selectinload(Match.goals),
            selectinload(Match.student).load_only(
                StudentProfile.first_name, StudentProfile.last_name
            ),
            selectinload(Match.mentor).load_only(MentorProfile.first_name, MentorProfile.last_name),
            selectinload(Match.project)
            .load_only(Project.title)
            .selectinload(Project.organisation)
            .load_only(Organisation.name),
            selectinload(Match.programme).load_only(Programme.name),
        )
        .order_by(Match.id.desc())
    )
    found = []
    for match in db.session.scalars(query):
        achieved = [(goal.text, goal.achieved_on) for goal in match.goals]
        for milestone in milestones(match.started_at.date(), match.first_met_on, achieved, today):
            if milestone.on >= since:
                found.append((match, milestone))
    return sorted(found, key=lambda pair: (pair[1].on, pair[0].id), reverse=True)


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
