"""Closure: ending a match with a reason, telling both sides, exit surveys and reminders.

Each side of an ended match gets an :class:`ExitSurvey` and an emailed, signed link to it
(``portal.links.public_url``); a logged-in student or partner can answer it from their
account too. One reminder goes out after :data:`REMIND_AFTER` unanswered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _

from portal import audit
from portal.auth.tokens import make_token, read_token
from portal.extensions import db
from portal.i18n import N_, in_language
from portal.links import public_url
from portal.mail import queue_email
from portal.models import ExitSurvey, Match, MatchStatus, PairRule, PairRuleKind, User, utcnow
from portal.relationships import notices

# English, as stored on the match (end_reason); shown through ``_()``.
REASONS = {
    "completed": N_("Completed"),
    "moved": N_("Moved away"),
    "schedule": N_("Schedules did not fit"),
    "not_good_fit": N_("Not a good fit"),
    "safeguarding": N_("Safeguarding"),
    "other": N_("Other"),
}
GOAL_PROGRESS = {
    "none": N_("Not yet"),
    "some": N_("Some progress"),
    "most": N_("Most goals reached"),
    "all": N_("All goals reached"),
}
SURVEY = "exit-survey"
SURVEY_MAX_AGE = 60 * 60 * 24 * 60  # the emailed link works for 60 days
REMIND_AFTER = dt.timedelta(days=7)


@dataclass(frozen=True)
class Closing:
    """How a counselor closes a match."""

    reason: str  # a key of REASONS
    note: str
    continues_next_year: bool
    forbid: bool  # never propose the pair again (a school-wide rule)
    may_repropose: bool  # a later run may propose the pair again


@dataclass(frozen=True)
class Answer:
    """An exit survey's answers."""

    satisfaction: int
    goal_progress: str
    would_recommend: bool
    comment: str


def close_match(actor: User, match: Match, closing: Closing) -> list[ExitSurvey]:
    """End a live match, tell both sides and send each an exit survey; commit once."""
    if match.status == MatchStatus.ENDED:
        return []
    match.status = MatchStatus.ENDED
    match.ended_at = utcnow()
    match.closure_reason = closing.reason
    match.closing_note = closing.note
    match.end_reason = REASONS[closing.reason]
    match.continues_next_year = closing.continues_next_year
    match.may_repropose = closing.may_repropose and not closing.forbid
    if closing.forbid:
        reason = f"Match ended: {REASONS[closing.reason]}"
        db.session.add(PairRule.for_pair(match, PairRuleKind.FORBID, reason, actor.id))
    surveys = _surveys(match)
    detail = {"reason": closing.reason, "forbid": closing.forbid, "again": match.may_repropose}
    audit.record_about(match, "match.ended", actor=actor, detail=detail)
    notices.match_ended(match, {s.respondent: survey_link(s) for s in surveys})
    db.session.commit()
    return surveys


def _surveys(match: Match) -> list[ExitSurvey]:
    """One survey per side that has an account (an imported student may have none)."""
    users = {"student": match.student.user, "partner": _partner_user(match)}
    surveys = [
        ExitSurvey(match_id=match.id, respondent=side, user_id=user.id)
        for side, user in users.items()
        if user is not None
    ]
    db.session.add_all(surveys)
    db.session.flush()
    return surveys


def _partner_user(match: Match) -> User | None:
    if match.mentor is not None:
        return match.mentor.user
    assert match.project is not None  # noqa: S101 - one partner (check constraint)
    return match.project.organisation.user


def survey_link(survey: ExitSurvey) -> str:
    """The absolute, signed link to ``survey`` (it needs an id)."""
    token = make_token(SURVEY, {"x": survey.id})
    return public_url("relationships.exit_survey_link", token=token)


def survey_for_token(token: str) -> ExitSurvey | None:
    """The survey a valid link is for, while it is unanswered."""
    payload = read_token(SURVEY, token, SURVEY_MAX_AGE)
    if payload is None or not isinstance(payload.get("x"), int):
        return None
    survey = db.session.get(ExitSurvey, payload["x"])
    return survey if survey is not None and survey.answered_at is None else None


def answer_exit_survey(survey: ExitSurvey, actor: User | None, answer: Answer) -> None:
    """Store one side's answers (once) and commit."""
    if survey.answered_at is not None:
        return
    survey.answered_at = utcnow()
    survey.satisfaction = answer.satisfaction
    survey.goal_progress = answer.goal_progress
    survey.would_recommend = answer.would_recommend
    survey.comment = answer.comment
    detail = {
        "survey": survey.id,
        "respondent": survey.respondent,
        "via": "account" if actor else "link",
    }
    audit.record_about(survey.match, "match.exit_survey_answered", actor=actor, detail=detail)
    db.session.commit()


def record_survey_opened(survey: ExitSurvey, actor: User | None) -> None:
    """Audit that a survey page (which names the other side) was shown, and commit."""
    detail: dict[str, object] = {"survey": survey.id, "via": "account" if actor else "link"}
    audit.record_about(survey.match, "match.exit_survey_opened", actor=actor, detail=detail)
    db.session.commit()


def send_exit_survey_reminders(now: dt.datetime | None = None) -> int:
    """Remind each side once of a survey unanswered for a week; returns how many were sent."""
    cutoff = (now or utcnow()) - REMIND_AFTER
    due = list(
        db.session.scalars(
            db.select(ExitSurvey).where(
                ExitSurvey.answered_at.is_(None),
                ExitSurvey.reminded_at.is_(None),
                ExitSurvey.sent_at <= cutoff,
                ExitSurvey.user_id.is_not(None),
            )
        )
    )
    for survey in due:
        assert survey.user is not None  # noqa: S101 - filtered above
        with in_language(survey.user.language):
            queue_email(
                survey.user.email,
                _("A reminder: two minutes about your Mentorbridge match"),
                _(
                    "Your school would still like to hear how your match went. The survey "
                    "takes two minutes:\n%(link)s\n\nThis is the only reminder.",
                    link=survey_link(survey),
                ),
            )
        survey.reminded_at = now or utcnow()
    db.session.commit()
    return len(due)
