"""Match start (Matching and Initiating): the pair's agreement, told to a minor's guardian."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from portal import audit
from portal.extensions import db
from portal.i18n import in_language, locale_date
from portal.i18n import lazy_text as _l
from portal.links import public_url
from portal.mail import queue_email
from portal.models import Goal, Match, MatchStatus, User, utcnow

RHYTHM_WORDS = {
    "weekly": _l("every week"),
    "fortnightly": _l("every two weeks"),
    "monthly": _l("every month"),
}


class AgreementRefusedError(Exception):
    """The match already has its agreement, or has ended."""


def agree_start(
    actor: User, match: Match, goals: list[str], meets_every: str, first_meeting_on: dt.date
) -> None:
    """Record the agreement (goals, rhythm, first meeting) once; tell a minor's guardian."""
    if match.agreed_at is not None:
        raise AgreementRefusedError(_("This match already has its agreement."))
    if match.status == MatchStatus.ENDED:
        raise AgreementRefusedError(_("This match has ended."))
    match.meets_every = meets_every
    match.first_meeting_on = first_meeting_on
    match.agreed_at = utcnow()
    match.agreed_by_id = actor.id
    for text in goals:
        db.session.add(Goal(match_id=match.id, text=text))
    audit.record_about(
        match, "match.agreed", actor=actor, detail={"goals": len(goals), "meets_every": meets_every}
    )
    _tell_guardian(match, goals)
    db.session.commit()


def _tell_guardian(match: Match, goals: list[str]) -> None:
    student = match.student
    if not (student.is_minor and student.guardian_email):
        return
    with in_language(student.guardian_language):
        partner = _("a mentor") if match.mentor is not None else _("a community project")
        lines = "\n".join(f"- {goal}" for goal in goals)
        names = {"student": student.first_name, "partner": partner}
        queue_email(
            student.guardian_email,
            _("What %(student)s and %(partner)s agreed on Mentorbridge", **names),
            _(
                "Hello %(guardian)s,\n\n%(student)s has started with %(partner)s in the "
                "programme “%(programme)s”. They agreed on these goals:\n%(goals)s\n\n"
                "They will meet %(rhythm)s, first on %(first)s. The school arranges every "
                "meeting.\n\nQuestions? Contact the school: %(link)s",
                guardian=student.guardian_name or _("there"),
                programme=match.programme.name,
                goals=lines,
                rhythm=str(RHYTHM_WORDS.get(match.meets_every or "", "")),
                first=locale_date(match.first_meeting_on, "long"),
                link=public_url("main.index"),
                **names,
            ),
        )
