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
    CheckInKind,
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

GOALS = [
    "Explore a career path",
    "Raise one grade this term",
    "Plan the next steps",
    "Finish a small project together",
]
CONCERN_REASONS = ["no_show", "wellbeing", "other", "inappropriate_contact"]


def at(day: dt.date, hour: int = 16) -> dt.datetime:
    """The day at ``hour`` o'clock UTC."""
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
    when = at(dt.date.today() - dt.timedelta(days=250), 9)
    plain(
        StudentImport,
        [
            {
                "school_id": school.school_id,
                "created_by_id": school.counselor_ids[0],
                "created_at": when,
                "filename": "class-list.csv",
                "content": b"",
                "status": "done",
                "total": students,
                "done": students,
                "counts": {"added": students, "updated": 0, "unchanged": 0},
                "errors": [],
                "finished_at": when,
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
                "at": at(d),
                "actor_id": pair.author_id,
                "actor_role": "mentor",
                "action": "match.meeting_logged",
            }
            for d in pair.meetings
        ]
        rows += [
            {
                **event,
                "at": at(d, 11),
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
                "at": at(day, 10),
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


def meeting_rows(pairs: list[Pair]) -> list[dict[str, Any]]:
    """Each pair's meetings, confirmed by the student the next day (all but a few latest)."""
    rows = []
    for pair in pairs:
        for j, day in enumerate(pair.meetings):
            confirmed = (
                at(day + dt.timedelta(days=1)) if j < len(pair.meetings) - 1 or j % 7 else None
            )
            rows.append(
                {
                    "match_id": pair.id,
                    "author_id": pair.author_id,
                    "kind": CheckInKind.MEETING,
                    "met_on": day,
                    "minutes": 45,
                    "mode": "in_person",
                    "created_at": at(day),
                    "note": "We talked about school and next steps.",
                    "confirmed_at": confirmed,
                }
            )
    return rows


def contact_rows(rng: random.Random, pairs: list[Pair], staff: int) -> list[dict[str, Any]]:
    """The support contacts planned for each pair."""
    return [
        {
            "match_id": pair.id,
            "counselor_id": staff,
            "contacted_on": d,
            "channel": "phone",
            "with_whom": rng.choice(["mentor", "student", "guardian"]),
            "note": "Checked in: going well.",
        }
        for pair in pairs
        for d in pair.contacts
    ]


def goal_rows(rng: random.Random, pair: Pair) -> list[dict[str, Any]]:
    """Two goals of an agreed pair; the first achieved by some after three months."""
    if not pair.row.get("agreed_at"):
        return []
    done = pair.row["started_at"].date() + dt.timedelta(days=90)
    achieved = done < dt.date.today() and rng.random() < 0.4
    return [
        {
            "match_id": pair.id,
            "text": GOALS[0],
            "status": "achieved" if achieved else "in_progress",
            "achieved_on": done if achieved else None,
        },
        {"match_id": pair.id, "text": rng.choice(GOALS[1:]), "status": "not_started"},
    ]
