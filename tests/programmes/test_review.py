"""Approvals re-check everything, are idempotent, and every decision is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import (
    AuditEvent,
    BackgroundCheck,
    ConsentStatus,
    Match,
    MatchStatus,
    OutboxMessage,
    PairRule,
    PairRuleKind,
    PartnerKind,
    ProposalStatus,
)
from portal.programmes import review
from portal.relationships import closure
from tests import factories
from tests.factories import (
    make_finished_run,
    make_programme,
    make_proposal,
    matching_term,
    proposals_of,
    run_now,
)
from tests.programmes.conftest import ProgrammeWorld


def _setup(capacity=1, students=1):
    world = ProgrammeWorld.new()
    mentor = factories.make_mentor(world.school, capacity=capacity)
    run = make_finished_run(world.programme)
    proposals = [
        make_proposal(run, factories.make_student(world.school), mentor_id=mentor.id)
        for _ in range(students)
    ]
    return world, mentor, proposals


def _matches():
    return list(db.session.scalars(db.select(Match)))


def test_approve_creates_a_match_audits_and_notifies_both_sides(app):
    world, mentor, [proposal] = _setup()
    outcome = review.approve_proposal(world.counselor, proposal.id)
    assert outcome.ok and outcome.message == review.APPROVED
    [match] = _matches()
    assert (match.student_id, match.mentor_id, match.kind) == (
        proposal.student_id,
        mentor.id,
        "mentor",
    )
    assert match.proposal_id == proposal.id and match.approved_by_id == world.counselor.id
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.APPROVED
    actions = list(db.session.scalars(db.select(AuditEvent.action)))
    assert "proposal.approved" in actions
    recipients = set(db.session.scalars(db.select(OutboxMessage.to)))
    assert {mentor.user.email, proposal.student.user.email} <= recipients
    bodies = " ".join(db.session.scalars(db.select(OutboxMessage.body)))
    assert mentor.phone not in bodies and proposal.student.phone not in bodies


def test_approving_twice_creates_one_match(app):
    world, _, [proposal] = _setup()
    assert review.approve_proposal(world.counselor, proposal.id).ok
    again = review.approve_proposal(world.counselor, proposal.id)
    assert again.ok and again.message == review.ALREADY
    assert len(_matches()) == 1


def test_approve_rechecks_capacity(app):
    world, _, (first, second) = _setup(capacity=1, students=2)
    assert review.approve_proposal(world.counselor, first.id).ok
    outcome = review.approve_proposal(world.counselor, second.id)
    assert not outcome.ok and "no free place" in outcome.message
    assert len(_matches()) == 1


def test_approve_rechecks_an_expired_background_check(app):
    world, _mentor, [proposal] = _setup()
    for check in db.session.scalars(db.select(BackgroundCheck)):
        check.expires_on = dt.date.today() - dt.timedelta(days=1)
    db.session.commit()
    outcome = review.approve_proposal(world.counselor, proposal.id)
    assert not outcome.ok and "background check" in outcome.message
    assert _matches() == []


def test_approve_rechecks_withdrawn_consent(app):
    world, _, [proposal] = _setup()
    proposal.student.consent_status = ConsentStatus.WITHDRAWN
    db.session.commit()
    outcome = review.approve_proposal(world.counselor, proposal.id)
    assert not outcome.ok and "consent" in outcome.message
    assert _matches() == []


def test_approve_refuses_a_student_already_matched(app):
    world, _mentor, [proposal] = _setup(capacity=3)
    other = make_proposal(
        proposal.run, proposal.student, mentor_id=factories.make_mentor(world.school).id
    )
    assert review.approve_proposal(world.counselor, proposal.id).ok
    outcome = review.approve_proposal(world.counselor, other.id)
    assert not outcome.ok and "already has a mentor" in outcome.message


def test_reject_with_forbid_excludes_the_pair_from_the_next_run(app):
    world = ProgrammeWorld.new()
    mentor = factories.make_mentor(world.school, capacity=1)
    student = factories.make_student(world.school)
    [proposal] = proposals_of(run_now(world.programme))
    outcome = review.reject_proposal(world.counselor, proposal.id, "Not a good fit", forbid=True)
    assert outcome.ok
    rule = db.session.scalar(db.select(PairRule))
    assert rule.kind == PairRuleKind.FORBID and rule.mentor_id == mentor.id
    assert proposals_of(run_now(world.programme)) == []
    assert "proposal.rejected" in set(db.session.scalars(db.select(AuditEvent.action)))
    assert student.id == rule.student_id


def test_an_approved_proposal_cannot_be_rejected(app):
    world, _, [proposal] = _setup()
    review.approve_proposal(world.counselor, proposal.id)
    assert not review.reject_proposal(world.counselor, proposal.id, "oops", forbid=False).ok


def test_a_rejected_proposal_cannot_be_pinned_and_offers_no_action(app):
    world, _, [proposal] = _setup()
    assert review.reject_proposal(world.counselor, proposal.id, "Not a fit", forbid=False).ok
    db.session.refresh(proposal)
    assert proposal.allows == frozenset()  # the row shows no approve, reject, swap or pin
    outcome = review.pin_proposal(world.counselor, proposal.id)
    assert not outcome.ok and outcome.message == "A rejected proposal cannot be pinned."
    assert db.session.scalar(db.select(PairRule)) is None
    assert "proposal.pinned" not in set(db.session.scalars(db.select(AuditEvent.action)))
    assert not review.reject_proposal(world.counselor, proposal.id, "again", forbid=True).ok
    assert db.session.scalar(db.select(PairRule)) is None


def test_what_a_proposal_allows_follows_its_status(app):
    world, _, [proposal] = _setup()
    assert proposal.allows == {"approve", "reject", "swap", "pin"}
    assert review.approve_proposal(world.counselor, proposal.id).ok
    db.session.refresh(proposal)
    assert proposal.allows == {"pin"}


def test_pin_is_kept_by_the_next_run(app):
    world = ProgrammeWorld.new()
    factories.make_mentor(world.school, capacity=1, interests=["robotics"])
    weaker = factories.make_mentor(world.school, capacity=1, interests=[], expertise=[])
    student = factories.make_student(world.school)
    run = make_finished_run(world.programme)
    proposal = make_proposal(run, student, mentor_id=weaker.id)
    assert review.pin_proposal(world.counselor, proposal.id).ok
    assert review.pin_proposal(world.counselor, proposal.id).message == "Already pinned."
    [again] = proposals_of(run_now(world.programme))
    assert again.mentor_id == weaker.id and again.pinned


def test_a_rerun_keeps_approved_matches_fixed(app):
    world = ProgrammeWorld.new()
    mentor = factories.make_mentor(world.school, capacity=1)
    factories.make_student(world.school)
    factories.make_student(world.school)
    first = proposals_of(run_now(world.programme))
    assert len(first) == 1
    assert review.approve_proposal(world.counselor, first[0].id).ok
    second = run_now(world.programme)
    assert proposals_of(second) == []  # the only mentor is full; the matched student stays
    assert second.input_counts["mentor"]["already_matched"] == 1
    assert mentor.id == first[0].mentor_id


def test_approve_above_approves_the_best_within_capacity(app):
    world, _, proposals = _setup(capacity=2, students=3)
    for proposal, score in zip(proposals, (0.9, 0.8, 0.85), strict=True):
        proposal.score = score
    db.session.commit()
    approved, skipped = review.approve_above(world.counselor, proposals[0].run_id, 0.8)
    assert (approved, skipped) == (2, 1)
    assert {m.student_id for m in _matches()} == {proposals[0].student_id, proposals[2].student_id}


def test_ending_a_match_makes_the_student_eligible_again(app):
    world, _, [proposal] = _setup()
    review.approve_proposal(world.counselor, proposal.id)
    [match] = _matches()
    closing = closure.Closing("moved", "Family moved", False, forbid=False, may_repropose=True)
    closure.close_match(world.counselor, match, closing)
    assert match.status == MatchStatus.ENDED and match.end_reason == "Moved away"
    rerun = run_now(world.programme)
    assert [p.student_id for p in proposals_of(rerun)] == [proposal.student_id]


def test_an_ended_pair_is_not_proposed_again_unless_the_counselor_allows_it(app):
    world, _, [proposal] = _setup()
    review.approve_proposal(world.counselor, proposal.id)
    [match] = _matches()
    closing = closure.Closing("schedule", "Never free", False, forbid=False, may_repropose=False)
    closure.close_match(world.counselor, match, closing)
    rerun = run_now(world.programme)
    assert proposals_of(rerun) == []  # the only mentor is the ended pair's
    assert rerun.stats["mentor"]["matched"] == 0


def test_a_forbidden_pair_holds_in_every_programme_of_the_school(app):
    world, _, [proposal] = _setup()
    review.reject_proposal(world.counselor, proposal.id, "Family ties", forbid=True)
    other = make_programme(world.school, **matching_term(name="Spring projects"))
    rerun = run_now(other)
    assert proposals_of(rerun) == []


def test_a_student_gets_one_live_mentor_across_programmes(app):
    world, _, [proposal] = _setup()
    review.approve_proposal(world.counselor, proposal.id)
    other = make_programme(world.school, **matching_term(name="Second mentoring"))
    factories.make_mentor(world.school)
    rerun = run_now(other)
    assert proposals_of(rerun) == []  # the student already has a live mentor


def test_approval_refuses_a_second_live_mentor_with_a_clear_message(app):
    world, _, [proposal] = _setup()
    first = run_now(make_programme(world.school, **matching_term(name="Second mentoring")))
    [elsewhere] = proposals_of(first)
    assert review.approve_proposal(world.counselor, elsewhere.id).ok
    outcome = review.approve_proposal(world.counselor, proposal.id)
    assert not outcome.ok
    assert "already has a mentor in “Second mentoring”" in outcome.message


def test_the_database_refuses_a_second_live_mentor(app):
    world, _, [proposal] = _setup()
    review.approve_proposal(world.counselor, proposal.id)
    [match] = _matches()
    other = make_programme(world.school, **matching_term(name="Second mentoring"))
    db.session.add(
        Match(
            programme_id=other.id,
            student_id=match.student_id,
            kind="mentor",
            mentor_id=match.mentor_id,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_proposals_of_a_superseded_run_cannot_be_approved(app):
    world, _, [proposal] = _setup()
    run_now(world.programme)
    outcome = review.approve_proposal(world.counselor, proposal.id)
    assert not outcome.ok and "newer run" in outcome.message
    assert review.superseded_by(proposal.run) is not None


def test_the_partner_side_is_an_enum_stored_as_its_old_value(app):
    world, _, [proposal] = _setup()
    assert proposal.kind is PartnerKind.MENTOR
    assert review.approve_proposal(world.counselor, proposal.id).ok
    match = db.session.scalar(db.select(Match))
    db.session.refresh(match)
    assert match.kind is PartnerKind.MENTOR
    stored = db.session.execute(db.text("SELECT kind FROM matches")).scalar_one()
    assert stored == "mentor"
