"""The weekly digest to counselors: what needs their attention, built in one place.

:func:`digest_sections` gathers the sections of one counselor's digest (quiet
relationships, support contacts due); a new section is one more entry in that list.
:func:`send_weekly_digests` emails each active counselor who has something to read; the
``weekly_digest`` periodic task (``portal.jobs``) calls it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.extensions import db
from portal.links import public_url
from portal.mail import queue_email
from portal.models import Match, Role, User
from portal.relationships.queries import count_support_due, quiet_matches, support_due

# Lines per section; the portal has the rest.
SHOWN = 20


@dataclass(frozen=True)
class Section:
    """One heading of the digest: ``total`` items, the first few as lines."""

    title: str
    total: int
    lines: list[str]


def digest_sections(counselor: User, today: dt.date) -> list[Section]:
    """The digest's sections for ``counselor`` (only those with something in them)."""
    sections = [_quiet_section(counselor, today), _support_section(counselor, today)]
    return [section for section in sections if section.total]


def _quiet_section(counselor: User, today: dt.date) -> Section:
    rows, total = quiet_matches(counselor, today, limit=SHOWN)
    lines = [f"- {_pair(match)}: {_last(last)}\n  {_link(match)}" for match, last in rows]
    return Section("Quiet relationships (no meeting logged lately)", total, lines)


def _support_section(counselor: User, today: dt.date) -> Section:
    schools = counselor.school_ids
    lines = [
        f"- {_pair(match)}: support contact due since {match.support_due_on}\n  {_link(match)}"
        for match in support_due(schools, today, limit=SHOWN)
    ]
    return Section("Support contacts due", count_support_due(schools, today), lines)


def _pair(match: Match) -> str:
    # First names only: the email leaves the portal; the page behind the link has the rest.
    partner = (
        match.mentor.first_name if match.mentor else (match.project.title if match.project else "")
    )
    return f"{match.student.first_name} with {partner}"


def _last(last: dt.date | None) -> str:
    return f"last meeting {last.isoformat()}" if last else "no meeting logged yet"


def _link(match: Match) -> str:
    return public_url("relationships.match_page", match_id=match.id)


def digest_body(sections: list[Section]) -> str:
    """The plain-text email of ``sections``."""
    parts = ["Your weekly Mentorbridge digest."]
    for section in sections:
        more = section.total - len(section.lines)
        extra = [f"... and {more} more in the portal."] if more > 0 else []
        parts.append("\n".join([f"{section.title}: {section.total}", *section.lines, *extra]))
    return "\n\n".join(parts) + "\n"


def send_weekly_digests(today: dt.date) -> int:
    """Queue a digest to every active counselor with something in it; return how many."""
    counselors = db.session.scalars(
        db.select(User).where(User.role == Role.COUNSELOR, User.active.is_(True)).order_by(User.id)
    ).all()
    sent = 0
    for counselor in counselors:
        sections = digest_sections(counselor, today)
        if sections:
            queue_email(counselor.email, "Your weekly Mentorbridge digest", digest_body(sections))
            sent += 1
    db.session.commit()
    return sent
