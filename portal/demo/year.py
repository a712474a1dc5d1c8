"""Demo data for the programme year (``flask seed-demo``): an ongoing programme whose
matches started months ago, with agreements, goals, meetings (most confirmed) and answers
to "good fit?", so the homes, the match pages and the "to celebrate" list show real content.

Idempotent: nothing is added when the programme exists. The programme requires training:
the matched mentors have it on record, every other mentor sees "training required".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.eligibility import eligible_students_query
from portal.extensions import db
from portal.models import (
    CheckIn,
    CheckInKind,
    Goal,
    Match,
    MatchStatus,
    MentorProfile,
    MentorTraining,
    Programme,
    ProgrammeKind,
    School,
    StudentProfile,
    User,
    Verification,
)
from portal.relationships import support

YEAR_PROGRAMME = "Riverside Mentoring: year in progress"
GOAL_TEMPLATES = [
    "Explore a career path and talk to someone who works in it",
    "Raise one grade by the end of the term",
    "Plan the next steps after high school",
    "Finish a small project together",
]
# Days since each match started: the first pairs passed 6 and 3 months recently.
STARTED_DAYS_AGO = (190, 100, 220, 120, 60, 35, 14, 3)
FIT = ("good", "good", "good", "deciding", "not_good", "good", None, None)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(16), tzinfo=dt.UTC)


def _programme(school: School, counselor_id: int | None, today: dt.date) -> Programme:
    return Programme(
        school_id=school.id,
        name=YEAR_PROGRAMME,
        kind=ProgrammeKind.MENTORING,
        starts_on=today - dt.timedelta(days=230),
        ends_on=today + dt.timedelta(days=150),
        requires_training=True,
        goal_templates=GOAL_TEMPLATES,
        meeting_info="Every other Tuesday after school in the library, or online.",
        created_by_id=counselor_id,
    )


def _pairs(school: School, count: int) -> list[tuple[Any, MentorProfile]]:
    students = db.session.scalars(
        eligible_students_query(school.id).order_by(StudentProfile.id).limit(count)
    ).all()
    mentors = db.session.scalars(
        db.select(MentorProfile)
        .where(
            MentorProfile.school_id == school.id,
            MentorProfile.verification == Verification.VERIFIED,
        )
        .order_by(MentorProfile.id)
        .limit(count)
    ).all()
    return list(zip(students, mentors, strict=False))


def _meetings(match: Match, mentor: MentorProfile, started: dt.date, today: dt.date) -> None:
    """A meeting every fortnight; the student has confirmed all but the latest."""
    days = [started + dt.timedelta(days=d) for d in range(7, (today - started).days - 1, 14)]
    for i, day in enumerate(days):
        confirmed = _at(day) if i < len(days) - 1 else None
        db.session.add(
            CheckIn(
                match_id=match.id,
                author_id=mentor.user_id,
                kind=CheckInKind.MEETING,
                met_on=day,
                minutes=45 + 15 * (i % 2),
                mode="in_person" if i % 3 else "online",
                note="We talked about school and next steps.",
                created_at=_at(day),
                confirmed_at=confirmed,
            )
        )
    match.last_meeting_on = days[-1] if days else None


def _goals(match: Match, index: int, started: dt.date, today: dt.date) -> None:
    first, second = GOAL_TEMPLATES[index % 4], GOAL_TEMPLATES[(index + 1) % 4]
    done = today - dt.timedelta(days=8 + index) if (today - started).days > 90 else None
    db.session.add(
        Goal(
            match_id=match.id,
            text=first,
            status="achieved" if done else "in_progress",
            achieved_on=done,
        )
    )
    db.session.add(Goal(match_id=match.id, text=second, status="not_started"))


def _agreement(programme: Programme, started: dt.date, agreed: bool) -> dict[str, Any]:
    if not agreed:
        return {}
    return {
        "meets_every": "fortnightly",
        "first_meeting_on": started + dt.timedelta(days=7),
        "agreed_at": _at(started),
        "agreed_by_id": programme.created_by_id,
    }


def _match(
    programme: Programme, pair: tuple[Any, MentorProfile], index: int, today: dt.date
) -> None:
    student, mentor = pair
    started = today - dt.timedelta(days=STARTED_DAYS_AGO[index])
    agreed = index < len(STARTED_DAYS_AGO) - 1  # the newest pair still needs its agreement
    recent = index < len(STARTED_DAYS_AGO) - 2
    supported = max(started, today - dt.timedelta(days=3 + 4 * index)) if recent else None
    match = Match(
        **_agreement(programme, started, agreed),
        programme_id=programme.id,
        student_id=student.id,
        kind="mentor",
        mentor_id=mentor.id,
        status=MatchStatus.ACTIVE,
        score=round(0.82 - index * 0.03, 2),
        approved_by_id=programme.created_by_id,
        started_at=_at(started),
        student_fit=FIT[index],
        mentor_fit="good" if FIT[index] else None,
        # The school kept in touch with most pairs; the last two are due a support contact.
        last_support_on=supported,
        support_due_on=support.next_due(programme, started, supported),
    )
    db.session.add(match)
    db.session.flush()
    _meetings(match, mentor, started, today)
    if agreed:
        _goals(match, index, started, today)
    db.session.add(
        MentorTraining(
            user_id=mentor.user_id,
            course="Safe and effective mentoring (MENTOR's Elements)",
            completed_on=started - dt.timedelta(days=20),
            hours=3,
            recorded_by_id=programme.created_by_id,
        )
    )


def seed_year_matches(join_code: str, counselor_email: str) -> bool:
    """Add the year in progress to the demo school once; True when something was added."""
    school = db.session.scalar(db.select(School).where(School.join_code == join_code))
    if school is None or db.session.scalar(
        db.select(Programme.id).where(Programme.name == YEAR_PROGRAMME)
    ):
        return False
    today = dt.date.today()
    counselor = db.session.scalar(db.select(User.id).where(User.email == counselor_email))
    programme = _programme(school, counselor, today)
    db.session.add(programme)
    db.session.flush()
    for index, pair in enumerate(_pairs(school, len(STARTED_DAYS_AGO))):
        _match(programme, pair, index, today)
    db.session.commit()
    return True
