"""Swap: two open proposals of a run trade partners, re-checked and re-scored by the matcher."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.extensions import db
from portal.models import AuditEvent, PairRule, PairRuleKind, Proposal, ProposalStatus
from portal.programmes import review, swap
from tests import factories
from tests.factories import proposals_of, run_now


def _two_proposals(world, sam_grade=10):
    """Lina and Sam, Rosa and Ben (one place each): the run proposes both pairs."""
    rosa = factories.make_mentor(world.school, capacity=1, first_name="Rosa", grade_min=9)
    ben = factories.make_mentor(world.school, capacity=1, first_name="Ben", grade_min=7)
    factories.make_student(world.school, first_name="Lina", grade=10)
    factories.make_student(world.school, first_name="Sam", grade=sam_grade)
    found = proposals_of(run_now(world.programme, world.counselor))
    by_name = {p.student.first_name: p for p in found}
    return by_name["Lina"], by_name["Sam"], rosa, ben


def _reload(*proposals):
    db.session.expire_all()
    return [db.session.get(Proposal, p.id) for p in proposals]


def test_the_proposal_page_offers_the_students_next_best_to_swap_with(world, client):
    lina, sam, _, _ = _two_proposals(world)
    assert [p.id for p in swap.candidates(lina)] == [sam.id]
    page = client.get(f"/programmes/proposals/{lina.id}").get_data(as_text=True)
    assert "Swap partners" in page and f'<option value="{sam.id}">Sam ' in page


def test_swap_trades_partners_rescores_and_audits(world, client):
    lina, sam, _, _ = _two_proposals(world)
    before = {lina.id: lina.mentor_id, sam.id: sam.mentor_id}
    data = {"other": sam.id, "confirm": "y"}
    response = client.post(f"/programmes/proposals/{lina.id}/swap", data=data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/programmes/proposals/{lina.id}")
    lina, sam = _reload(lina, sam)
    assert (lina.mentor_id, sam.mentor_id) == (before[sam.id], before[lina.id])
    for proposal in (lina, sam):
        assert proposal.basis["partner"]["grades"][0] == proposal.mentor.grade_min
        assert sum(proposal.breakdown.values()) == pytest.approx(proposal.score)
        assert proposal.status == ProposalStatus.PROPOSED
    assert lina.alternatives == {"swapped_with": sam.id}
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "proposal.swapped")
    ).all()
    assert sorted(e.object_id for e in events) == sorted([lina.id, sam.id])
    page = client.get(f"/programmes/proposals/{lina.id}").get_data(as_text=True)
    assert "Swapped: both proposals have new partners" in page
    assert "A counselor swapped this proposal" in page and "Swapped already" in page
    assert "The student's next-best mentors" not in page


def test_swap_refuses_a_pair_that_breaks_a_hard_rule(world, client):
    lina, sam, _, _ = _two_proposals(world, sam_grade=8)  # Rosa takes grades 9 to 12
    assert sam.mentor.first_name == "Ben"
    response = client.post(
        f"/programmes/proposals/{lina.id}/swap", data={"other": sam.id}, follow_redirects=True
    )
    body = response.get_data(as_text=True)
    assert "Not swapped: grade 8 is outside Rosa " in body
    assert [p.mentor.first_name for p in _reload(lina, sam)] == ["Rosa", "Ben"]


def test_swap_refuses_a_forbidden_pair_an_approved_proposal_and_a_pin(world):
    lina, sam, _, _ = _two_proposals(world)
    today = dt.date.today()
    db.session.add(
        PairRule(
            programme_id=world.programme.id,
            kind=PairRuleKind.FORBID,
            student_id=lina.student_id,
            mentor_id=sam.mentor_id,
            reason="known to each other",
            created_by_id=world.counselor.id,
        )
    )
    db.session.commit()
    outcome = swap.swap_proposals(world.counselor, lina.id, sam.id, today)
    assert not outcome.ok and "forbidden" in outcome.message
    db.session.query(PairRule).delete()
    db.session.commit()
    review.pin_proposal(world.counselor, sam.id)
    outcome = swap.swap_proposals(world.counselor, lina.id, sam.id, today)
    assert not outcome.ok and "pinned" in outcome.message
    db.session.query(PairRule).delete()
    db.session.commit()
    assert review.approve_proposal(world.counselor, sam.id, today).ok
    outcome = swap.swap_proposals(world.counselor, lina.id, sam.id, today)
    assert not outcome.ok and "still be open" in outcome.message
    assert swap.candidates(db.session.get(Proposal, lina.id)) == []


def test_swap_with_a_proposal_not_offered_is_refused_and_nothing_changes(world, client):
    lina, sam, _, _ = _two_proposals(world)
    response = client.post(f"/programmes/proposals/{lina.id}/swap", data={"other": lina.id})
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert [p.mentor_id for p in _reload(lina, sam)] == [lina.mentor_id, sam.mentor_id]


def test_swap_first_shows_the_new_scores_and_saves_nothing(world, client):
    lina, sam, _, _ = _two_proposals(world)
    before = [(p.mentor_id, p.score) for p in (lina, sam)]
    response = client.post(f"/programmes/proposals/{lina.id}/swap", data={"other": sam.id})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "If you swap" in page and "Score after the swap" in page
    assert '<input type="hidden" name="confirm" value="y">' in page
    assert f'<input type="hidden" name="other" value="{sam.id}">' in page
    rows = swap.preview_swap(lina.id, sam.id, dt.date.today())
    assert isinstance(rows, list) and [r.student.split()[0] for r in rows] == ["Lina", "Sam"]
    assert rows[0].partner.startswith(sam.mentor.first_name)
    assert f"<td>{rows[0].new_score:.2f}</td>" in page
    assert [(p.mentor_id, p.score) for p in _reload(lina, sam)] == before
    assert not db.session.scalar(
        db.select(AuditEvent.id).where(AuditEvent.action == "proposal.swapped")
    )
