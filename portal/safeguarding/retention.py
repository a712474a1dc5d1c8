"""Retention: personal detail of ended programmes and of old sent email is purged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update

from portal import audit
from portal.extensions import db
from portal.models import (
    CheckIn,
    ExitSurvey,
    Match,
    MatchRun,
    OutboxMessage,
    PairRule,
    Programme,
    Proposal,
    SupportContact,
    utcnow,
)


@dataclass
class PurgePlan:
    """One expired programme and what purging it clears."""

    programme_id: int
    name: str
    ended_on: dt.date
    counts: dict[str, int] = field(default_factory=dict)


def cutoff(today: dt.date, months: int) -> dt.date:
    """The day ``months`` calendar months before ``today`` (clamped to the month's end)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    for day in range(today.day, 27, -1):
        try:
            return dt.date(year, month + 1, day)
        except ValueError:
            continue
    return dt.date(year, month + 1, min(today.day, 28))


Target = tuple[type[Any], ColumnElement[bool], dict[str, Any]]


def _targets(programme_id: int) -> dict[str, Target]:
    """What is cleared, per kind: the model, which rows, and the cleared values."""
    matches = select(Match.id).where(Match.programme_id == programme_id)
    runs = select(MatchRun.id).where(MatchRun.programme_id == programme_id)
    in_programme = Match.programme_id == programme_id
    return {
        "check-in notes and feedback": (
            CheckIn,
            and_(CheckIn.match_id.in_(matches), CheckIn.note != ""),
            {"note": ""},
        ),
        "proposal breakdowns": (
            Proposal,
            Proposal.run_id.in_(runs),
            {"breakdown": {}, "alternatives": {}, "basis": {}},
        ),
        "run reports": (MatchRun, MatchRun.programme_id == programme_id, {"unmatched": {}}),
        "match end reasons": (
            Match,
            and_(in_programme, or_(Match.end_reason != "", Match.closing_note != "")),
            {"end_reason": "", "closing_note": ""},
        ),
        "support-contact notes": (
            SupportContact,
            and_(SupportContact.match_id.in_(matches), SupportContact.note != ""),
            {"note": ""},
        ),
        "exit-survey comments": (
            ExitSurvey,
            and_(ExitSurvey.match_id.in_(matches), ExitSurvey.comment != ""),
            {"comment": ""},
        ),
        "pair rule reasons": (
            PairRule,
            and_(PairRule.programme_id == programme_id, PairRule.reason != ""),
            {"reason": ""},
        ),
    }


def plan_purge(today: dt.date, months: int) -> list[PurgePlan]:
    """Programmes that ended more than ``months`` ago and are not purged yet, with counts."""
    programmes = db.session.scalars(
        select(Programme)
        .where(Programme.ends_on < cutoff(today, months), Programme.purged_at.is_(None))
        .order_by(Programme.id)
    )
    plans = []
    for programme in programmes:
        plan = PurgePlan(programme.id, programme.name, programme.ends_on)
        for label, (model, where, _values) in _targets(programme.id).items():
            count = db.session.scalar(select(func.count()).select_from(model).where(where))
            plan.counts[label] = int(count or 0)
        plans.append(plan)
    return plans


def purge(today: dt.date, months: int) -> list[PurgePlan]:
    """Clear what :func:`plan_purge` lists, mark the programmes purged, audit; commit."""
    plans = plan_purge(today, months)
    for plan in plans:
        for model, where, values in _targets(plan.programme_id).values():
            db.session.execute(update(model).where(where).values(**values))
        programme = db.session.get(Programme, plan.programme_id)
        if programme is not None:
            programme.purged_at = utcnow()
            audit.record_about(
                programme, "programme.purged", actor=None, detail={"counts": plan.counts}
            )
    db.session.commit()
    return plans


def _old_sent_mail(now: dt.datetime, days: int) -> ColumnElement[bool]:
    """Sent emails older than ``days`` whose body (links, names) is still kept."""
    return and_(
        OutboxMessage.sent_at.is_not(None),
        OutboxMessage.sent_at < now - dt.timedelta(days=days),
        OutboxMessage.body != "",
    )


def plan_outbox_purge(now: dt.datetime, days: int) -> int:
    """How many sent emails' bodies :func:`purge_outbox` would empty."""
    where = _old_sent_mail(now, days)
    return int(db.session.scalar(select(func.count(OutboxMessage.id)).where(where)) or 0)


def purge_outbox(now: dt.datetime, days: int) -> int:
    """Empty the bodies of emails sent more than ``days`` ago; audit; commit. Queued or
    failed mail keeps its body (it is still to be sent)."""
    count = plan_outbox_purge(now, days)
    if count:
        db.session.execute(update(OutboxMessage).where(_old_sent_mail(now, days)).values(body=""))
        audit.record("outbox.purged", actor=None, object_type="outbox", detail={"count": count})
    db.session.commit()
    return count


def report(plans: list[PurgePlan], months: int, dry_run: bool) -> list[str]:
    """The lines ``flask purge`` prints and the daily purge job logs."""
    verb = "would purge" if dry_run else "purged"
    lines = []
    for plan in plans:
        counts = ", ".join(f"{n} {label}" for label, n in plan.counts.items())
        lines.append(f"{verb} programme #{plan.programme_id} (ended {plan.ended_on}): {counts}")
    lines.append(f"{len(plans)} programme(s) {verb} (retention {months} months).")
    return lines


def outbox_report(count: int, days: int, dry_run: bool) -> str:
    """The line ``flask purge`` prints and the daily purge job logs for sent emails' bodies."""
    verb = "would purge" if dry_run else "purged"
    return f"{verb} the bodies of {count} sent email(s) (retention {days} days)."
