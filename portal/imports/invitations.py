"""Sign-up invitations to local professionals and organisations, from a pasted or uploaded list."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from portal import audit
from portal.extensions import db
from portal.imports.reading import UploadError, _decode, read_table
from portal.links import public_url
from portal.mail import queue_email
from portal.models import PartnerInvitation, School, User, utcnow

MAX_EMAILS = 500
AGAIN_AFTER = dt.timedelta(days=7)
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass
class Outcome:
    """Who was invited, and who was skipped with the reason."""

    sent: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def emails_in(text: str) -> list[str]:
    """The words of ``text`` (split at spaces, commas, semicolons and new lines)."""
    return [word.strip("<>\"'") for word in _SEPARATORS.split(text) if word.strip("<>\"'")]


def emails_in_file(filename: str, data: bytes, max_bytes: int) -> list[str]:
    """Every cell or word of an uploaded .csv, .txt or .xlsx list (``UploadError`` if bad)."""
    if filename.lower().endswith(".xlsx"):
        table = read_table(filename, data, max_bytes)
        cells = [*table.headers, *(cell for _row, line in table.rows for cell in line)]
        return emails_in(" ".join(cells))
    if not filename.lower().endswith((".csv", ".txt")):
        raise UploadError("Upload a .csv, .txt or .xlsx file.")
    if len(data) > max_bytes:
        raise UploadError(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    if not data.strip() or b"\x00" in data[:4096]:
        raise UploadError("The file is empty or not text.")
    return emails_in(_decode(data))


def invite_partners(actor: User, school: School, words: list[str]) -> Outcome:
    """Email each new address an invitation to sign up as a mentor or organisation; commit."""
    outcome = Outcome()
    seen: set[str] = set()
    for word in words[:MAX_EMAILS]:
        email = _valid(word)
        reason = _skip_reason(school, email, seen)
        if email is None or reason:
            outcome.skipped.append((word[:254], reason or "Not an email address."))
            continue
        seen.add(email)
        _invite(actor, school, email)
        outcome.sent.append(email)
    for word in words[MAX_EMAILS:]:
        outcome.skipped.append((word[:254], f"More than {MAX_EMAILS} at once: send it again."))
    audit.record_about(
        school,
        "partners.invited",
        actor=actor,
        detail={"sent": len(outcome.sent), "skipped": len(outcome.skipped)},
    )
    db.session.commit()
    return outcome


def _valid(word: str) -> str | None:
    try:
        return str(validate_email(word, check_deliverability=False).normalized).lower()
    except EmailNotValidError:
        return None


def _skip_reason(school: School, email: str | None, seen: set[str]) -> str:
    if email is None:
        return ""
    if email in seen:
        return "Listed twice."
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        return "Already has a Mentorbridge account."
    sent = db.session.scalar(
        select(PartnerInvitation.invited_at).filter_by(school_id=school.id, email=email)
    )
    if sent is not None and utcnow() - sent < AGAIN_AFTER:
        return f"Invited on {sent:%d %B}; invite again after a week."
    return ""


def _invite(actor: User, school: School, email: str) -> None:
    invitation = db.session.scalar(
        select(PartnerInvitation).filter_by(school_id=school.id, email=email)
    )
    if invitation is None:
        invitation = PartnerInvitation(school_id=school.id, email=email)
        db.session.add(invitation)
    invitation.invited_by_id, invitation.invited_at = actor.id, utcnow()
    queue_email(
        email,
        f"{school.name} invites you to mentor with Mentorbridge",
        f"{actor.display_name} of {school.name} invites you to join Mentorbridge, the school's "
        "programme that pairs students with local professionals and organisations.\n\n"
        f"Sign up as a mentor: {public_url('signup.mentor')}\n"
        f"Sign up as an organisation: {public_url('signup.organisation')}\n\n"
        f"Choose {school.name} as your school. If you are not interested, ignore this email.",
    )
