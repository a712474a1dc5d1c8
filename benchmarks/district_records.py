"""What a year of relationships leaves beside the matches (``district_year.py`` calls it):
exit surveys of ended matches, concerns, mentor trainings, a finished class-list import per
school, and audit events in proportion (one per meeting, support contact and agreement, and
counselors' views of students)."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert

from portal.extensions import db
from portal.models import (
    AuditEvent,
    Concern,
    ConcernStatus,
    ExitSurvey,
    MatchStatus,
    MentorTraining,
    StudentImport,
)

if TYPE_CHECKING:
    from benchmarks.district import SchoolRows
    from benchmarks.district_year import Pair

CONCERN_REASONS = ["no_show", "wellbeing", "other", "inappropriate_contact"]


def _at(day: dt.date, hour: int = 16) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def plain(model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` without reading ids back (5,000 per executemany)."""
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(model), rows[start : start + 5000])


def surveys(rng: random.Random, pairs: list[Pair]) -> None:
    """Both sides' exit surveys of every ended match; most answered."""
    rows = []
    for pair in pairs:
        if pair.row["status"] != MatchStatus.ENDED:
            continue
        sent = pair.row["ended_at"]
        for side, user_id in (("student", pair.student_user_id), ("partner", pair.partner_user_id)):
            answered = rng.random() < 0.7
            rows.append(
                {
                    "match_id": pair.id,
                    "respondent": side,
                    "user_id": user_id,
                    "sent_at": sent,
                    "answered_at": sent + dt.timedelta(days=2) if answered else None,
                    "satisfaction": rng.randint(3, 5) if answered else None,
                    "goal_progress": rng.choice(["some", "most", "all"]) if answered else "",
                    "would_recommend": True if answered else None,
                }
            )
    plain(ExitSurvey, rows)


def concerns(rng: random.Random, school: SchoolRows, pairs: list[Pair], count: int) -> None:
    """Concerns raised by partners about their matches; a third still open."""
    rows = []
    for pair in rng.sample(pairs, min(count, len(pairs))):
        raised = pair.row["started_at"] + dt.timedelta(days=rng.randint(10, 60))
        is_open = rng.random() < 0.33
        rows.append(
            {
                "school_id": school.school_id,
                "reporter_id": pair.partner_user_id,
                "match_id": pair.id,
                "reason": rng.choice(CONCERN_REASONS),
                "note": "They missed two meetings in a row.",
                "created_at": raised,
                "status": ConcernStatus.OPEN if is_open else ConcernStatus.RESOLVED,
                "resolved_by_id": None if is_open else school.counselor_ids[0],
                "resolved_at": None if is_open else raised + dt.timedelta(days=3),
                "resolution_note": "" if is_open else "Spoke with both; resolved.",
            }
        )
    plain(Concern, rows)


def trainings(school: SchoolRows, pairs: list[Pair]) -> None:
    """One recorded training for every matched mentor."""
    mentors = {
        p.partner_user_id: p.row["started_at"].date() for p in pairs if p.row["kind"] == "mentor"
    }
    rows = [
        {
            "user_id": u,
            "course": "Safe and effective mentoring",
            "hours": 3,
            "completed_on": day - dt.timedelta(days=20),
            "recorded_by_id": school.counselor_ids[0],
        }
        for u, day in mentors.items()
    ]
    plain(MentorTraining, rows)


def class_import(school: SchoolRows, students: int) -> None:
    """The class list the school imported at the start of the year (finished)."""
    at = _at(dt.date.today() - dt.timedelta(days=250), 9)
    plain(
        StudentImport,
        [
            {
                "school_id": school.school_id,
                "created_by_id": school.counselor_ids[0],
                "created_at": at,
                "filename": "class-list.csv",
                "content": b"",
                "status": "done",
                "total": students,
                "done": students,
                "counts": {"added": students, "updated": 0, "unchanged": 0},
                "errors": [],
                "finished_at": at,
            }
        ],
    )


def audit_events(rng: random.Random, school: SchoolRows, pairs: list[Pair]) -> None:
    """The events the year wrote: meetings, support contacts, agreements, student views."""
    staff, sid = school.counselor_ids[0], school.school_id
    rows: list[dict[str, Any]] = []
    for pair in pairs:
        event = {"object_type": "match", "object_id": pair.id, "school_id": sid, "detail": {}}
        rows += [
            {
                **event,
                "at": _at(d),
                "actor_id": pair.author_id,
                "actor_role": "mentor",
                "action": "match.meeting_logged",
            }
            for d in pair.meetings
        ]
        rows += [
            {
                **event,
                "at": _at(d, 11),
                "actor_id": staff,
                "actor_role": "counselor",
                "action": "match.support_logged",
            }
            for d in pair.contacts
        ]
        if pair.row.get("agreed_at"):
            rows.append(
                {
                    **event,
                    "at": pair.row["agreed_at"],
                    "actor_id": staff,
                    "actor_role": "counselor",
                    "action": "match.agreed",
                }
            )
    today = dt.date.today()
    for student_id, _user in rng.sample(school.students, min(len(school.students), 3000)):
        day = today - dt.timedelta(days=rng.randint(0, 240))
        rows.append(
            {
                "at": _at(day, 10),
                "actor_id": staff,
                "actor_role": "counselor",
                "action": "student.view",
                "object_type": "student",
                "object_id": student_id,
                "school_id": sid,
                "detail": {},
            }
        )
    plain(AuditEvent, rows)
