"""Changes to approved matches: meetings and feedback (closure: ``closure.py``)."""

from __future__ import annotations

import datetime as dt

from portal import audit
from portal.extensions import db
from portal.models import (
    CheckIn,
    CheckInKind,
    Match,
    MatchStatus,
    StudentProfile,
    User,
)
from portal.relationships import meetings

PAUSED_NOTICE = "This match is paused; the school will be in touch."


class MatchPausedError(Exception):
    """A paused match takes no meeting log and no feedback until the school resumes it."""


def accepts_check_ins(match: Match) -> bool:
    """Meetings and feedback are recorded on active matches only (not paused, not ended)."""
    return match.status == MatchStatus.ACTIVE


def _require_active(match: Match) -> None:
    if not accepts_check_ins(match):
        raise MatchPausedError(PAUSED_NOTICE)


def log_meeting(
    actor: User, match: Match, met_on: dt.date, minutes: int, mode: str, note: str
) -> CheckIn:
    """A mentor logs a meeting with a mentee (refused on a paused match)."""
    _require_active(match)
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
    meetings.note_meeting(match, met_on)
    audit.record_about(match, "match.meeting_logged", actor=actor, detail={"minutes": minutes})
    db.session.commit()
    return check_in


def leave_feedback(actor: User, match: Match, note: str) -> CheckIn:
    """A student leaves short feedback on a match (refused on a paused match)."""
    _require_active(match)
    check_in = CheckIn(match_id=match.id, author_id=actor.id, kind=CheckInKind.FEEDBACK, note=note)
    db.session.add(check_in)
    audit.record_about(match, "match.feedback", actor=actor)
    db.session.commit()
    return check_in


def record_partner_views(actor: User, students: list[StudentProfile]) -> None:
    """Audit the students a mentor's or organisation's page showed (after rendering); commit.

    Each event is stored against the student and their school (not the match): it is in the
    student's export.
    """
    shown = [(student.id, student.school_id) for student in students]
    audit.record_students_seen(actor, shown, "student.view", {"as": str(actor.role)})
