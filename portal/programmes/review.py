"""Decisions on proposals: approve (safely, idempotently), reject, pin, approve in bulk.

An approval is one transaction that locks the proposal and the mentor's (or project's) row
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serialises
writers), re-checks capacity and eligibility as they are now, and creates the match. The
partial unique index on live matches is the last line of defence against a double approval.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from portal import audit, eligibility
from portal.extensions import db
from portal.models import (
    Match,
    MatchRun,
    MentorProfile,
    PairRule,
    PairRuleKind,
    PartnerKind,
    Project,
    Proposal,
    ProposalStatus,
    RunStatus,
    StudentProfile,
    User,
    Verification,
    utcnow,
)
from portal.relationships import notices, support
from portal.safeguarding import checks

T = TypeVar("T")
ALREADY = "Already approved."
APPROVED = "Approved."


@dataclass(frozen=True)
class Outcome:
    """What a decision did: ``ok`` and a sentence for the counselor."""

    ok: bool
    message: str


def locked_row(model: type[T], ident: int) -> T | None:
    """The row, re-read and locked until the transaction ends (a no-op lock on SQLite)."""
    query = (
        db.select(model)
        .where(model.id == ident)  # type: ignore[attr-defined]
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    found: T | None = db.session.scalar(query)
    return found


def approve_proposal(actor: User, proposal_id: int, today: dt.date | None = None) -> Outcome:
    """Approve a proposal and create the match, if it still holds; safe to repeat."""
    try:
        outcome = _approve(actor, proposal_id, today or dt.date.today())
        if outcome.ok:
            db.session.commit()
        else:
            db.session.rollback()
        return outcome
    except IntegrityError:
        db.session.rollback()  # another approval won the race for this student
        return Outcome(False, "Already approved: the student has a live match of this kind.")


def _approve(actor: User, proposal_id: int, today: dt.date) -> Outcome:
    proposal = locked_row(Proposal, proposal_id)
    if proposal is None:
        return Outcome(False, "This proposal no longer exists.")
    if proposal.status == ProposalStatus.APPROVED:
        return Outcome(True, ALREADY)  # approving twice is safe
    if "approve" not in proposal.allows:
        return Outcome(False, "This proposal was rejected.")
    problem = _recheck(proposal, today)
    if problem:
        return Outcome(False, f"Not approved: {problem}.")
    match = _create_match(actor, proposal)
    detail = {"match": match.id, "score": proposal.score}
    audit.record_about(proposal, "proposal.approved", actor=actor, detail=detail)
    notices.match_approved(match)
    return Outcome(True, APPROVED)


def _create_match(actor: User, proposal: Proposal) -> Match:
    now = utcnow()
    proposal.status = ProposalStatus.APPROVED
    proposal.decided_by_id = actor.id
    proposal.decided_at = now
    match = Match(
        programme_id=proposal.run.programme_id,
        student_id=proposal.student_id,
        kind=proposal.kind,
        mentor_id=proposal.mentor_id,
        project_id=proposal.project_id,
        proposal_id=proposal.id,
        score=proposal.score,
        approved_by_id=actor.id,
        started_at=now,
        support_due_on=support.next_due(proposal.run.programme, now.date(), None),
    )
    db.session.add(match)
    db.session.flush()  # the unique index on live matches speaks here
    return match


def _recheck(proposal: Proposal, today: dt.date) -> str:
    """Why the pair cannot be approved now ('' when it can)."""
    student = locked_row(StudentProfile, proposal.student_id)
    if student is None or not student.can_be_matched:
        return "the student can no longer be matched (consent or profile)"
    kind = proposal.kind
    if superseded_by(proposal.run) is not None:
        return "a newer run of this programme replaced these proposals; review the latest run"
    live = eligibility.live_match_of(student.id, kind)
    if live is not None:
        where = (
            "this programme"
            if live.programme_id == proposal.run.programme_id
            else (f"“{live.programme.name}”")
        )
        return f"the student already has a {kind} in {where} (one at a time: end that match first)"
    if proposal.mentor_id is not None:
        if eligibility.untrained_mentor_ids(proposal.run.programme, [proposal.mentor_id]):
            return "the mentor has no recorded training, which this programme requires"
        return _mentor_problem(proposal.mentor_id, student, today)
    assert proposal.project_id is not None  # noqa: S101 - one partner (check constraint)
    return _project_problem(proposal.project_id, student)


def superseded_by(run: MatchRun) -> int | None:
    """The id of a newer finished run of the same programme, if one replaced ``run``."""
    newer: int | None = db.session.scalar(
        db.select(func.max(MatchRun.id)).where(
            MatchRun.programme_id == run.programme_id,
            MatchRun.id > run.id,
            MatchRun.status == RunStatus.SUCCEEDED,
        )
    )
    return newer


def _mentor_problem(mentor_id: int, student: StudentProfile, today: dt.date) -> str:
    mentor = locked_row(MentorProfile, mentor_id)
    if mentor is None or mentor.verification != Verification.VERIFIED:
        return "the mentor is no longer verified"
    if student.is_minor and checks.valid_check(mentor.user_id, today) is None:
        return "the mentor's background check has expired"
    if eligibility.live_load(PartnerKind.MENTOR, [mentor.id]).get(mentor.id, 0) >= mentor.capacity:
        return "the mentor has no free place left"
    return ""


def _project_problem(project_id: int, student: StudentProfile) -> str:
    project = locked_row(Project, project_id)
    if project is None or not project.is_open:
        return "the project is closed"
    if project.organisation.verification != Verification.VERIFIED:
        return "the organisation is no longer verified"
    if student.is_minor and not project.supervisor_checked:
        return "the project's supervising adults are not checked"
    load = eligibility.live_load(PartnerKind.PROJECT, [project.id]).get(project.id, 0)
    if load >= project.capacity:
        return "the project has no free place left"
    return ""


def reject_proposal(actor: User, proposal_id: int, reason: str, forbid: bool) -> Outcome:
    """Reject a proposal with a reason; optionally forbid the pair in later runs."""
    proposal = locked_row(Proposal, proposal_id)
    if proposal is None or "reject" not in proposal.allows:
        db.session.rollback()
        if proposal is not None and proposal.status == ProposalStatus.REJECTED:
            return Outcome(False, "This proposal was rejected.")
        return Outcome(False, "An approved proposal cannot be rejected: end the match instead.")
    proposal.status = ProposalStatus.REJECTED
    proposal.reject_reason = reason
    proposal.decided_by_id = actor.id
    proposal.decided_at = utcnow()
    if forbid:
        db.session.add(PairRule.for_pair(proposal, PairRuleKind.FORBID, reason, actor.id))
    # The typed reason stays on the proposal (erasure redacts it), never in the trail.
    audit.record_about(proposal, "proposal.rejected", actor=actor, detail={"forbid": forbid})
    db.session.commit()
    return Outcome(True, "Rejected" + (" and forbidden in later runs." if forbid else "."))


def pin_proposal(actor: User, proposal_id: int) -> Outcome:
    """Pin the pair: later runs always propose it (while it keeps the hard rules)."""
    proposal = locked_row(Proposal, proposal_id)
    if proposal is None:
        return Outcome(False, "This proposal no longer exists.")
    if "pin" not in proposal.allows:
        db.session.rollback()
        return Outcome(False, "A rejected proposal cannot be pinned.")
    if is_pinned(proposal):
        db.session.rollback()
        return Outcome(True, "Already pinned.")
    pin = PairRule.for_pair(proposal, PairRuleKind.PIN, "pinned from a proposal", actor.id)
    db.session.add(pin)
    audit.record_about(proposal, "proposal.pinned", actor=actor)
    db.session.commit()
    return Outcome(True, "Pinned for later runs.")


def is_pinned(proposal: Proposal) -> bool:
    """True when a pin rule exists for this proposal's pair."""
    return bool(pinned_pairs([proposal]))


def pinned_pairs(proposals: list[Proposal]) -> set[tuple[int, int | None, int | None]]:
    """``(student, mentor, project)`` of these proposals that are pinned (one query)."""
    if not proposals:
        return set()
    programme_ids = {p.run.programme_id for p in proposals}
    rows = db.session.execute(
        db.select(PairRule.student_id, PairRule.mentor_id, PairRule.project_id).where(
            PairRule.programme_id.in_(programme_ids),
            PairRule.kind == PairRuleKind.PIN,
            PairRule.student_id.in_({p.student_id for p in proposals}),
        )
    )
    return {(row[0], row[1], row[2]) for row in rows}


def approve_above(actor: User, run_id: int, min_score: float) -> tuple[int, int]:
    """Approve every open proposal of a run scoring at least ``min_score``, best first.

    Each approval is its own transaction (and re-check); returns (approved, not approved).
    """
    ids = list(
        db.session.scalars(
            db.select(Proposal.id)
            .where(Proposal.run_id == run_id, Proposal.status == ProposalStatus.PROPOSED)
            .where(Proposal.score >= min_score)
            .order_by(Proposal.score.desc(), Proposal.id)
        )
    )
    db.session.rollback()  # end the read: each approval starts its own transaction
    approved = sum(approve_proposal(actor, i).message == APPROVED for i in ids)
    return approved, len(ids) - approved
