"""Concurrent approvals: never two matches for one proposal, never over capacity.

Each thread has its own app context (so its own session and connection), like two
counselors' requests on two workers. Runs on SQLite and, with TEST_DATABASE_URL, PostgreSQL.
"""

from __future__ import annotations

import threading

from flask import Flask

from portal.extensions import db
from portal.models import Match, Proposal, ProposalStatus, User
from portal.programmes import review
from tests import factories
from tests.factories import make_finished_run, make_proposal
from tests.programmes.conftest import ProgrammeWorld

THREADS = 8


def _race(app: Flask, actor_id: int, proposal_ids: list[int]) -> list[review.Outcome]:
    db.session.commit()  # the test holds no transaction (nor SQLite's write lock) meanwhile
    barrier = threading.Barrier(len(proposal_ids))
    outcomes: list[review.Outcome] = []
    errors: list[BaseException] = []

    def approve(proposal_id: int) -> None:
        with app.app_context():
            try:
                actor = db.session.get(User, actor_id)
                db.session.rollback()  # start the race with no transaction open
                barrier.wait(timeout=10)
                outcomes.append(review.approve_proposal(actor, proposal_id))
            except BaseException as exc:
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=approve, args=(i,)) for i in proposal_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(outcomes) == len(proposal_ids)
    return outcomes


def _matches() -> list[Match]:
    db.session.rollback()
    return list(db.session.scalars(db.select(Match)))


def test_many_approvals_of_one_proposal_make_one_match(app):
    world = ProgrammeWorld.new()
    mentor = factories.make_mentor(world.school, capacity=3)
    proposal = make_proposal(
        make_finished_run(world.programme),
        factories.make_student(world.school),
        mentor_id=mentor.id,
    )
    ids = (world.counselor.id, proposal.id)
    outcomes = _race(app, ids[0], [ids[1]] * THREADS)
    assert all(o.ok for o in outcomes)
    assert sum(o.message == review.APPROVED for o in outcomes) == 1
    assert len(_matches()) == 1


def test_proposals_competing_for_the_last_places_never_exceed_capacity(app):
    world = ProgrammeWorld.new()
    mentor = factories.make_mentor(world.school, capacity=2)
    run = make_finished_run(world.programme)
    ids = [
        make_proposal(run, factories.make_student(world.school), mentor_id=mentor.id).id
        for _ in range(THREADS)
    ]
    actor_id, mentor_id = world.counselor.id, mentor.id
    outcomes = _race(app, actor_id, ids)
    assert sum(o.ok for o in outcomes) == 2
    matches = _matches()
    assert len(matches) == 2 and {m.mentor_id for m in matches} == {mentor_id}
    approved = db.session.scalar(
        db.select(db.func.count())
        .select_from(Proposal)
        .where(Proposal.status == ProposalStatus.APPROVED)
    )
    assert approved == 2


def test_two_proposals_for_one_student_make_one_match(app):
    world = ProgrammeWorld.new()
    student = factories.make_student(world.school)
    run = make_finished_run(world.programme)
    ids = [
        make_proposal(run, student, mentor_id=factories.make_mentor(world.school).id).id
        for _ in range(4)
    ]
    outcomes = _race(app, world.counselor.id, ids)
    assert sum(o.ok for o in outcomes) == 1
    assert len(_matches()) == 1
