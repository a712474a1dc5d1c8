"""Swap: two open proposals of a run trade partners, re-scored and re-checked by the matcher.

A counselor who prefers another mentor (or project) for a student swaps the student's
proposal with the proposal that holds that mentor: both students get the other's partner.
Every partner keeps its number of students, so capacities still hold. The two new pairs go
to the matcher as pins, so a hard rule either pair breaks (grade band, modality, language,
common slot, background check) refuses the swap, worded from the matcher's code with the
people's names; a pair forbidden in the programme is refused too. The new scores, breakdowns
and scored profiles replace the old ones; the run's alternatives no longer apply and are dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import selectinload

from portal import audit
from portal.extensions import db
from portal.models import (
    MentorProfile,
    PairRule,
    PairRuleKind,
    PartnerKind,
    Project,
    Proposal,
    ProposalStatus,
    User,
)
from portal.programmes import matcher, snapshot, wording
from portal.programmes.review import Outcome, locked_row, pinned_pairs

MAX_CANDIDATES = 20
T = TypeVar("T")


def candidates(proposal: Proposal) -> list[Proposal]:
    """Open proposals of the same run to swap with (one query, at most `MAX_CANDIDATES`).

    Those holding a partner the student would rather have, and those whose student the
    partner would rather have (the proposal's alternatives).
    """
    if "swap" not in proposal.allows:
        return []
    alternatives = proposal.alternatives or {}
    partners = {a["id"] for a in alternatives.get("student", [])}
    students = {a["id"] for a in alternatives.get("partner", [])}
    column = Proposal.mentor_id if proposal.kind == PartnerKind.MENTOR else Proposal.project_id
    query = (
        db.select(Proposal)
        .options(
            selectinload(Proposal.student),
            selectinload(Proposal.mentor),
            selectinload(Proposal.project).selectinload(Project.organisation),
        )
        .where(
            Proposal.run_id == proposal.run_id,
            Proposal.status == ProposalStatus.PROPOSED,
            Proposal.id != proposal.id,
            column.in_(partners) | (Proposal.student_id.in_(students) & column.is_not(None)),
        )
        .order_by(Proposal.score.desc(), Proposal.id)
        .limit(MAX_CANDIDATES)
    )
    return [p for p in db.session.scalars(query) if p.partner_id != proposal.partner_id]


@dataclass(frozen=True)
class PreviewRow:
    """One new pair of a previewed swap: the student, the new partner, old and new score."""

    student: str
    partner: str
    old_score: float
    new_score: float


def preview_swap(proposal_id: int, other_id: int, today: dt.date) -> list[PreviewRow] | Outcome:
    """The two new pairs and their scores, saving nothing; a refusal as an ``Outcome``."""
    a, b = db.session.get(Proposal, proposal_id), db.session.get(Proposal, other_id)
    problem = _refusal(a, b)
    result = _rescore(a, b, a.kind, today) if not problem and a and b else problem
    db.session.rollback()  # a preview: nothing of the re-scoring is kept
    if isinstance(result, str) or a is None or b is None:
        return Outcome(False, f"Not swapped: {result}.")
    return [
        PreviewRow(_student_name(p), o.partner_name, p.score, float(result[p.student_id]["score"]))
        for p, o in ((a, b), (b, a))
    ]


def swap_proposals(actor: User, proposal_id: int, other_id: int, today: dt.date) -> Outcome:
    """Give each of the two proposals the other's partner, if both new pairs hold; commit."""
    first, second = sorted((proposal_id, other_id))
    a, b = locked_row(Proposal, first), locked_row(Proposal, second)
    problem = _refusal(a, b)
    if problem or a is None or b is None:
        db.session.rollback()
        return Outcome(False, f"Not swapped: {problem}.")
    kind = a.kind
    result = _rescore(a, b, kind, today)
    if isinstance(result, str):
        db.session.rollback()
        return Outcome(False, f"Not swapped: {result}.")
    old = {a.id: a.partner_id, b.id: b.partner_id}
    for proposal, other in ((a, b), (b, a)):
        pair = result[proposal.student_id]
        setattr(proposal, f"{kind}_id", old[other.id])
        proposal.score = float(pair["score"])
        proposal.breakdown = dict(pair["breakdown"])
        proposal.basis = pair["basis"]
        proposal.alternatives = {"swapped_with": other.id}
        detail = {"with": other.id, "from": old[proposal.id], "to": old[other.id], "kind": kind}
        audit.record_about(proposal, "proposal.swapped", actor=actor, detail=detail)
    db.session.commit()
    return Outcome(True, "Swapped: both proposals have new partners and new scores.")


def _refusal(a: Proposal | None, b: Proposal | None) -> str:
    """Why these two proposals cannot trade partners ('' when they can)."""
    if a is None or b is None or a.id == b.id:
        return "choose another open proposal of this run"
    if a.run_id != b.run_id or a.kind != b.kind:
        return "both proposals must come from the same run and be of the same kind"
    if "swap" not in a.allows or "swap" not in b.allows:
        return "both proposals must still be open (not approved or rejected)"
    if a.partner_id == b.partner_id:
        return "both proposals already have the same partner"
    if pinned_pairs([a, b]) & {_pair(a), _pair(b)}:
        return "a pinned pair cannot be swapped"
    return ""


def _pair(p: Proposal) -> tuple[int, int | None, int | None]:
    return (p.student_id, p.mentor_id, p.project_id)


def _rescore(a: Proposal, b: Proposal, kind: PartnerKind, today: dt.date) -> dict[int, Any] | str:
    """Each student's new pair from the matcher (score, breakdown, basis), or why not."""
    programme = a.run.programme
    new_pairs = [(a.student_id, b.partner_id), (b.student_id, a.partner_id)]
    if _forbidden(programme.id, kind, new_pairs):
        return "one of the new pairs is forbidden in this programme"
    partners = snapshot.partner_records(programme, kind, _partners(a, b), today)
    instance = snapshot.base_instance(programme, today)
    instance["students"] = [snapshot.student_record(p.student) for p in (a, b)]
    instance[f"{kind}s"] = partners
    ids = [r["id"] for r in partners]
    instance["pinned"] = [
        {"student": instance["students"][0]["id"], kind: ids[1]},
        {"student": instance["students"][1]["id"], kind: ids[0]},
    ]
    result = matcher.solve_swap(instance, kind)
    if isinstance(result, matcher.Refusal):
        names = {("student", p.student_id): _student_name(p) for p in (a, b)}
        names |= {(kind, p.partner_id): p.partner_name for p in (a, b)}
        return wording.refusal(result, names)
    return result


def _student_name(p: Proposal) -> str:
    return f"{p.student.first_name} {p.student.last_name}"


def _partners(a: Proposal, b: Proposal) -> list[MentorProfile] | list[Project]:
    """The two proposals' partners, in order (rows their foreign keys guarantee)."""
    if a.kind == PartnerKind.PROJECT:
        return [_get(Project, a.partner_id), _get(Project, b.partner_id)]
    return [_get(MentorProfile, a.partner_id), _get(MentorProfile, b.partner_id)]


def _get(model: type[T], ident: int) -> T:
    """A row that a proposal's foreign key guarantees."""
    found = db.session.get(model, ident)
    assert found is not None  # noqa: S101 - a proposal's foreign key
    return found


def _forbidden(programme_id: int, kind: PartnerKind, pairs: list[tuple[int, int]]) -> bool:
    """True when one of the (student, partner) `pairs` is forbidden in the programme."""
    column = PairRule.mentor_id if kind == PartnerKind.MENTOR else PairRule.project_id
    rules = db.session.execute(
        db.select(PairRule.student_id, column).where(
            PairRule.programme_id == programme_id,
            PairRule.kind == PairRuleKind.FORBID,
            PairRule.student_id.in_([student for student, _ in pairs]),
        )
    )
    return bool({(row[0], row[1]) for row in rules} & set(pairs))
