"""What each person sees of their matches; the counselor's relationships. Fixed numbers of
queries, whatever the data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Select, and_, false, func, or_
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.models import (
    CheckIn,
    CheckInKind,
    ExitSurvey,
    Match,
    MatchStatus,
    MentorProfile,
    MentorTraining,
    Organisation,
    Programme,
    Project,
    Role,
    StudentProfile,
    SupportContact,
    User,
)
from portal.paging import paginate
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


def quiet_clause(today: dt.date) -> ColumnElement[bool]:
    """Active matches with no meeting in their programme's ``quiet_weeks`` (needs a join to
    ``Programme``). Reads ``Match.last_meeting_on``: no aggregate over meetings."""
    weeks = db.session.scalars(db.select(Programme.quiet_weeks).distinct()).all()
    quiet = []
    for n in weeks:
        cutoff = today - dt.timedelta(weeks=n)
        since = dt.datetime.combine(cutoff, dt.time(), tzinfo=dt.UTC)
        never = and_(Match.last_meeting_on.is_(None), Match.started_at < since)
        quiet.append(and_(Programme.quiet_weeks == n, or_(Match.last_meeting_on < cutoff, never)))
    return and_(Match.status == MatchStatus.ACTIVE, or_(false(), *quiet))


def quiet_matches(actor: User, today: dt.date, limit: int = 10) -> tuple[list[Any], int]:
    """Active matches with no meeting logged in their programme's ``quiet_weeks``.

    Returns up to ``limit`` (match, last meeting date or None) rows and the total count.
    """
    scoped = [quiet_clause(today)]
    if actor.role != Role.ADMIN:
        scoped.append(Programme.school_id.in_(actor.school_ids))
    # A lean count (no columns): the programmes' index of status and last meeting answers it.
    count = db.select(func.count()).select_from(Match).join(Match.programme).where(*scoped)
    total = db.session.scalar(count) or 0
    query = db.select(Match, Match.last_meeting_on).join(Match.programme).where(*scoped)
    rows = db.session.execute(
        query.options(  # each row's names joined in (not four more loads by id)
            joinedload(Match.student),
            joinedload(Match.mentor),
            joinedload(Match.project).joinedload(Project.organisation),
        )
        .order_by(Match.started_at)
        .limit(limit)
    ).all()
    return [tuple(row) for row in rows], int(total)


def relationships_page(
    school_ids: set[int] | None, filters: dict[str, Any], today: dt.date, page: int
) -> Pagination:
    """One page of the matches of students of ``school_ids`` (None: all), filtered and sorted.

    Filters: ``q`` (student or partner name), ``programme``, ``kind``, ``status``, ``flag``
    (quiet | support_due | not_good_fit), ``sort``. A fixed number of queries.
    """
    query = relationships_query(school_ids, filters, today)
    pagination = paginate(query, page, count=False)
    # A lean count: no columns, and only the joins the filters need.
    clauses = _filter_clauses(filters, today)
    count = _scoped(db.select(func.count()).select_from(Match), school_ids, filters, clauses)
    pagination.total = int(db.session.scalar(count) or 0)
    return pagination


def relationships_query(
    school_ids: set[int] | None, filters: dict[str, Any], today: dt.date
) -> Select[Any]:
    """The relationships list (page and export): matches of ``school_ids``, filtered, sorted."""
    clauses = _filter_clauses(filters, today)
    query: Select[Any] = _scoped(db.select(Match), school_ids, filters, clauses)
    query = query.order_by(*SORTS[filters.get("sort") or "started"], Match.id.desc())
    return query.options(*NAMES_ONLY)


# A listed match's people and programme: only the columns a list shows (names, the
# student's school for the audit), not whole profiles with their JSON columns; joined into
# the page's statement (each by its primary key), not five more loads by id.
NAMES_ONLY = (
    joinedload(Match.student).load_only(
        StudentProfile.first_name, StudentProfile.last_name, StudentProfile.school_id
    ),
    joinedload(Match.mentor).load_only(MentorProfile.first_name, MentorProfile.last_name),
    joinedload(Match.project)
    .load_only(Project.title)
    .joinedload(Project.organisation)
    .load_only(Organisation.name),
    joinedload(Match.programme).load_only(Programme.name),
)


def _scoped(
    query: Any,
    school_ids: set[int] | None,
    filters: dict[str, Any],
    clauses: list[ColumnElement[bool]],
) -> Any:
    """``query`` over matches of students of ``school_ids``, filtered, with the needed joins.

    The school is the one kept on the match (its student's), so the school's indexes on
    ``matches`` answer; the student is joined only to search or sort by name.
    """
    if school_ids is not None:
        query = query.where(Match.school_id.in_(school_ids))
    if filters.get("q") or filters.get("sort") == "student":
        query = query.join(Match.student)
    if filters.get("flag") == "quiet":
        query = query.join(Match.programme)
    if filters.get("q"):
        query = query.outerjoin(Match.mentor).outerjoin(Match.project)
    return query.where(*clauses)


def _filter_clauses(filters: dict[str, Any], today: dt.date) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if filters.get("q"):
        words = str(filters["q"]).lower()
        names = (
            StudentProfile.first_name + " " + StudentProfile.last_name,
            MentorProfile.first_name + " " + MentorProfile.last_name,
            Project.title,
        )
        clauses.append(or_(*(func.lower(n).contains(words, autoescape=True) for n in names)))
    if filters.get("programme"):
        clauses.append(Match.programme_id == filters["programme"])
    if filters.get("kind"):
        clauses.append(Match.kind == filters["kind"])
    if filters.get("status"):
        clauses.append(Match.status == MatchStatus(filters["status"]))
    flag = filters.get("flag")
    if flag == "quiet":
        clauses.append(quiet_clause(today))
    elif flag == "support_due":
        clauses.append(and_(Match.status.in_(LIVE), Match.support_due_on <= today))
    elif flag == "not_good_fit":
        clauses.append(or_(Match.student_fit == "not_good", Match.mentor_fit == "not_good"))
    return clauses


SORTS: dict[str, tuple[Any, ...]] = {
    "started": (Match.started_at.desc(),),
    "student": (StudentProfile.last_name, StudentProfile.first_name),
    "last_meeting": (Match.last_meeting_on.is_(None).desc(), Match.last_meeting_on),
    "support_due": (Match.support_due_on.is_(None), Match.support_due_on),
}


def programmes_of(school_ids: set[int] | None) -> list[Programme]:
    """The programmes of these schools (None: all), for the relationships filter."""
    query = db.select(Programme).where(Programme.purged_at.is_(None))
    if school_ids is not None:
        query = query.where(Programme.school_id.in_(school_ids))
    return list(db.session.scalars(query.order_by(Programme.starts_on.desc(), Programme.id)))


def support_contacts(match_id: int, limit: int = 50) -> list[SupportContact]:
    """A match's support contacts, latest first."""
    query = (
        db.select(SupportContact)
        .where(SupportContact.match_id == match_id)
        .options(selectinload(SupportContact.counselor))
        .order_by(SupportContact.contacted_on.desc(), SupportContact.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def exit_surveys(match_id: int) -> list[ExitSurvey]:
    """A match's exit surveys (student first)."""
    query = db.select(ExitSurvey).where(ExitSurvey.match_id == match_id)
    return list(db.session.scalars(query.order_by(ExitSurvey.respondent.desc())))


def _support_due_clause(school_ids: set[int] | None, today: dt.date) -> ColumnElement[bool]:
    """Live matches of these schools (None: all) whose support contact is due by ``today``."""
    due = and_(Match.status.in_(LIVE), Match.support_due_on <= today)
    return due if school_ids is None else and_(due, Match.school_id.in_(school_ids))


def support_due(school_ids: set[int] | None, today: dt.date, limit: int = 50) -> list[Match]:
    """Live matches of these schools (None: all) whose support contact is due by ``today``.

    For the weekly digest: oldest due first, with the student, partner and programme loaded.
    """
    query = (
        db.select(Match)
        .where(_support_due_clause(school_ids, today))
        .options(
            selectinload(Match.student),
            selectinload(Match.mentor),
            selectinload(Match.project).selectinload(Project.organisation),
            selectinload(Match.programme),
        )
        .order_by(Match.support_due_on, Match.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def count_support_due(school_ids: set[int] | None, today: dt.date) -> int:
    """How many matches :func:`support_due` would list without a limit."""
    query = db.select(func.count()).select_from(Match).where(_support_due_clause(school_ids, today))
    return int(db.session.scalar(query) or 0)


def open_surveys(user_id: int) -> list[ExitSurvey]:
    """The user's unanswered exit surveys, with their matches' people loaded."""
    query = (
        db.select(ExitSurvey)
        .where(ExitSurvey.user_id == user_id, ExitSurvey.answered_at.is_(None))
        .options(
            selectinload(ExitSurvey.match).selectinload(Match.student),
            selectinload(ExitSurvey.match).selectinload(Match.mentor),
            selectinload(ExitSurvey.match)
            .selectinload(Match.project)
            .selectinload(Project.organisation),
        )
        .order_by(ExitSurvey.id)
    )
    return list(db.session.scalars(query))


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
