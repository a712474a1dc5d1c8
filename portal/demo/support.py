"""Demo data for support and closure: live matches with support contacts, two closed matches
with exit surveys (called by ``flask seed-demo``; the year's goals and meetings live beside)."""

from __future__ import annotations

import datetime as dt

from portal.extensions import db
from portal.models import (
    ConsentStatus,
    ExitSurvey,
    Match,
    MatchStatus,
    MentorProfile,
    Programme,
    StudentProfile,
    SupportContact,
    Verification,
)
from portal.relationships import closure, support

# (days since the match began, days since the last meeting or None, support contacts' ages)
LIVE = [(120, 6, [110, 95, 70, 35]), (75, 30, [60]), (40, None, []), (20, 3, [5])]
CLOSED = [
    ("completed", "A full year; goals reached.", (5, "all", True, "It helped me a lot.")),
    ("schedule", "Could not find a shared slot after the timetable change.", None),
]


def seed_year_support(programme: Programme, counselor_id: int, today: dt.date) -> None:
    """Add live matches with support contacts and two closed ones with exit surveys."""
    students = _students(programme.school_id)
    mentors = _mentors(programme.school_id)
    pairs = list(zip(students, mentors, strict=False))
    for (student, mentor), (age, met, contacts) in zip(pairs, LIVE, strict=False):
        match = _match(programme, student, mentor, today - dt.timedelta(days=age))
        match.last_meeting_on = today - dt.timedelta(days=met) if met is not None else None
        for days in contacts:
            _contact(match, counselor_id, today - dt.timedelta(days=days))
        match.support_due_on = support.next_due(
            programme, match.started_at.date(), match.last_support_on
        )
    for (student, mentor), closing in zip(pairs[len(LIVE) :], CLOSED, strict=False):
        match = _match(programme, student, mentor, today - dt.timedelta(days=200))
        _close(match, student, mentor, closing, today)


def _students(school_id: int) -> list[StudentProfile]:
    """The newest matchable students of the school (six at most)."""
    query = db.select(StudentProfile).where(
        StudentProfile.school_id == school_id,
        StudentProfile.profile_complete.is_(True),
        StudentProfile.consent_status.in_((ConsentStatus.GIVEN, ConsentStatus.NOT_NEEDED)),
    )
    return list(db.session.scalars(query.order_by(StudentProfile.id.desc()).limit(6)))


def _mentors(school_id: int) -> list[MentorProfile]:
    """The newest verified mentors of the school (six at most)."""
    query = db.select(MentorProfile).where(
        MentorProfile.school_id == school_id, MentorProfile.verification == Verification.VERIFIED
    )
    return list(db.session.scalars(query.order_by(MentorProfile.id.desc()).limit(6)))


def _match(
    programme: Programme, student: StudentProfile, mentor: MentorProfile, started: dt.date
) -> Match:
    match = Match(
        programme_id=programme.id,
        student_id=student.id,
        kind="mentor",
        mentor_id=mentor.id,
        score=0.7,
        started_at=dt.datetime.combine(started, dt.time(15), tzinfo=dt.UTC),
    )
    db.session.add(match)
    db.session.flush()
    return match


def _contact(match: Match, counselor_id: int, day: dt.date) -> None:
    db.session.add(
        SupportContact(
            match_id=match.id,
            counselor_id=counselor_id,
            contacted_on=day,
            channel="phone",
            with_whom="mentor",
            note="Checked in: meetings are going well.",
        )
    )
    match.last_support_on = max(day, match.last_support_on or day)


def _close(
    match: Match,
    student: StudentProfile,
    mentor: MentorProfile,
    closing: tuple[str, str, tuple[int, str, bool, str] | None],
    today: dt.date,
) -> None:
    reason, note, answers = closing
    ended = dt.datetime.combine(today - dt.timedelta(days=10), dt.time(16), tzinfo=dt.UTC)
    match.status = MatchStatus.ENDED
    match.ended_at = ended
    match.closure_reason = reason
    match.end_reason = closure.REASONS[reason]
    match.closing_note = note
    sides = {"student": student.user_id, "partner": mentor.user_id}
    for side, user_id in sides.items():
        survey = ExitSurvey(match_id=match.id, respondent=side, user_id=user_id, sent_at=ended)
        if answers is not None:
            survey.satisfaction, survey.goal_progress, survey.would_recommend, survey.comment = (
                answers
            )
            survey.answered_at = ended + dt.timedelta(days=2)
        db.session.add(survey)
