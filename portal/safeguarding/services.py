"""Guardian consent: signed links, the guardian's answer, paper consent and withdrawal.

Each function takes plain arguments, commits once and writes the audit event.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import Select, func

from portal import audit
from portal.auth.tokens import make_token, read_token
from portal.extensions import db
from portal.links import public_url
from portal.models import (
    Consent,
    ConsentStatus,
    Match,
    MatchStatus,
    StudentProfile,
    User,
    utcnow,
)

CONSENT = "guardian-consent"
WITHDRAWN_REASON = "consent withdrawn"


def _link_state(student: StudentProfile) -> str:
    """Changes whenever consent is recorded, so a link answers once per state."""
    count = db.session.scalar(
        db.select(func.count(Consent.id)).where(Consent.student_id == student.id)
    )
    return f"{student.consent_status}:{count or 0}"


def consent_link(student: StudentProfile) -> str:
    """An absolute, signed, expiring link for the guardian of ``student`` (id must exist)."""
    if student.id is None:
        db.session.flush()
    token = make_token(CONSENT, {"s": student.id, "v": _link_state(student)})
    return public_url("safeguarding.consent", token=token)


def student_for_consent(token: str) -> StudentProfile | None:
    """The student a consent token is for, while it is valid and unanswered."""
    payload = read_token(CONSENT, token, int(current_app.config["CONSENT_LINK_MAX_AGE"]))
    if payload is None or not isinstance(payload.get("s"), int):
        return None
    student = db.session.get(StudentProfile, payload["s"])
    if student is None or student.erased_at is not None:
        return None
    if payload.get("v") != _link_state(student):
        return None
    return student


def record_guardian_answer(student: StudentProfile, given: bool, ip: str) -> Consent:
    """The guardian answered through the link: record consent or refusal with time and IP."""
    status = ConsentStatus.GIVEN if given else ConsentStatus.REFUSED
    consent = _add_consent(
        student, status, "link", student.guardian_name, None, ip, {"method": "link"}
    )
    db.session.commit()
    return consent


def record_paper_consent(
    counselor: User, student: StudentProfile, given: bool, guardian_name: str
) -> Consent:
    """A counselor records a consent or refusal form signed on paper."""
    status = ConsentStatus.GIVEN if given else ConsentStatus.REFUSED
    consent = _add_consent(
        student, status, "paper", guardian_name, counselor, "", {"method": "paper"}
    )
    db.session.commit()
    return consent


def withdraw_consent(counselor: User, student: StudentProfile, guardian_name: str) -> int:
    """Record a withdrawal and pause the student's live matches; returns how many paused."""
    paused = pause_matches(db.select(Match).where(Match.student_id == student.id), WITHDRAWN_REASON)
    detail = {"paused_matches": [m.id for m in paused]}
    _add_consent(student, ConsentStatus.WITHDRAWN, "paper", guardian_name, counselor, "", detail)
    db.session.commit()
    return len(paused)


def consent_history(student: StudentProfile) -> list[Consent]:
    """Every consent record of ``student``, newest first."""
    return list(
        db.session.scalars(
            db.select(Consent)
            .where(Consent.student_id == student.id)
            .order_by(Consent.recorded_at.desc(), Consent.id.desc())
        )
    )


def pause_matches(query: Select[Match], reason: str) -> list[Match]:
    """Pause the active matches selected by ``query`` (a ``select(Match)``); no commit."""
    live = query.where(Match.status == MatchStatus.ACTIVE).with_for_update()
    matches: list[Match] = list(db.session.scalars(live))
    for match in matches:
        match.status = MatchStatus.PAUSED
        match.pause_reason = reason[:200]
    return matches


def pause_and_audit(query: Select[Match], reason: str, actor: User | None) -> list[Match]:
    """:func:`pause_matches`, and a ``match.paused`` event for each, against the student's
    school (the reason is for staff; partners never see it); no commit."""
    paused = pause_matches(query, reason)
    for match in paused:
        audit.record_about(match, "match.paused", actor=actor, detail={"reason": reason})
    return paused


def contact_visible(match: Match) -> bool:
    """A partner's and student's contact details show only on an active match."""
    return match.status == MatchStatus.ACTIVE


def _add_consent(
    student: StudentProfile,
    status: ConsentStatus,
    method: str,
    guardian_name: str,
    recorded_by: User | None,
    ip: str,
    detail: dict[str, Any],
) -> Consent:
    """Add a consent record, set the student's status and write the audit event."""
    consent = Consent(
        student_id=student.id,
        status=status,
        method=method,
        guardian_name=guardian_name[:120],
        recorded_at=utcnow(),
        ip=ip[:64],
        recorded_by_id=recorded_by.id if recorded_by else None,
    )
    db.session.add(consent)
    student.consent_status = status
    audit.record_about(student, f"consent.{status}", actor=recorded_by, detail=detail)
    return consent
