"""A counselor pauses a live match (holidays, illness, a concern being looked into) and
resumes it once it may go on: the student's consent and the mentor's check still hold."""

from __future__ import annotations

import datetime as dt

from portal import eligibility
from portal.extensions import db
from portal.models import Match, MatchStatus, User
from portal.relationships import events
from portal.safeguarding.services import pause_and_audit


def pause_match(actor: User, match: Match, reason: str) -> bool:
    """Pause an active match with a reason; False when it was not active."""
    paused = pause_and_audit(db.select(Match).where(Match.id == match.id), reason, actor)
    if not paused:
        db.session.rollback()
        return False
    db.session.commit()
    return True


def resume_problem(match: Match, today: dt.date) -> str:
    """Why a paused match cannot resume now ('' when it can)."""
    if match.status != MatchStatus.PAUSED:
        return "Only a paused match can resume."
    if not match.student.can_be_matched:
        return "The student's consent or profile does not allow the match to go on."
    mentor = match.mentor
    if mentor is None or not match.student.is_minor:
        return ""
    if not eligibility.has_valid_check(mentor.user_id, today):
        return "The mentor needs a valid background check first."
    return ""


def resume_match(actor: User, match: Match, today: dt.date) -> str:
    """Resume a paused match if it may go on; returns the problem ('' when resumed)."""
    problem = resume_problem(match, today)
    if problem:
        return problem
    match.status = MatchStatus.ACTIVE
    match.pause_reason = ""
    _audit("match.resumed", actor, match, {})
    db.session.commit()
    return ""


_audit = events.record
