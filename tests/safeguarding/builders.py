"""Builders for safeguarding tests: programmes and matches (commit like ``tests.factories``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.extensions import db
from portal.models import (
    CheckIn,
    CheckInKind,
    Match,
    MatchStatus,
    MentorProfile,
    Programme,
    ProgrammeKind,
    Project,
    School,
    StudentProfile,
)


def make_programme(school: School, **fields: Any) -> Programme:
    today = dt.date.today()
    values: dict[str, Any] = {
        "name": "Spring mentoring",
        "kind": ProgrammeKind.BOTH,
        "starts_on": today - dt.timedelta(days=30),
        "ends_on": today + dt.timedelta(days=90),
        "meeting_info": "Tuesdays in the library",
    }
    values.update(fields)
    programme = Programme(school_id=school.id, **values)
    db.session.add(programme)
    db.session.commit()
    return programme


def make_match(
    student: StudentProfile,
    mentor: MentorProfile | None = None,
    project: Project | None = None,
    programme: Programme | None = None,
    status: MatchStatus = MatchStatus.ACTIVE,
) -> Match:
    programme = programme or make_programme(student.school)
    match = Match(
        programme_id=programme.id,
        student_id=student.id,
        kind="mentor" if mentor else "project",
        mentor_id=mentor.id if mentor else None,
        project_id=project.id if project else None,
        status=status,
        score=0.8,
    )
    db.session.add(match)
    db.session.commit()
    return match


def make_check_in(match: Match, author_id: int, note: str = "We met and talked.") -> CheckIn:
    check_in = CheckIn(
        match_id=match.id,
        author_id=author_id,
        kind=CheckInKind.MEETING,
        met_on=dt.date.today(),
        minutes=45,
        mode="online",
        note=note,
    )
    db.session.add(check_in)
    match.last_meeting_on = check_in.met_on  # as the meeting service keeps it
    db.session.commit()
    return check_in
