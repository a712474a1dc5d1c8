"""What the student's and mentor's homes show of each relationship's year (fixed queries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.models import Match, MentorProfile
from portal.relationships import queries
from portal.relationships.agreements import RHYTHM_WORDS
from portal.relationships.forms import (
    AgreementForm,
    ConfirmMeetingForm,
    FitForm,
    GoalStatusForm,
)


def year_context(matches: list[Match], today: dt.date | None = None) -> dict[str, Any]:
    """Meetings, milestones and the year's blank forms for the given matches."""
    today = today or dt.date.today()
    meetings = queries.meetings_by_match([m.id for m in matches])
    return {
        "meetings": meetings,
        "milestones": {m.id: queries.milestones_of(m, meetings[m.id], today) for m in matches},
        "goal_form": GoalStatusForm(formdata=None),
        "confirm_form": ConfirmMeetingForm(formdata=None),
        "fit_form": FitForm(formdata=None),
        "agreement_form": AgreementForm(formdata=None),
        "rhythm_words": RHYTHM_WORDS,
    }


def mentor_extras(mentor: MentorProfile | None, today: dt.date | None = None) -> dict[str, Any]:
    """What a mentor still needs before a programme may match them."""
    if mentor is None:
        return {"training_needed": []}
    return {"training_needed": queries.training_needed(mentor, today or dt.date.today())}
