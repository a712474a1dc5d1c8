"""A small hand-built world whose outcome figures are known exactly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.extensions import db
from portal.models import (
    CheckIn,
    CheckInKind,
    ConsentStatus,
    ExitSurvey,
    Goal,
    Match,
    MatchRun,
    MatchStatus,
    Programme,
    RunStatus,
    SupportContact,
)
from tests import factories
from tests.conftest import World
from tests.factories import make_match, make_programme

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


@dataclass
class ReportWorld(World):
    """The base world with a year's programme and three matches (see ``new``)."""

    programme: Programme
    matches: list[Match]

    @classmethod
    def new(cls) -> ReportWorld:  # type: ignore[override]
        """The report world (what it holds: :func:`_build`)."""
        return _build()


def _meeting(match: Match, author_id: int, on: dt.date, minutes: int, confirmed: bool) -> None:
    confirmed_at = NOW if confirmed else None
    db.session.add(
        CheckIn(match_id=match.id, author_id=author_id, kind=CheckInKind.MEETING, met_on=on,
                minutes=minutes, mode="online", confirmed_at=confirmed_at)
    )  # fmt: skip


def _build() -> ReportWorld:
    """Five eligible students (plus one awaiting consent), three matched (two mentors, one
    project), lengths 30, 200 and 400 days, four meetings of which three are confirmed
    (60 + 30 + 90 minutes), three goals of which one is achieved, and a run that left two
    students unmatched (one for grade, one for language). The ended match closed because the
    student moved; both its sides answered the exit survey (4 and 5); one support contact."""
    base = World.new(name="Hill School", join_code="HILL")
    school, counselor = base.school, base.counselor
    programme = make_programme(school, name="Year mentoring")
    students = [factories.make_student(school, first_name=f"S{i}") for i in range(5)]
    factories.make_student(school, consent_status=ConsentStatus.AWAITING)
    mentors = [factories.make_mentor(school), factories.make_mentor(school)]
    project = factories.make_project(factories.make_organisation(school))
    matches = [
        make_match(students[0], mentors[0], programme=programme),
        make_match(students[1], mentors[1], programme=programme, status=MatchStatus.ENDED),
        make_match(students[2], project=project, programme=programme),
    ]
    for match, days in zip(matches, (30, 200, 400), strict=True):
        match.started_at = NOW - dt.timedelta(days=days)
    matches[1].started_at = NOW - dt.timedelta(days=300)
    matches[1].ended_at = NOW - dt.timedelta(days=100)
    matches[1].closure_reason = "moved"
    db.session.add_all(
        [
            ExitSurvey(match_id=matches[1].id, respondent="student", satisfaction=4,
                       goal_progress="some", would_recommend=True, answered_at=NOW,
                       comment="=secret comment"),
            ExitSurvey(match_id=matches[1].id, respondent="partner", satisfaction=5,
                       goal_progress="most", would_recommend=False, answered_at=NOW),
        ]
    )  # fmt: skip
    db.session.add(
        SupportContact(match_id=matches[0].id, counselor_id=counselor.id, channel="phone",
                       with_whom="guardian", contacted_on=dt.date(2026, 11, 10),
                       note="Private note")
    )  # fmt: skip
    mentor_user = mentors[0].user_id
    _meeting(matches[0], mentor_user, dt.date(2026, 10, 5), 60, True)
    _meeting(matches[0], mentor_user, dt.date(2026, 11, 2), 30, True)
    _meeting(matches[0], mentor_user, dt.date(2026, 11, 20), 45, False)
    _meeting(matches[2], mentor_user, dt.date(2026, 11, 3), 90, True)
    db.session.add_all(
        [
            Goal(match_id=matches[0].id, text="Learn Python", status="achieved"),
            Goal(match_id=matches[0].id, text="Visit a lab", status="in_progress"),
            Goal(match_id=matches[2].id, text="Build a bed"),
        ]
    )
    unmatched = {
        "mentor": [
            {"student_id": students[3].id, "code": "grade_outside_band"},
            {"student_id": students[4].id, "code": "no_common_language"},
        ]
    }
    db.session.add(MatchRun(programme_id=programme.id, status=RunStatus.FAILED))
    db.session.add(
        MatchRun(programme_id=programme.id, status=RunStatus.SUCCEEDED, unmatched=unmatched)
    )
    db.session.commit()
    return ReportWorld(school, counselor, programme, matches)
