"""Runs: stored atomically, failed when the worker dies, retried, queued, run from the CLI."""

from __future__ import annotations

import datetime as dt

import pytest

from portal import tasks
from portal.extensions import db
from portal.models import MatchRun, Proposal, RunStatus, utcnow
from portal.programmes import matcher, runs
from tests import factories
from tests.factories import proposals_of, run_now
from tests.programmes.conftest import ProgrammeWorld


def _people(world, students=3, mentors=2):
    for _ in range(mentors):
        factories.make_mentor(world.school, capacity=1)
    return [factories.make_student(world.school) for _ in range(students)]


def test_a_run_stores_proposals_stats_and_unmatched(app):
    world = ProgrammeWorld.new()
    _people(world)
    run = run_now(world.programme, world.counselor)
    assert run.status == RunStatus.SUCCEEDED
    assert run.started_by_id == world.counselor.id
    assert run.started_at and run.finished_at
    assert run.input_counts["mentor"]["students"] == 3
    assert run.stats["mentor"]["matched"] == 2
    assert set(run.timings) >= {"score", "solve"}
    assert len(run.unmatched["mentor"]) == 1
    proposals = proposals_of(run)
    assert len(proposals) == 2
    assert all(p.breakdown and "student" in p.alternatives for p in proposals)


def test_only_one_active_run_per_programme(app):
    world = ProgrammeWorld.new()
    runs.start_run(world.counselor, world.programme)
    with pytest.raises(runs.RunBusyError):
        runs.start_run(world.counselor, world.programme)


def test_a_dead_worker_shows_failed_and_a_retry_works(app):
    world = ProgrammeWorld.new()
    _people(world)
    run = runs.start_run(world.counselor, world.programme)
    run.status = RunStatus.RUNNING
    run.heartbeat_at = utcnow() - dt.timedelta(minutes=10)
    db.session.commit()
    assert runs.refresh_run(run).status == RunStatus.FAILED
    assert proposals_of(run) == []
    retry = run_now(world.programme, world.counselor)
    assert retry.status == RunStatus.SUCCEEDED
    assert len(proposals_of(retry)) == 2


def test_a_queued_run_waits_for_a_busy_worker_without_a_heartbeat(app):
    world = ProgrammeWorld.new()
    run = runs.start_run(world.counselor, world.programme)
    run.created_at = run.heartbeat_at = utcnow() - dt.timedelta(minutes=10)
    db.session.commit()
    assert runs.fail_stale_runs() == 0
    assert runs.refresh_run(run).status == RunStatus.QUEUED


def test_a_queued_run_no_worker_takes_fails_after_the_queue_limit(app):
    world = ProgrammeWorld.new()
    run = runs.start_run(world.counselor, world.programme)
    run.created_at = utcnow() - dt.timedelta(hours=2)
    db.session.commit()
    assert runs.refresh_run(run).status == RunStatus.FAILED
    assert run.error == runs.UNCLAIMED_MESSAGE


def test_a_stale_run_is_failed_when_a_new_one_starts(app):
    world = ProgrammeWorld.new()
    old = runs.start_run(world.counselor, world.programme)
    old.status = RunStatus.RUNNING
    old.heartbeat_at = utcnow() - dt.timedelta(minutes=5)
    db.session.commit()
    new = runs.start_run(world.counselor, world.programme)
    db.session.refresh(old)
    assert old.status == RunStatus.FAILED and new.status == RunStatus.QUEUED


def test_a_failure_while_storing_leaves_no_proposal(app, monkeypatch):
    world = ProgrammeWorld.new()
    _people(world)
    calls = {"n": 0}
    real = runs._proposal_row

    def explode(run_id, proposal):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(run_id, proposal)

    monkeypatch.setattr(runs, "_proposal_row", explode)
    run = run_now(world.programme)
    assert run.status == RunStatus.FAILED
    assert "disk full" in run.error
    assert db.session.scalar(db.select(db.func.count()).select_from(Proposal)) == 0


def test_a_run_declared_stale_while_solving_stores_nothing(app, monkeypatch):
    world = ProgrammeWorld.new()
    _people(world)
    real = matcher.solve_snapshot

    def slow(snapshot):
        result = real(snapshot)
        db.session.execute(
            db.update(MatchRun).values(status=RunStatus.FAILED, error="declared stale")
        )
        db.session.commit()
        return result

    monkeypatch.setattr(matcher, "solve_snapshot", slow)
    run = run_now(world.programme)
    assert run.status == RunStatus.FAILED
    assert proposals_of(run) == []


def test_launch_runs_the_run_on_the_task_queue(app):
    world = ProgrammeWorld.new()
    _people(world)
    run = runs.start_run(world.counselor, world.programme)
    runs.launch(run.id)  # immediate mode: the run_match task runs now, in its own context
    db.session.refresh(run)
    assert run.status == RunStatus.SUCCEEDED
    assert len(proposals_of(run)) == 2


def test_a_run_that_cannot_be_queued_fails_at_once(app, monkeypatch):
    world = ProgrammeWorld.new()
    run = runs.start_run(world.counselor, world.programme)

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks, "enqueue", down)
    runs.launch(run.id)
    db.session.refresh(run)
    assert run.status == RunStatus.FAILED
    assert "task queue is unavailable" in run.error


def test_cli_runs_a_programme_synchronously(app, runner):
    world = ProgrammeWorld.new()
    _people(world)
    result = runner.invoke(args=["match", "run", str(world.programme.id)])
    assert result.exit_code == 0, result.output
    assert "succeeded" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Proposal)) == 2


def test_cli_refuses_an_unknown_programme(app, runner):
    result = runner.invoke(args=["match", "run", "999"])
    assert result.exit_code != 0
    assert "no programme" in result.output


def test_cli_enqueue_queues_the_run_and_prints_its_id(app, runner):
    world = ProgrammeWorld.new()
    _people(world)
    result = runner.invoke(args=["match", "run", str(world.programme.id), "--enqueue"])
    assert result.exit_code == 0, result.output
    run_id = int(result.output.strip())
    run = db.session.get(MatchRun, run_id)
    assert run.status == RunStatus.SUCCEEDED  # immediate mode ran the queued task


def test_staleness_is_one_rule_in_python_and_in_sql(app):
    world = ProgrammeWorld.new()
    now = utcnow()
    old, fresh = now - dt.timedelta(hours=2), now - dt.timedelta(seconds=5)
    cases = [
        (RunStatus.RUNNING, old, old),  # lost its worker
        (RunStatus.RUNNING, old, fresh),  # beating
        (RunStatus.RUNNING, old, None),  # no beat yet: its creation counts
        (RunStatus.QUEUED, old, old),  # never taken
        (RunStatus.QUEUED, fresh, fresh),  # waiting
        (RunStatus.SUCCEEDED, old, old),  # done
    ]
    made = []
    for status, created, beat in cases:
        programme = factories.make_programme(world.school)
        run = MatchRun(programme_id=programme.id, status=status, created_at=created)
        run.heartbeat_at = beat
        db.session.add(run)
        made.append(run)
    db.session.commit()
    minute_ago, hour_ago = now - dt.timedelta(minutes=1), now - dt.timedelta(hours=1)
    lost = set(db.session.scalars(db.select(MatchRun.id).where(MatchRun.lost_worker(minute_ago))))
    queued_long = db.select(MatchRun.id).where(MatchRun.unclaimed(hour_ago))
    assert lost == {r.id for r in made if r.lost_worker(minute_ago)} == {made[0].id, made[2].id}
    assert set(db.session.scalars(queued_long)) == {made[3].id}
    assert [runs.is_stale(r) for r in made] == [True, False, True, True, False, False]
