"""What each export lists: its columns, the list's own query, and its rows, streamed.

Every export reuses the query of the page it downloads (one query per list), so a
Download button keeps the page's filters and shows only what the page shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func

from portal import audit
from portal.counselor import queries as counselor_queries
from portal.counselor.forms import CONSENT_LABELS
from portal.extensions import db
from portal.models import (
    Match,
    MatchRun,
    MentorTraining,
    StudentProfile,
    User,
    Verification,
)
from portal.programmes import summary
from portal.relationships import closure, support
from portal.relationships import queries as relationship_queries
from portal.reports import queries

BATCH = 500  # rows fetched per round trip; never the whole list in memory
Scope = set[int] | None


@dataclass(frozen=True)
class Table:
    """An export ready to write: its name, header, query (for the count) and its rows."""

    kind: str
    header: Sequence[str]
    query: Select[Any]
    rows: Callable[[], Iterator[list[Any]]]
    # The column of the query's rows that names a student ("id" of a student, "student_id",
    # or "match_id" of a match), for the audit trail; None: the export names no student.
    student_column: str | None = None

    def students(self) -> list[tuple[int, int | None]]:
        """(student id, school id) of every student the export names (one query)."""
        if self.student_column is None:
            return []
        inner = self.query.order_by(None).subquery()
        column = inner.c[self.student_column]
        if self.student_column == "match_id":
            ids: Any = db.select(Match.student_id).where(Match.id.in_(db.select(column)))
        else:
            ids = db.select(column)
        query = db.select(StudentProfile.id, StudentProfile.school_id).where(
            StudentProfile.id.in_(ids)
        )
        return [(student_id, school_id) for student_id, school_id in db.session.execute(query)]

    def count(self) -> int:
        """How many rows the export has (one counting query)."""
        counted = db.select(func.count()).select_from(self.query.order_by(None).subquery())
        return int(db.session.scalar(counted) or 0)


def _stream(query: Select[Any]) -> Iterator[Any]:
    """The query's objects, fetched ``BATCH`` at a time (server-side cursor on PostgreSQL)."""
    return iter(db.session.scalars(query.execution_options(yield_per=BATCH)))


def _name(person: StudentProfile | None) -> str:
    return f"{person.first_name} {person.last_name}" if person is not None else ""


def students(scope: Scope, filters: dict[str, Any]) -> Table:
    """The students list, as filtered on its page."""
    query = counselor_queries.students_query(scope, filters)
    # Translated now, in the request: the rows stream after it (the locale reads the user).
    labels = {value: str(label) for value, label in CONSENT_LABELS.items()}

    def rows() -> Iterator[list[Any]]:
        for s in _stream(query):
            consent = labels.get(str(s.consent_status), str(s.consent_status))
            minor = "yes" if s.is_minor else "no"
            complete = "yes" if s.profile_complete else "no"
            yield [
                s.id,
                s.first_name,
                s.last_name,
                s.grade,
                s.school.name,
                minor,
                consent,
                complete,
            ]

    header = (
        "Id",
        "First name",
        "Last name",
        "Grade",
        "School",
        "Minor",
        "Consent",
        "Profile complete",
    )
    return Table("students", header, query, rows, "id")


def partners(scope: Scope, filters: dict[str, Any]) -> Table:
    """The partners list in one verification state, with check and training status."""
    status = filters.get("status") or Verification.PENDING
    query = counselor_queries.partners_query(scope, Verification(status))
    today = dt.date.today()

    def rows() -> Iterator[list[Any]]:
        for users in db.session.scalars(query.execution_options(yield_per=BATCH)).partitions():
            ids = [user.id for user in users]
            trained = _latest_training(ids)
            for line in counselor_queries.partner_rows(ids):
                check = counselor_queries.describe_expiry(line.check_expires, today).text
                training = trained.get(line.partner.user_id)
                course = "" if line.kind != "mentor" else training or "no training on record"
                yield [line.kind, line.name, line.partner.school.name, str(status), check, course]

    header = ("Kind", "Name", "School", "Verification", "Background check", "Training")
    return Table("partners", header, query, rows)


def _latest_training(user_ids: list[int]) -> dict[int, str]:
    """Each mentor's latest completed training, worded (one grouped query)."""
    latest = (
        db.select(MentorTraining.user_id, func.max(MentorTraining.completed_on).label("on"))
        .where(MentorTraining.user_id.in_(user_ids))
        .group_by(MentorTraining.user_id)
    )
    return {user_id: f"completed {on.isoformat()}" for user_id, on in db.session.execute(latest)}


def proposals(run: MatchRun, filters: summary.Filters) -> Table:
    """The proposals of one run, as filtered on its review page."""
    query = summary.proposals_query(run, filters)

    def rows() -> Iterator[list[Any]]:
        for p in _stream(query):
            partner = p.partner_name
            yield [p.id, _name(p.student), p.kind, partner, round(p.score, 3), str(p.status)]

    header = ("Id", "Student", "Kind", "Mentor or project", "Score", "Status")
    return Table("proposals", header, query, rows, "student_id")


def meetings(scope: Scope, filters: dict[str, Any]) -> Table:
    """Logged meetings of the programmes of ``scope``, with whether the student confirmed."""
    query = queries.meetings_query(scope, filters)

    def rows() -> Iterator[list[Any]]:
        for m in _stream(query):
            match: Match = m.match
            partner = match.partner_name
            confirmed = "yes" if m.confirmed_at is not None else "no"
            programme = match.programme.name
            yield [
                m.id,
                programme,
                _name(match.student),
                partner,
                m.met_on,
                m.minutes,
                m.mode,
                confirmed,
            ]

    header = (
        "Id",
        "Programme",
        "Student",
        "Mentor or project",
        "Met on",
        "Minutes",
        "Mode",
        "Confirmed",
    )
    return Table("meetings", header, query, rows, "match_id")


def relationships(scope: Scope, filters: dict[str, Any]) -> Table:
    """The relationships list, as filtered and sorted on its page."""
    query = relationship_queries.relationships_query(scope, filters, dt.date.today())

    def rows() -> Iterator[list[Any]]:
        for m in _stream(query):
            reason = closure.REASONS.get(m.closure_reason, m.end_reason)
            yield [m.id, m.programme.name, _name(m.student), m.kind, m.partner_name,
                   str(m.status), m.started_at.date(), m.ended_at.date() if m.ended_at else None,
                   reason, m.last_meeting_on, m.support_due_on]  # fmt: skip

    header = ("Id", "Programme", "Student", "Kind", "Mentor or project", "Status", "Started",
              "Ended", "Closure reason", "Last meeting", "Support due")  # fmt: skip
    return Table("relationships", header, query, rows, "student_id")


def support_contacts(scope: Scope, filters: dict[str, Any]) -> Table:
    """Staff support contacts with the pairs (the notes stay in the portal)."""
    query = queries.support_contacts_query(scope, filters)

    def rows() -> Iterator[list[Any]]:
        for c in _stream(query):
            m: Match = c.match
            counselor = c.counselor.display_name if c.counselor is not None else ""
            yield [c.id, m.programme.name, _name(m.student), m.partner_name,
                   c.contacted_on, support.WITH_WHOM.get(c.with_whom, c.with_whom),
                   support.CHANNELS.get(c.channel, c.channel), counselor]  # fmt: skip

    header = ("Id", "Programme", "Student", "Mentor or project", "Contacted on", "With",
              "Channel", "By")  # fmt: skip
    return Table("support_contacts", header, query, rows, "match_id")


def survey_answers(scope: Scope, filters: dict[str, Any]) -> Table:
    """Answered exit surveys, by match (no names, and comments stay in the portal)."""
    query = queries.survey_answers_query(scope, filters)

    def rows() -> Iterator[list[Any]]:
        for s in _stream(query):
            recommend = {True: "yes", False: "no", None: ""}[s.would_recommend]
            progress = closure.GOAL_PROGRESS.get(s.goal_progress, s.goal_progress)
            yield [s.id, s.match.programme.name, s.match_id, s.respondent,
                   s.answered_at.date(), s.satisfaction, progress, recommend]  # fmt: skip

    header = ("Id", "Programme", "Match", "Respondent", "Answered on", "Satisfaction (1-5)",
              "Goal progress", "Would recommend")  # fmt: skip
    return Table("survey_answers", header, query, rows)


KINDS: dict[str, Callable[[Scope, dict[str, Any]], Table]] = {
    "students": students,
    "partners": partners,
    "relationships": relationships,
    "meetings": meetings,
    "support_contacts": support_contacts,
    "survey_answers": survey_answers,
}


def record_export(
    actor: User | None, table: Table, fmt: str, filters: dict[str, Any], rows: int
) -> None:
    """One audit event per export: its kind, format, filters and row count (no search term)."""
    used = {k: str(v) for k, v in filters.items() if v not in ("", None) and k != "q"}
    detail = {"kind": table.kind, "format": fmt, "filters": used, "rows": rows}
    if filters.get("q"):
        detail["searched"] = True
    audit.record("data.export", actor=actor, object_type="export", detail=detail)
    db.session.commit()
    # Every student the file names: an event against that student and school (each lands
    # in the student's own data export), like the list pages' views.
    seen = {"kind": table.kind, "format": fmt}
    audit.record_students_seen(actor, table.students(), "student.exported", seen)
