"""Emails about matches: both sides hear of an approval or an ending (no contact details)."""

from __future__ import annotations

from portal.links import public_url
from portal.mail import queue_email
from portal.models import Match


def _partner_name(match: Match) -> str:
    if match.mentor is not None:
        return f"{match.mentor.first_name} {match.mentor.last_name}".strip()
    assert match.project is not None  # noqa: S101 - one partner (check constraint)
    return f"the project “{match.project.title}”"


def _partner_email(match: Match) -> str:
    if match.mentor is not None:
        return match.mentor.user.email
    assert match.project is not None  # noqa: S101 - one partner (check constraint)
    return match.project.organisation.user.email


def match_approved(match: Match) -> None:
    """Tell the student and the mentor (or organisation) that the school approved the pair."""
    home = public_url("main.home")
    student = match.student
    if student.user is not None:
        queue_email(
            student.user.email,
            "You have been matched on Mentorbridge",
            f"Hello {student.first_name},\n\nYour school has matched you with "
            f"{_partner_name(match)}. Log in to see who they are and how the programme "
            f"meets:\n{home}\n\nYour counselor arranges the first meeting.",
        )
    queue_email(
        _partner_email(match),
        "A student has been matched with you on Mentorbridge",
        f"The school has matched {student.first_name} (grade {student.grade}) with "
        f"{'you' if match.mentor else _partner_name(match)}. Log in to see what you may "
        f"know about the student:\n{home}\n\nThe school's counselor arranges the first "
        "meeting; please do not contact the student directly.",
    )


def match_ended(match: Match, survey_links: dict[str, str]) -> None:
    """Tell the student and the mentor (or organisation) that a match ended, each with the
    link to their exit survey (``survey_links`` by side: ``student``, ``partner``)."""
    survey = "\n\nHow did it go? Two minutes, and it helps the next pair:\n"
    partner_link = survey_links.get("partner")
    queue_email(
        _partner_email(match),
        "A Mentorbridge match has ended",
        f"The school has ended the match of {match.student.first_name} with "
        f"{'you' if match.mentor else _partner_name(match)}. Thank you for your time."
        + (survey + partner_link if partner_link else ""),
    )
    student_link = survey_links.get("student")
    if match.student.user is not None:
        queue_email(
            match.student.user.email,
            "Your Mentorbridge match has ended",
            f"Hello {match.student.first_name},\n\nYour school has ended your match with "
            f"{_partner_name(match)}. Your counselor can tell you what comes next."
            + (survey + student_link if student_link else ""),
        )
