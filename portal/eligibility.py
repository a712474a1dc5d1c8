"""Who may be matched today: eligible students, live loads and background-check status.

Shared by the matching snapshot (``portal.programmes.snapshot``), the approval re-checks,
resuming a paused match (``portal.relationships.pausing``) and the outcomes report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func

from portal.extensions import db
from portal.models import (
    BackgroundCheck,
    ConsentStatus,
    Match,
    MatchStatus,
    MentorProfile,
    MentorTraining,
    PartnerKind,
    Programme,
    StudentProfile,
)

MATCHABLE_CONSENT = (ConsentStatus.GIVEN, ConsentStatus.NOT_NEEDED)


def eligible_students_query(school_id: int) -> Any:
    """Students of a school who may be matched (``StudentProfile.can_be_matched`` in SQL)."""
    return db.select(StudentProfile).where(
        StudentProfile.school_id == school_id,
        StudentProfile.erased_at.is_(None),
        StudentProfile.profile_complete.is_(True),
        StudentProfile.consent_status.in_(MATCHABLE_CONSENT),
    )


def eligible_students(school_id: int) -> list[StudentProfile]:
    """The eligible students of a school, in id order."""
    query = eligible_students_query(school_id).order_by(StudentProfile.id)
    return list(db.session.scalars(query))


def live_students(school_id: int) -> set[tuple[int, str]]:
    """``(student_id, kind)`` of every live match of a school's programmes (one live mentor
    and one live project per student, whatever the programme)."""
    rows = db.session.execute(
        db.select(Match.student_id, Match.kind)
        .join(Match.programme)
        .where(Programme.school_id == school_id, Match.status != MatchStatus.ENDED)
    )
    return {(student_id, kind) for student_id, kind in rows}


def live_match_of(student_id: int, kind: PartnerKind) -> Match | None:
    """The student's live match of this kind, in any programme."""
    query = db.select(Match).where(
        Match.student_id == student_id, Match.kind == kind, Match.status != MatchStatus.ENDED
    )
    found: Match | None = db.session.scalars(query.limit(1)).first()
    return found


def live_load(kind: PartnerKind, ids: Iterable[int]) -> dict[int, int]:
    """Live (active or paused) matches per mentor or project, over every programme."""
    column = Match.mentor_id if kind == PartnerKind.MENTOR else Match.project_id
    rows = db.session.execute(
        db.select(column, func.count())
        .where(column.in_(list(ids)), Match.status != MatchStatus.ENDED)
        .group_by(column)
    )
    return {row[0]: row[1] for row in rows}


def check_status_by_user(user_ids: list[int], as_of: dt.date) -> dict[int, dict[str, Any]]:
    """Each user's background check in contract form: the best passed check wins."""
    checks = db.session.scalars(
        db.select(BackgroundCheck).where(
            BackgroundCheck.user_id.in_(user_ids), BackgroundCheck.passed.is_(True)
        )
    )
    best: dict[int, dict[str, Any]] = {}
    for check in checks:
        status = "verified" if check.valid_on(as_of) else "expired"
        expires = check.expires_on.isoformat() if check.expires_on else None
        current = best.get(check.user_id)
        if current is None or _better(status, expires, current):
            best[check.user_id] = {"status": status, "expires": expires}
    return best


def _better(status: str, expires: str | None, current: dict[str, Any]) -> bool:
    if status != current["status"]:
        return status == "verified"
    return current["expires"] is not None and (expires is None or expires > current["expires"])


def untrained_mentor_ids(programme: Programme, mentor_ids: Iterable[int]) -> set[int]:
    """Mentors (by profile id) the programme may not match yet: it requires a recorded
    training and they have none. Empty when the programme does not require training."""
    ids = list(mentor_ids)
    if not programme.requires_training or not ids:
        return set()
    trained = (
        db.select(MentorTraining.id).where(MentorTraining.user_id == MentorProfile.user_id).exists()
    )
    rows = db.session.scalars(
        db.select(MentorProfile.id).where(MentorProfile.id.in_(ids), ~trained)
    )
    return set(rows)
