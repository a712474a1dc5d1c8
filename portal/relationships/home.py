"""What the homes of students, mentors and organisations show of their matches (fixed queries).

The views build it here and pass it to the templates (``rel``); the students it holds are the
ones a partner's page shows, and so the ones the view audits (:func:`students_shown`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.models import Match, MentorProfile, StudentProfile, User
from portal.relationships import queries
from portal.relationships.agreements import RHYTHM_WORDS
from portal.relationships.forms import (
    AgreementForm,
    ConfirmMeetingForm,
    FeedbackForm,
    FitForm,
    GoalStatusForm,
    MeetingForm,
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


def student_home(user: User) -> dict[str, Any]:
    """A student's live matches with their year, the feedback form and open exit surveys."""
    student = queries.student_of(user)
    matches = queries.student_matches(student) if student else []
    return {
        "student": student,
        "matches": matches,
        "feedback_form": FeedbackForm(formdata=None),
        "open_surveys": queries.open_surveys(user.id),
        **year_context(matches),
    }


def mentor_home(user: User) -> dict[str, Any]:
    """A mentor's live mentees with their year, the meeting form, training still needed and
    open exit surveys."""
    mentor = queries.mentor_of(user)
    matches = queries.mentor_matches(mentor) if mentor else []
    return {
        "mentor": mentor,
        "matches": matches,
        "meeting_form": MeetingForm(formdata=None),
        "open_surveys": queries.open_surveys(user.id),
        **year_context(matches),
        **mentor_extras(mentor),
    }


def organisation_home(user: User) -> dict[str, Any]:
    """An organisation's projects with their live matches, and open exit surveys."""
    organisation = queries.organisation_of(user)
    rosters = queries.organisation_rosters(organisation) if organisation else []
    return {
        "organisation": organisation,
        "rosters": rosters,
        "open_surveys": queries.open_surveys(user.id),
    }


def students_shown(rel: dict[str, Any]) -> list[StudentProfile]:
    """The students a partner's home or page shows from ``rel``, each once."""
    matches = list(rel.get("matches", []))
    matches += [match for _project, live in rel.get("rosters", []) for match in live]
    return list(dict.fromkeys(match.student for match in matches))
