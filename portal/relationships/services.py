"""Changes to approved matches: meetings and feedback (closure: ``closure.py``)."""

from __future__ import annotations

import datetime as dt

from flask import abort

from portal import audit, policy
from portal.extensions import db
from portal.models import (
    CheckIn,
    CheckInKind,
    Match,
    MatchStatus,
    User,
)


def match_for_staff(actor: User, match_id: int) -> Match:
    """The match if ``actor`` works for its school, else 404."""
    match = db.session.get(Match, match_id)
    if match is None:
        abort(404)
    policy.check_school(actor, match.programme.school_id)
    return match


def match_for_mentor(actor: User, match_id: int) -> Match:
    """The live match if ``actor`` is its mentor, else 404."""
    match = db.session.get(Match, match_id)
    if match is None or match.mentor is None or match.mentor.user_id != actor.id:
        abort(404)
    if match.status == MatchStatus.ENDED:
        abort(404)
    return match


def match_for_student(actor: User, match_id: int) -> Match:
    """The live match if ``actor`` is its student, else 404."""
    match = db.session.get(Match, match_id)
    if match is None or match.student.user_id != actor.id or match.status == MatchStatus.ENDED:
        abort(404)
    return match


def log_meeting(
    actor: User, match: Match, met_on: dt.date, minutes: int, mode: str, note: str
) -> CheckIn:
    """A mentor logs a meeting with a mentee."""
    check_in = CheckIn(
        match_id=match.id,
        author_id=actor.id,
        kind=CheckInKind.MEETING,
        met_on=met_on,
        minutes=minutes,
        mode=mode,
        note=note,
    )
    db.session.add(check_in)
    if match.last_meeting_on is None or met_on > match.last_meeting_on:
        match.last_meeting_on = met_on
    _audit("match.meeting_logged", actor, match, {"minutes": minutes})
    db.session.commit()
    return check_in


def leave_feedback(actor: User, match: Match, note: str) -> CheckIn:
    """A student leaves short feedback on a match."""
    check_in = CheckIn(match_id=match.id, author_id=actor.id, kind=CheckInKind.FEEDBACK, note=note)
    db.session.add(check_in)
    _audit("match.feedback", actor, match, {})
    db.session.commit()
    return check_in


def record_mentee_views(actor: User, matches: list[Match]) -> None:
    """Audit that a mentor looked at the (minimal) records of their mentees."""
    for match in matches:
        _audit("student.view", actor, match, {"as": "mentor"})
    db.session.commit()


def record_match_list(actor: User, filters: dict[str, str], matches: list[Match]) -> None:
    """Audit that ``actor`` listed these matches' students: one event per school, committed."""
    by_school: dict[int, list[int]] = {}
    for match in matches:
        by_school.setdefault(match.student.school_id, []).append(match.student_id)
    for school_id, shown in sorted(by_school.items()):
        audit.record(
            "student.list",
            actor=actor,
            object_type="match",
            school_id=school_id,
            detail={"page": "relationships", "filters": filters, "shown": shown},
        )
    db.session.commit()


def _audit(action: str, actor: User | None, match: Match, detail: dict[str, object]) -> None:
    audit.record(
        action,
        actor=actor,
        object_type="match",
        object_id=match.id,
        school_id=match.student.school_id,
        detail={"student": match.student_id, **detail},
    )
