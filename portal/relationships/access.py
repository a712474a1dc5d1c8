"""Load a match or an exit survey, or 404: scoped to the caller's schools, or to its own
mentor, student or respondent (an ended match is gone for its mentor and student)."""

from __future__ import annotations

from flask import abort

from portal import policy
from portal.extensions import db
from portal.models import ExitSurvey, Match, MatchStatus, User


def staff_match_or_404(actor: User, match_id: int) -> Match:
    """The match if ``actor`` works for its programme's school and the student's, else 404."""
    match = db.session.get(Match, match_id)
    if match is None:
        abort(404)
    policy.check_school(actor, match.programme.school_id)
    policy.check_school(actor, match.student.school_id)
    return match


def mentor_match_or_404(actor: User, match_id: int) -> Match:
    """The live match if ``actor`` is its mentor, else 404."""
    match = db.session.get(Match, match_id)
    if match is None or match.mentor is None or match.mentor.user_id != actor.id:
        abort(404)
    if match.status == MatchStatus.ENDED:
        abort(404)
    return match


def student_match_or_404(actor: User, match_id: int) -> Match:
    """The live match if ``actor`` is its student, else 404."""
    match = db.session.get(Match, match_id)
    if match is None or match.student.user_id != actor.id or match.status == MatchStatus.ENDED:
        abort(404)
    return match


def survey_or_404(actor: User, survey_id: int) -> ExitSurvey:
    """The exit survey if ``actor`` is asked to answer it, else 404."""
    survey = db.session.get(ExitSurvey, survey_id)
    if survey is None or survey.user_id != actor.id:
        abort(404)
    return survey
