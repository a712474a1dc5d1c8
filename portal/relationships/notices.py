"""Emails about matches: both sides hear of an approval or an ending (no contact details).

Each email is in its recipient's language (``User.language``).
"""

from __future__ import annotations

from flask_babel import gettext as _

from portal.i18n import in_language
from portal.links import public_url
from portal.mail import queue_email
from portal.models import Match, User


def _partner_name(match: Match) -> str:
    if match.mentor is not None:
        return match.mentor.display_name
    assert match.project is not None  # noqa: S101 - one partner (check constraint)
    return str(_("the project “%(title)s”", title=match.project.title))


def _partner_user(match: Match) -> User:
    if match.mentor is not None:
        return match.mentor.user
    assert match.project is not None  # noqa: S101 - one partner (check constraint)
    return match.project.organisation.user


def match_approved(match: Match) -> None:
    """Tell the student and the mentor (or organisation) that the school approved the pair."""
    home = public_url("main.home")
    student = match.student
    if student.user is not None:
        with in_language(student.user.language):
            queue_email(
                student.user.email,
                _("You have been matched on Mentorbridge"),
                _(
                    "Hello %(first_name)s,\n\nYour school has matched you with %(partner)s. "
                    "Log in to see who they are and how the programme meets:\n%(home)s\n\n"
                    "Your counselor arranges the first meeting.",
                    first_name=student.first_name,
                    partner=_partner_name(match),
                    home=home,
                ),
            )
    partner = _partner_user(match)
    with in_language(partner.language):
        queue_email(
            partner.email,
            _("A student has been matched with you on Mentorbridge"),
            _(
                "The school has matched %(first_name)s (grade %(grade)s) with %(partner)s. "
                "Log in to see what you may know about the student:\n%(home)s\n\n"
                "The school's counselor arranges the first meeting; please do not contact "
                "the student directly.",
                first_name=student.first_name,
                grade=student.grade,
                partner=_("you") if match.mentor else _partner_name(match),
                home=home,
            ),
        )


def match_ended(match: Match, survey_links: dict[str, str]) -> None:
    """Tell the student and the mentor (or organisation) that a match ended, each in their
    language with the link to their exit survey (``survey_links`` by side: ``student``,
    ``partner``)."""
    partner = _partner_user(match)
    partner_link = survey_links.get("partner")
    with in_language(partner.language):
        queue_email(
            partner.email,
            _("A Mentorbridge match has ended"),
            _(
                "The school has ended the match of %(first_name)s with %(partner)s. "
                "Thank you for your time.",
                first_name=match.student.first_name,
                partner=_("you") if match.mentor else _partner_name(match),
            )
            + _survey(partner_link),
        )
    student = match.student
    if student.user is not None:
        with in_language(student.user.language):
            queue_email(
                student.user.email,
                _("Your Mentorbridge match has ended"),
                _(
                    "Hello %(first_name)s,\n\nYour school has ended your match with "
                    "%(partner)s. Your counselor can tell you what comes next.",
                    first_name=student.first_name,
                    partner=_partner_name(match),
                )
                + _survey(survey_links.get("student")),
            )


def _survey(link: str | None) -> str:
    """The exit survey's paragraph of an email, in the current language ('' without a link)."""
    if not link:
        return ""
    invitation = str(_("How did it go? Two minutes, and it helps the next pair:"))
    return f"\n\n{invitation}\n{link}"
