"""State changes of the counselor area: background checks and partner verification.

Each function takes plain arguments, commits once and writes its audit event; the partner
is told by email through the outbox.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from flask_babel import gettext as _
from sqlalchemy import select

from portal import audit
from portal.extensions import db
from portal.i18n import in_language, locale_date
from portal.links import public_url
from portal.mail import queue_email
from portal.models import (
    BackgroundCheck,
    CheckKind,
    Match,
    MentorProfile,
    Organisation,
    StudentProfile,
    User,
    Verification,
    utcnow,
)
from portal.safeguarding.checks import pause_partner_matches, valid_check
from portal.signup.profiles import CONSENT_NEEDED_REASON as CONSENT_NEEDED_REASON
from portal.signup.profiles import change_student_details

Partner = MentorProfile | Organisation
DECLINED_REASON = "partner declined"


class NoValidCheckError(Exception):
    """A partner cannot be verified without a passed, unexpired background check."""


def partner_kind(partner: Partner) -> str:
    """``mentor`` or ``organisation`` (the URL segment and the audit object type)."""
    return "mentor" if isinstance(partner, MentorProfile) else "organisation"


def record_check(
    counselor: User,
    partner: Partner,
    *,
    kind: CheckKind,
    reference: str,
    checked_on: dt.date,
    expires_on: dt.date,
    passed: bool,
) -> BackgroundCheck:
    """Record a background check of ``partner``, verified by ``counselor``."""
    check = BackgroundCheck(
        user_id=partner.user_id,
        kind=kind,
        reference=reference,
        checked_on=checked_on,
        expires_on=expires_on,
        passed=passed,
        verified_by_id=counselor.id,
    )
    db.session.add(check)
    db.session.flush()
    _audit(counselor, partner, "check_recorded", {"check": check.id, "passed": passed})
    with in_language(partner.user.language):
        queue_email(
            partner.user.email,
            _("Your background check is on record"),
            _(
                "Hello %(name)s,\n\nYour school has recorded a background check for your "
                "Mentorbridge account (checked on %(date)s).\n\n"
                "You will hear from us when your verification is complete.",
                name=partner.display_name,
                date=locale_date(checked_on, "long"),
            ),
        )
    db.session.commit()
    return check


def approve_partner(counselor: User, partner: Partner, today: dt.date | None = None) -> None:
    """Verify ``partner``; refuse (:class:`NoValidCheckError`) without a valid check on record."""
    check = valid_check(partner.user_id, today or dt.date.today())
    if check is None:
        raise NoValidCheckError("Record a passed, unexpired background check before approving.")
    partner.verification = Verification.VERIFIED
    partner.verified_at = utcnow()
    partner.verified_by_id = counselor.id
    partner.decline_reason = ""
    _audit(counselor, partner, "verified", {"check": check.id})
    with in_language(partner.user.language):
        queue_email(
            partner.user.email,
            _("You are verified on Mentorbridge"),
            _(
                "Hello %(name)s,\n\nGood news: %(school)s has verified your account. You can "
                "now be matched with students.",
                name=partner.display_name,
                school=partner.school.name,
            ),
        )
    db.session.commit()


def decline_partner(counselor: User, partner: Partner, reason: str) -> list[Match]:
    """Decline ``partner`` with a reason that they are sent; pause their live matches.

    A partner declined after verification keeps no active match: each is paused (audited,
    like an expired check) and the school's counselors are told. Returns the paused matches.
    """
    partner.verification = Verification.DECLINED
    partner.verified_at = None
    partner.verified_by_id = counselor.id
    partner.decline_reason = reason
    paused = pause_partner_matches(
        select(User.id).where(User.id == partner.user_id), DECLINED_REASON, counselor
    )
    _audit(counselor, partner, "declined", {"reason": reason, "paused": [m.id for m in paused]})
    with in_language(partner.user.language):
        queue_email(
            partner.user.email,
            _("Your Mentorbridge verification"),
            _(
                "Hello %(name)s,\n\n%(school)s could not verify your account.\n\n"
                "Reason given: %(reason)s\n\nReply to your school's counselor if you have "
                "questions.",
                name=partner.display_name,
                school=partner.school.name,
                reason=reason,
            ),
        )
    if paused:
        _tell_counselors(partner, len(paused))
    db.session.commit()
    return paused


def _tell_counselors(partner: Partner, paused: int) -> None:
    # No names in email: the matches are listed behind the login.
    link = public_url("counselor.partner", kind=partner_kind(partner), partner_id=partner.id)
    for counselor in partner.school.counselors:
        if counselor.active:
            queue_email(
                counselor.email,
                "Matches paused: a partner was declined",
                f"A {partner_kind(partner)} of {partner.school.name} was declined after "
                f"verification; {paused} live match(es) with students are now paused.\n\n"
                f"Review them here:\n{link}",
            )


class StudentDetails(TypedDict):
    """The school's record of a student, as ``StudentDetailsForm.values()`` gives it."""

    first_name: str
    last_name: str
    grade: int
    date_of_birth: dt.date | None
    is_minor: bool


def update_student_details(
    actor: User, student: StudentProfile, values: StudentDetails
) -> list[str]:
    """Change a student's name, grade, date of birth or minor status; commit
    (:func:`portal.signup.profiles.change_student_details`, which an import calls too).

    The audit event names the changed fields, never their values. A student who becomes a
    minor needs a guardian's consent again: consent goes back to awaiting (so no new
    proposal) and their live matches are paused until it is recorded. One who becomes an
    adult needs none. Returns the changed field names (empty when nothing changed).
    """
    changed = change_student_details(actor, student, values)
    if changed:
        db.session.commit()
    return changed


def record_student_list(actor: User, filters: dict[str, str], shown: list[StudentProfile]) -> None:
    """Audit each student ``actor`` listed, with the filters but never the search term; commit."""
    detail = {
        "filters": {name: value for name, value in filters.items() if name != "q"},
        "searched": bool(filters.get("q")),
    }
    audit.record_students_seen(actor, [(s.id, s.school_id) for s in shown], "student.list", detail)


def _audit(counselor: User, partner: Partner, what: str, detail: dict[str, Any]) -> None:
    audit.record_about(partner, f"{partner_kind(partner)}.{what}", actor=counselor, detail=detail)


def record_list_view(counselor: User, page: str, student_ids: list[int]) -> None:
    """Audit, in one event, that ``counselor`` saw a list naming these students."""
    if student_ids:
        audit.record(
            "student.list_view",
            actor=counselor,
            object_type="student",
            detail={"page": page, "students": sorted(set(student_ids))},
        )
        db.session.commit()
