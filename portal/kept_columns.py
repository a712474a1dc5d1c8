"""Columns kept on rows for the counselor pages (issue #16), recomputed from their sources.

Each partner's ``best_check_expires_on`` (from the account's background checks), each match's
``first_met_on`` (its first confirmed meeting) and ``school_id`` (its student's school).
:mod:`portal.figures` calls the ``refresh_*`` functions in the committing transaction for the
rows a flush changed; ``*_drift`` list the rows whose kept value differs (``flask figures
check``). Updates go through the session's connection: an ORM bulk update of partners would
count as a change of their figures.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, case, func, literal, or_, select, update
from sqlalchemy.orm import Session, scoped_session

from portal.extensions import db
from portal.models import (
    NO_EXPIRY,
    BackgroundCheck,
    CheckIn,
    CheckInKind,
    Match,
    MentorProfile,
    Organisation,
    StudentProfile,
)

AnySession = Session | scoped_session[Any]


def best_expiry(user_id: Any) -> Any:
    """The latest expiry among the user's passed checks (``NO_EXPIRY`` if one never expires,
    NULL without a passed check): what ``best_check_expires_on`` holds."""
    query = select(
        case(
            (func.count() > func.count(BackgroundCheck.expires_on), literal(NO_EXPIRY)),
            else_=func.max(BackgroundCheck.expires_on),
        )
    ).where(BackgroundCheck.user_id == user_id, BackgroundCheck.passed.is_(True))
    return query.scalar_subquery()


def expiry_drift() -> list[int]:
    """User ids of partners whose kept best check expiry differs from their checks."""
    drift: list[int] = []
    for model in (MentorProfile, Organisation):
        kept, counted = model.best_check_expires_on, best_expiry(model.user_id)
        differs = or_(kept != counted, kept.is_(None) != counted.is_(None))
        drift += db.session.scalars(select(model.user_id).where(differs))
    return drift


def first_met_drift() -> list[int]:
    """Ids of matches whose kept first confirmed meeting differs from their meetings."""
    kept, counted = Match.first_met_on, first_met(Match.id)
    differs = or_(kept != counted, kept.is_(None) != counted.is_(None))
    return list(db.session.scalars(select(Match.id).where(differs)))


def refresh_expiries(session: AnySession, users: set[int] | None) -> None:
    """Recompute the partners' ``best_check_expires_on`` of these users (None: every one)."""
    for model in (MentorProfile, Organisation):
        table = cast("Table", model.__table__)
        best = best_expiry(table.c.user_id)
        # Only rows whose value changes: rewriting the others would bloat PostgreSQL's heap.
        change = (
            update(table)
            .values(best_check_expires_on=best)
            .where(table.c.best_check_expires_on.is_distinct_from(best))
        )
        if users is not None:
            change = change.where(table.c.user_id.in_(users))
        # On the connection, not session.execute: an ORM bulk update would count as a
        # change of the partners' figures.
        session.connection().execute(change)


def first_met(match_id: Any) -> Any:
    """The date of the match's first confirmed meeting: what ``Match.first_met_on`` holds."""
    query = select(func.min(CheckIn.met_on)).where(
        CheckIn.match_id == match_id,
        CheckIn.kind == CheckInKind.MEETING,
        CheckIn.confirmed_at.is_not(None),
    )
    return query.scalar_subquery()


def refresh_first_met(session: AnySession, matches: set[int] | None) -> None:
    """Recompute ``first_met_on`` of these matches (None: every one), on the connection."""
    table = cast("Table", Match.__table__)
    first = first_met(table.c.id)
    change = (
        update(table).values(first_met_on=first).where(table.c.first_met_on.is_distinct_from(first))
    )
    if matches is not None:
        change = change.where(table.c.id.in_(matches))
    session.connection().execute(change)


def refresh_match_schools(session: AnySession, students: set[int] | None) -> None:
    """Set ``Match.school_id`` to the student's school for these students' matches (None:
    every match without one, after a bulk insert)."""
    table = cast("Table", Match.__table__)
    school = select(StudentProfile.school_id).where(StudentProfile.id == table.c.student_id)
    change = update(table).values(school_id=school.scalar_subquery())
    change = change.where(table.c.school_id.is_distinct_from(school.scalar_subquery()))
    if students is None:
        change = change.where(table.c.school_id.is_(None))
    else:
        change = change.where(table.c.student_id.in_(students))
    session.connection().execute(change)


def match_school_drift() -> list[int]:
    """Ids of matches whose kept school is not their student's school."""
    query = select(Match.id).join(StudentProfile, StudentProfile.id == Match.student_id)
    differs = or_(Match.school_id != StudentProfile.school_id, Match.school_id.is_(None))
    return list(db.session.scalars(query.where(differs)))
