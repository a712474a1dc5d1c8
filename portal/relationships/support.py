"""Monitoring and support: each programme's schedule of staff contacts, and logging them.

A match keeps ``last_support_on`` and ``support_due_on`` (written here, and at approval), so
"support due" is an indexed comparison with today rather than an aggregate over contacts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal import audit
from portal.extensions import db
from portal.i18n import N_
from portal.models import Match, MatchStatus, Programme, SupportContact, User

DEFAULT_SCHEDULE = {"first_month": 2, "then_days": 30}
FIRST_MONTH_DAYS = 30
CHANNELS = {
    "phone": N_("Phone"),
    "email": N_("Email"),
    "in_person": N_("In person"),
    "video": N_("Video call"),
}
WITH_WHOM = {
    "mentor": N_("The mentor or partner"),
    "student": N_("The student"),
    "guardian": N_("The guardian"),
}


@dataclass(frozen=True)
class Schedule:
    """Contacts in a match's first month, then days between contacts."""

    first_month: int
    then_days: int

    @property
    def first_interval(self) -> int:
        """Days between contacts in the first month (the later interval if none are set)."""
        return FIRST_MONTH_DAYS // self.first_month if self.first_month else self.then_days


def schedule_of(programme: Programme) -> Schedule:
    """The programme's support schedule, missing values taken from the default."""
    values = {**DEFAULT_SCHEDULE, **(programme.support_schedule or {})}
    return Schedule(int(values["first_month"]), int(values["then_days"]))


def next_due(programme: Programme, started: dt.date, last: dt.date | None) -> dt.date:
    """When the next support contact is due for a match that began on ``started``.

    In the first month contacts follow the first-month rhythm (twice: every 15 days); after
    it, the programme's interval (monthly by default), counted from the last contact.
    """
    schedule = schedule_of(programme)
    base = last if last is not None and last > started else started
    early = base + dt.timedelta(days=schedule.first_interval)
    if early <= started + dt.timedelta(days=FIRST_MONTH_DAYS):
        return early
    return base + dt.timedelta(days=schedule.then_days)


def log_support_contact(
    actor: User, match: Match, contacted_on: dt.date, channel: str, with_whom: str, note: str
) -> SupportContact:
    """Record a counselor's contact about a match and move its next due date."""
    contact = SupportContact(
        match_id=match.id,
        counselor_id=actor.id,
        contacted_on=contacted_on,
        channel=channel,
        with_whom=with_whom,
        note=note,
    )
    db.session.add(contact)
    if match.last_support_on is None or contacted_on > match.last_support_on:
        match.last_support_on = contacted_on
    match.support_due_on = next_due(match.programme, match.started_at.date(), match.last_support_on)
    audit.record_about(
        match, "match.support_logged", actor=actor, detail={"channel": channel, "with": with_whom}
    )
    db.session.commit()
    return contact


def reschedule_programme(programme: Programme) -> int:
    """Recompute the due dates of a programme's live matches after its schedule changed.

    Adds to the caller's transaction (the programme update commits); returns how many moved.
    """
    live = list(
        db.session.scalars(
            db.select(Match).where(
                Match.programme_id == programme.id, Match.status != MatchStatus.ENDED
            )
        )
    )
    for match in live:
        match.support_due_on = next_due(programme, match.started_at.date(), match.last_support_on)
    return len(live)
