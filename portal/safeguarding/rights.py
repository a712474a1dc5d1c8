"""Subject rights: export everything held about a student, and erase a student."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import selectinload

from portal import audit
from portal.extensions import db
from portal.models import (
    AuditEvent,
    CheckIn,
    Concern,
    Consent,
    Match,
    MatchStatus,
    OutboxMessage,
    Project,
    Proposal,
    StudentProfile,
    User,
    utcnow,
)
from portal.safeguarding import redaction

ERASED = "Erased"
PROFILE_FIELDS = [
    *("id", "first_name", "last_name", "grade", "date_of_birth", "is_minor", "phone", "about"),
    "interests",
    *("goals", "availability", "modality", "languages", "area", "guardian_name"),
    *("guardian_email", "consent_status", "profile_complete", "created_at"),
]
ACCOUNT_FIELDS = ["email", "role", "active", "created_at", "last_login_at"]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value) if hasattr(value, "value") else value


def _row(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def collect_student_data(student: StudentProfile) -> dict[str, Any]:
    """Everything the portal holds about ``student``, as plain JSON-ready data."""
    data: dict[str, Any] = {"profile": _row(student, PROFILE_FIELDS), "school": student.school.name}
    if student.user is not None:
        data["account"] = _row(student.user, ACCOUNT_FIELDS)
    data["consents"] = [
        _row(c, ["status", "method", "guardian_name", "recorded_at", "ip"])
        for c in db.session.scalars(select(Consent).where(Consent.student_id == student.id))
    ]
    matches = list(db.session.scalars(_student_matches(student)))
    data["matches"] = [_match_row(m) for m in matches]
    data["proposals"] = [
        {**_row(p, ["run_id", "score", "breakdown", "status"]), "partner": _partner(p)}
        for p in db.session.scalars(
            select(Proposal)
            .options(
                selectinload(Proposal.mentor),
                selectinload(Proposal.project).selectinload(Project.organisation),
            )
            .where(Proposal.student_id == student.id)
        )
    ]
    data["check_ins"] = [
        _row(c, ["match_id", "kind", "met_on", "minutes", "mode", "note", "created_at"])
        for c in db.session.scalars(
            select(CheckIn).where(CheckIn.match_id.in_([m.id for m in matches]))
        )
    ]
    data["concerns_reported"] = _concerns(student)
    data["audit_events"] = [
        _row(e, ["at", "action", "actor_role"])
        for e in db.session.scalars(_events_about(student, [m.id for m in matches]))
    ]
    return data


def _events_about(student: StudentProfile, match_ids: list[int]) -> Any:
    """Every view and change of the student: their record, matches, proposals and concerns."""
    objects: dict[str, Any] = {
        "student": [student.id],
        "match": match_ids,
        "proposal": select(Proposal.id).where(Proposal.student_id == student.id),
        "concern": select(Concern.id).where(
            or_(
                Concern.match_id.in_(match_ids),
                Concern.reporter_id == student.user_id,
                Concern.about_user_id == student.user_id,
            )
        ),
    }
    about = [
        and_(AuditEvent.object_type == kind, AuditEvent.object_id.in_(ids))
        for kind, ids in objects.items()
    ]
    return select(AuditEvent).where(or_(*about)).order_by(AuditEvent.id)


def _student_matches(student: StudentProfile) -> Any:
    return (
        select(Match)
        .options(
            selectinload(Match.programme),
            selectinload(Match.mentor),
            selectinload(Match.project).selectinload(Project.organisation),
        )
        .where(Match.student_id == student.id)
    )


def _partner(pair: Match | Proposal) -> str:
    return f"{pair.partner_name} ({pair.kind})" if pair.mentor or pair.project else ""


def _match_row(match: Match) -> dict[str, Any]:
    row = _row(match, ["id", "kind", "status", "started_at", "ended_at", "end_reason"])
    return {**row, "programme": match.programme.name, "partner": _partner(match)}


def _concerns(student: StudentProfile) -> list[dict[str, Any]]:
    if student.user_id is None:
        return []
    return [
        _row(c, ["reason", "note", "status", "created_at"])
        for c in db.session.scalars(select(Concern).where(Concern.reporter_id == student.user_id))
    ]


def export_student(actor: User, student: StudentProfile, fmt: str) -> dict[str, Any]:
    """The export of ``student``'s data, audited (``fmt``: json or page); commits."""
    data = collect_student_data(student)
    audit.record_about(student, "student.exported", actor=actor, detail={"format": fmt})
    db.session.commit()
    return data


def erase_student(actor: User, student: StudentProfile) -> None:
    """Remove or anonymise a student's personal data; keep counts for statistics; commit."""
    emails = [e for e in (student.guardian_email, student.user.email if student.user else "") if e]
    redaction.redact_traces(student)
    _anonymise_profile(student)
    if student.user is not None:
        _deactivate(student.user)
    match_ids = select(Match.id).where(Match.student_id == student.id)
    db.session.execute(update(CheckIn).where(CheckIn.match_id.in_(match_ids)).values(note=""))
    db.session.execute(
        update(Consent).where(Consent.student_id == student.id).values(guardian_name="", ip="")
    )
    db.session.execute(
        update(Proposal)
        .where(Proposal.student_id == student.id)
        .values(breakdown={}, alternatives={}, basis={})
    )
    db.session.execute(
        update(Match)
        .where(Match.student_id == student.id, Match.status != MatchStatus.ENDED)
        .values(status=MatchStatus.ENDED, ended_at=utcnow(), end_reason="student erased")
    )
    if emails:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.to.in_(emails)))
    audit.record_about(student, "student.erased", actor=actor)
    db.session.commit()


def _anonymise_profile(student: StudentProfile) -> None:
    student.first_name = ERASED
    student.last_name = ERASED
    for name in ("phone", "about", "guardian_name", "guardian_email", "area"):
        setattr(student, name, "")
    for name in ("interests", "goals", "availability", "languages"):
        setattr(student, name, [])
    student.date_of_birth = None
    student.student_number = None  # identifies the student; a later import may add them anew
    student.erased_at = utcnow()


def _deactivate(user: User) -> None:
    user.active = False
    user.email = f"erased-{user.id}@erased.invalid"
    user.display_name = ERASED
    user.password_hash = None
    user.session_version = User.session_version + 1
