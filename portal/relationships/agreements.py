"""Match start (Matching and Initiating): the pair's agreement, told to a minor's guardian."""

from __future__ import annotations

import datetime as dt

from portal.extensions import db
from portal.links import public_url
from portal.mail import queue_email
from portal.models import Goal, Match, MatchStatus, User, utcnow
from portal.relationships.events import record as _audit

RHYTHM_WORDS = {"weekly": "every week", "fortnightly": "every two weeks", "monthly": "every month"}


class AgreementRefusedError(Exception):
    """The match already has its agreement, or has ended."""


def agree_start(
    actor: User, match: Match, goals: list[str], meets_every: str, first_meeting_on: dt.date
) -> None:
    """Record the agreement (goals, rhythm, first meeting) once; tell a minor's guardian."""
    if match.agreed_at is not None:
        raise AgreementRefusedError("This match already has its agreement.")
    if match.status == MatchStatus.ENDED:
        raise AgreementRefusedError("This match has ended.")
    match.meets_every = meets_every
    match.first_meeting_on = first_meeting_on
    match.agreed_at = utcnow()
    match.agreed_by_id = actor.id
    for text in goals:
        db.session.add(Goal(match_id=match.id, text=text))
    _audit("match.agreed", actor, match, {"goals": len(goals), "meets_every": meets_every})
    _tell_guardian(match, goals)
    db.session.commit()


def _tell_guardian(match: Match, goals: list[str]) -> None:
    student = match.student
    if not (student.is_minor and student.guardian_email):
        return
    partner = "a mentor" if match.mentor is not None else "a community project"
    lines = "\n".join(f"- {goal}" for goal in goals)
    queue_email(
        student.guardian_email,
        f"What {student.first_name} and {partner} agreed on Mentorbridge",
        f"Hello {student.guardian_name or 'there'},\n\n{student.first_name} has started with "
        f"{partner} in the programme “{match.programme.name}”. They agreed on these goals:\n"
        f"{lines}\n\nThey will meet {RHYTHM_WORDS.get(match.meets_every or '', '')}, first on "
        f"{match.first_meeting_on:%d %B %Y}. The school arranges every meeting.\n\n"
        f"Questions? Contact the school: {public_url('main.index')}",
    )
