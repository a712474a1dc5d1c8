"""What each person sees of their matches; quiet relationships. Fixed numbers of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, or_
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    CheckIn,
    CheckInKind,
    Match,
    MatchStatus,
    MentorProfile,
    MentorTraining,
    Organisation,
    Programme,
    Project,
    Role,
    StudentProfile,
    User,
)
from portal.relationships.milestones import Milestone, milestones
from portal.signup.queries import mentor_of as mentor_of
from portal.signup.queries import organisation_of as organisation_of
from portal.signup.queries import student_of as student_of

LIVE = (MatchStatus.ACTIVE, MatchStatus.PAUSED)


def _match_query() -> Any:
    return db.select(Match).options(
        selectinload(Match.programme),
        selectinload(Match.goals),
        selectinload(Match.student),
        selectinload(Match.mentor),
        selectinload(Match.project).selectinload(Project.organisation),
    )


def student_matches(student: StudentProfile) -> list[Match]:
    """The student's live matches (mentor first, then project)."""
    query = _match_query().where(Match.student_id == student.id, Match.status.in_(LIVE))
    return list(db.session.scalars(query.order_by(Match.kind, Match.id)))


def mentor_matches(mentor: MentorProfile) -> list[Match]:
    """The mentor's live mentees."""
    query = _match_query().where(Match.mentor_id == mentor.id, Match.status.in_(LIVE))
    return list(db.session.scalars(query.order_by(Match.started_at, Match.id)))


def organisation_rosters(organisation: Organisation) -> list[tuple[Project, list[Match]]]:
    """Each project of the organisation with its live matches."""
    projects = list(
        db.session.scalars(
            db.select(Project)
            .where(Project.organisation_id == organisation.id)
            .order_by(Project.title)
        )
    )
    matches = db.session.scalars(
        _match_query()
        .where(Match.project_id.in_([p.id for p in projects]), Match.status.in_(LIVE))
        .order_by(Match.id)
    )
    roster: dict[int, list[Match]] = {p.id: [] for p in projects}
    for match in matches:
        roster[match.project_id or 0].append(match)
    return [(p, roster[p.id]) for p in projects]


def quiet_matches(actor: User, today: dt.date, limit: int = 10) -> tuple[list[Any], int]:
    """Active matches with no meeting logged in their programme's ``quiet_weeks``.

    Returns up to ``limit`` (match, last meeting date or None) rows and the total count.
    """
    last = (
        db.select(CheckIn.match_id, func.max(CheckIn.met_on).label("last"))
        .where(CheckIn.kind == CheckInKind.MEETING)
        .group_by(CheckIn.match_id)
        .subquery()
    )
    weeks = db.session.scalars(db.select(Programme.quiet_weeks).distinct()).all()
    quiet = []
    for n in weeks:
        cutoff = today - dt.timedelta(weeks=n)
        since = dt.datetime.combine(cutoff, dt.time(), tzinfo=dt.UTC)
        never = and_(last.c.last.is_(None), Match.started_at < since)
        quiet.append(and_(Programme.quiet_weeks == n, or_(last.c.last < cutoff, never)))
    query = (
        db.select(Match, last.c.last)
        .join(Match.programme)
        .outerjoin(last, last.c.match_id == Match.id)
        .where(Match.status == MatchStatus.ACTIVE, or_(False, *quiet))
    )
    if actor.role != Role.ADMIN:
        query = query.where(Programme.school_id.in_(actor.school_ids))
    total = db.session.scalar(db.select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        query.options(
            selectinload(Match.student), selectinload(Match.mentor), selectinload(Match.project)
        )
        .order_by(Match.started_at)
        .limit(limit)
    ).all()
    return [tuple(row) for row in rows], int(total)


def check_ins(match_id: int, limit: int = 50) -> list[CheckIn]:
    """A match's latest meetings and feedback."""
    query = (
        db.select(CheckIn)
        .where(CheckIn.match_id == match_id)
        .order_by(CheckIn.created_at.desc(), CheckIn.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def meetings_by_match(match_ids: list[int]) -> dict[int, list[CheckIn]]:
    """The meetings of each match, latest first, in one query."""
    found: dict[int, list[CheckIn]] = {match_id: [] for match_id in match_ids}
    if not match_ids:
        return found
    rows = db.session.scalars(
        db.select(CheckIn)
        .where(CheckIn.match_id.in_(match_ids), CheckIn.kind == CheckInKind.MEETING)
        .order_by(CheckIn.met_on.desc(), CheckIn.id.desc())
    )
    for check_in in rows:
        found[check_in.match_id].append(check_in)
    return found


def first_confirmed(meetings: list[CheckIn]) -> dt.date | None:
    """The date of the earliest confirmed meeting (only confirmed meetings count)."""
    dates = [m.met_on for m in meetings if m.confirmed_at is not None and m.met_on is not None]
    return min(dates, default=None)


def milestones_of(match: Match, meetings: list[CheckIn], today: dt.date) -> list[Milestone]:
    """The milestones a match has reached (its goals must be loaded)."""
    achieved = [(goal.text, goal.achieved_on) for goal in match.goals]
    return milestones(match.started_at.date(), first_confirmed(meetings), achieved, today)


def training_needed(mentor: MentorProfile, today: dt.date) -> list[str]:
    """Names of the current programmes of the mentor's school that require a training the
    mentor does not have (empty once any training is on record)."""
    trained = db.select(MentorTraining.id).where(MentorTraining.user_id == mentor.user_id)
    query = (
        db.select(Programme.name)
        .where(
            Programme.school_id == mentor.school_id,
            Programme.requires_training.is_(True),
            Programme.ends_on >= today,
            ~trained.exists(),
        )
        .order_by(Programme.name)
    )
    return list(db.session.scalars(query))
