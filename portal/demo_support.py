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
    students = _last(StudentProfile, StudentProfile.school_id == programme.school_id)
    mentors = _last(MentorProfile, MentorProfile.school_id == programme.school_id)
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


def _last(model: type[StudentProfile] | type[MentorProfile], where: object) -> list[object]:
    """The newest matchable students (consenting) or verified mentors, six at most."""
    if model is StudentProfile:
        ok = StudentProfile.consent_status.in_((ConsentStatus.GIVEN, ConsentStatus.NOT_NEEDED))
        extra = [ok, StudentProfile.profile_complete.is_(True)]
    else:
        extra = [MentorProfile.verification == Verification.VERIFIED]
    query = db.select(model).where(where, *extra).order_by(model.id.desc()).limit(6)
    return list(db.session.scalars(query))


def _match(programme: Programme, student: object, mentor: object, started: dt.date) -> Match:
    match = Match(
        programme_id=programme.id,
        student_id=student.id,  # type: ignore[attr-defined]
        kind="mentor",
        mentor_id=mentor.id,  # type: ignore[attr-defined]
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
    student: object,
    mentor: object,
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
    sides = {"student": student.user_id, "partner": mentor.user_id}  # type: ignore[attr-defined]
    for side, user_id in sides.items():
        survey = ExitSurvey(match_id=match.id, respondent=side, user_id=user_id, sent_at=ended)
        if answers is not None:
            survey.satisfaction, survey.goal_progress, survey.would_recommend, survey.comment = (
                answers
            )
            survey.answered_at = ended + dt.timedelta(days=2)
        db.session.add(survey)
