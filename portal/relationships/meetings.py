"""Meetings on both sides: the student confirms, both answer "good fit?"; the last meeting."""

from __future__ import annotations

import datetime as dt

from flask import abort

from portal import audit
from portal.extensions import db
from portal.models import CheckIn, CheckInKind, Match, User, utcnow
from portal.relationships.forms import FIT_ANSWERS

ANSWERS = tuple(value for value, _ in FIT_ANSWERS)


def note_meeting(match: Match, met_on: dt.date) -> None:
    """Keep ``Match.last_meeting_on`` the latest meeting date (lists never aggregate)."""
    if match.last_meeting_on is None or met_on > match.last_meeting_on:
        match.last_meeting_on = met_on


def confirm_meeting(actor: User, match: Match, check_in_id: int) -> CheckIn:
    """The student's "yes, we met": only confirmed meetings count in reports."""
    check_in = db.session.get(CheckIn, check_in_id)
    if check_in is None or check_in.match_id != match.id or check_in.kind != CheckInKind.MEETING:
        abort(404)
    if check_in.confirmed_at is None:
        check_in.confirmed_at = utcnow()
        audit.record_about(
            match, "match.meeting_confirmed", actor=actor, detail={"check_in": check_in.id}
        )
        db.session.commit()
    return check_in


def answer_fit(actor: User, match: Match, side: str, answer: str) -> None:
    """Record the student's or mentor's "good fit?" answer; "not_good" flags the match."""
    if answer not in ANSWERS or side not in ("student", "mentor"):
        abort(404)
    setattr(match, f"{side}_fit", answer)
    audit.record_about(
        match, "match.fit_answered", actor=actor, detail={"side": side, "answer": answer}
    )
    db.session.commit()
