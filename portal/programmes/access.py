"""Load a programme, run or proposal, or 404: scoped to the caller's schools."""

from __future__ import annotations

from flask import abort

from portal import policy
from portal.extensions import db
from portal.models import MatchRun, Programme, Proposal, User


def programme_or_404(actor: User, programme_id: int) -> Programme:
    """The programme if ``actor`` works for its school, else 404."""
    programme = db.session.get(Programme, programme_id)
    if programme is None or programme.purged_at is not None:
        abort(404)
    policy.check_school(actor, programme.school_id)
    return programme


def run_or_404(actor: User, run_id: int) -> MatchRun:
    """The matching run if ``actor`` works for its programme's school, else 404."""
    run = db.session.get(MatchRun, run_id)
    if run is None:
        abort(404)
    programme_or_404(actor, run.programme_id)
    return run


def proposal_or_404(actor: User, proposal_id: int) -> Proposal:
    """The proposal if ``actor`` works for its programme's school and its student's, else 404."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        abort(404)
    run_or_404(actor, proposal.run_id)
    policy.check_school(actor, proposal.student.school_id)
    return proposal
