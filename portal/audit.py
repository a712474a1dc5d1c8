"""The audit trail: one event for every view or change of a student record.

:func:`record` adds the event to the session; the calling service commits it together
with the change it describes. :func:`record_view` commits at once (views change nothing).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import DDL, event, insert
from sqlalchemy.orm import Mapper, ORMExecuteState, Session

from portal.extensions import db
from portal.models import (
    AuditEvent,
    Concern,
    Match,
    MatchRun,
    MentorProfile,
    Organisation,
    OutboxMessage,
    Programme,
    Project,
    Proposal,
    School,
    StudentProfile,
    Tag,
    User,
)

APPEND_ONLY = "audit events are append-only"


class AppendOnlyError(RuntimeError):
    """Something tried to change or delete an audit event."""


def record(
    action: str,
    *,
    actor: User | None,
    object_type: str = "",
    object_id: int | None = None,
    school_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session (committed by the caller's transaction)."""
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        actor_role=str(actor.role) if actor else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        school_id=school_id,
        detail=detail or {},
        ip=_client_ip(),
    )
    db.session.add(event)
    return event


Subject = (
    StudentProfile
    | MentorProfile
    | Organisation
    | Project
    | Match
    | Proposal
    | Programme
    | MatchRun
    | Concern
    | School
    | User
    | Tag
    | OutboxMessage
)
OBJECT_TYPES: dict[type[Subject], str] = {
    StudentProfile: "student",
    MentorProfile: "mentor",
    Organisation: "organisation",
    Project: "project",
    Match: "match",
    Proposal: "proposal",
    Programme: "programme",
    MatchRun: "match_run",
    Concern: "concern",
    School: "school",
    User: "user",
    Tag: "tag",
    OutboxMessage: "outbox_message",
}


def record_about(
    subject: Subject, action: str, *, actor: User | None, detail: dict[str, Any] | None = None
) -> AuditEvent:
    """:func:`record` an event about ``subject``: its type, id and school come from it, and an
    event about a pair (a match or a proposal) names its student in ``detail``."""
    school_id, student_id = _school_and_student(subject)
    if student_id is not None:
        detail = {"student": student_id, **(detail or {})}
    return record(
        action,
        actor=actor,
        object_type=OBJECT_TYPES[type(subject)],
        object_id=subject.id,
        school_id=school_id,
        detail=detail,
    )


def _school_and_student(subject: Subject) -> tuple[int | None, int | None]:
    match subject:
        case Match() | Proposal():
            return subject.student.school_id, subject.student_id
        case Project():
            return subject.organisation.school_id, None
        case MatchRun():
            return subject.programme.school_id, None
        case School():
            return subject.id, None
        case User() | Tag() | OutboxMessage():
            return None, None
        case _:
            return subject.school_id, None


def record_view(
    actor: User, object_type: str, object_id: int, school_id: int | None, what: str = "view"
) -> None:
    """Record that ``actor`` looked at a record, and commit."""
    record(
        f"{object_type}.{what}",
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        school_id=school_id,
    )
    db.session.commit()


def record_students_seen(
    actor: User | None,
    shown: Iterable[tuple[int, int | None]],
    action: str,
    detail: dict[str, Any],
) -> None:
    """Record that ``actor`` saw a list of students: one event per (student id, school id).

    One event per student, not one per page, so each lands in that student's export and in
    their school's trail; ``detail`` says where (never a name or a search term). Commits.
    """
    rows = [
        {
            "actor_id": actor.id if actor else None,
            "actor_role": str(actor.role) if actor else "",
            "action": action,
            "object_type": "student",
            "object_id": student_id,
            "school_id": school_id,
            "detail": detail,
            "ip": _client_ip(),
        }
        for student_id, school_id in shown
    ]
    if rows:  # one statement for the whole page, however many students it lists
        db.session.execute(insert(AuditEvent), rows)
        db.session.commit()


def note_students_shown(students: Iterable[StudentProfile]) -> None:
    """Remember students that a panel of this page shows (panels load their own data).

    The view records them after rendering, with :func:`record_noted`.
    """
    shown = g.setdefault("students_shown", {})
    shown.update(dict.fromkeys((s.id, s.school_id) for s in students))


def record_noted(actor: User, action: str, detail: dict[str, Any]) -> None:
    """Record the students noted while rendering this page (one event each); commit."""
    record_students_seen(actor, list(g.pop("students_shown", {})), action, detail)


def _client_ip() -> str:
    return (request.remote_addr or "") if has_request_context() else ""


def _refuse_change(_mapper: Mapper[Any], _connection: Any, _target: AuditEvent) -> None:
    raise AppendOnlyError(APPEND_ONLY)


def _refuse_bulk_change(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and any(
        mapper.class_ is AuditEvent for mapper in state.all_mappers
    ):
        raise AppendOnlyError(APPEND_ONLY)


# The application can neither edit nor delete audit events: the ORM refuses here, and the
# database refuses too (these triggers on create_all; the migration creates the same ones).
event.listen(AuditEvent, "before_update", _refuse_change)
event.listen(AuditEvent, "before_delete", _refuse_change)
event.listen(Session, "do_orm_execute", _refuse_bulk_change)


def _ddl(sql: str, dialect: str) -> Any:
    return DDL(sql).execute_if(dialect=dialect)  # type: ignore[no-untyped-call]


SQLITE_TRIGGERS = [
    f"CREATE TRIGGER audit_events_no_{verb} BEFORE {verb.upper()} ON audit_events "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
    for verb in ("update", "delete")
]
POSTGRES_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$",
    "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
]
for _sql in SQLITE_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", _ddl(_sql, "sqlite"))
for _sql in POSTGRES_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", _ddl(_sql, "postgresql"))
