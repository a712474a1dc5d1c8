"""Matching runs: start one, run it on the task queue, store it atomically.

A run goes queued → running → succeeded | failed. The worker (the ``run_match`` task in a
``flask worker`` process, or ``flask match run``) beats a heartbeat while it works; a run
whose heartbeat is older than ``MATCH_STALE_SECONDS`` lost its worker (process killed) and
counts as failed (the periodic ``fail_stale_runs`` job marks it, as does the next look at it).
Proposals are stored in the same transaction as the status change, so a run has all its
proposals or none.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from portal import audit, tasks
from portal.extensions import db
from portal.models import MatchRun, Programme, Proposal, RunStatus, User, utcnow
from portal.programmes import matcher, snapshot, wording

log = logging.getLogger(__name__)

ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)
STALE_MESSAGE = "The run stopped answering (its worker ended); start it again."
UNCLAIMED_MESSAGE = "No worker took the run (is `flask worker` running?); start it again."


class RunBusyError(Exception):
    """The programme already has a queued or running run."""


def _config(name: str, default: Any) -> Any:
    return current_app.config.get(name, default)


def stale_before() -> dt.datetime:
    """Running runs whose heartbeat is older than this have lost their worker."""
    return utcnow() - dt.timedelta(seconds=float(_config("MATCH_STALE_SECONDS", 120)))


def _unclaimed_before() -> dt.datetime:
    """Queued runs created before this were never taken by a worker (none is running)."""
    return utcnow() - dt.timedelta(seconds=float(_config("MATCH_QUEUE_SECONDS", 3600)))


def is_stale(run: MatchRun) -> bool:
    """True for a running run whose worker stopped beating, or a queued run no worker took.

    A queued run has no heartbeat yet: it waits for a free worker, however long the runs
    before it take, up to ``MATCH_QUEUE_SECONDS``.
    """
    return bool(run.lost_worker(stale_before()) or run.unclaimed(_unclaimed_before()))


def fail_stale_runs(programme_id: int | None = None) -> int:
    """Mark stale runs (see :func:`is_stale`) as failed; return how many."""
    lost = MatchRun.lost_worker(stale_before())
    unclaimed = MatchRun.unclaimed(_unclaimed_before())
    count = 0
    for condition, message in ((lost, STALE_MESSAGE), (unclaimed, UNCLAIMED_MESSAGE)):
        query = (
            update(MatchRun)
            .where(condition)
            .values(status=RunStatus.FAILED, error=message, finished_at=utcnow())
        )
        if programme_id is not None:
            query = query.where(MatchRun.programme_id == programme_id)
        count += int(getattr(db.session.execute(query), "rowcount", 0) or 0)
    db.session.commit()
    return count


def refresh_run(run: MatchRun) -> MatchRun:
    """The run as stored now, failed first if its worker died."""
    if is_stale(run):
        fail_stale_runs(run.programme_id)
    db.session.refresh(run)
    return run


def start_run(actor: User | None, programme: Programme) -> MatchRun:
    """Queue a run of ``programme``; RunBusyError if one is already queued or running."""
    fail_stale_runs(programme.id)
    now = utcnow()
    run = MatchRun(
        programme_id=programme.id,
        started_by_id=actor.id if actor else None,
        status=RunStatus.QUEUED,
        heartbeat_at=now,
        message="Waiting for a worker",
    )
    db.session.add(run)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise RunBusyError(programme.id) from exc
    audit.record_about(run, "match_run.started", actor=actor, detail={"programme": programme.id})
    db.session.commit()
    return run


def launch(run_id: int) -> None:
    """Queue the ``run_match`` task for a queued run (a worker runs it; inline in tests).

    If the queue cannot be reached the run fails at once, so nobody waits for it. The
    caller's transaction ends first: on SQLite it would hold the lock the worker needs.
    """
    db.session.commit()
    try:
        tasks.enqueue("run_match", run_id)
    except Exception as exc:  # the broker is down: say so on the run instead of a 500
        db.session.rollback()
        log.exception("matching run %s could not be queued", run_id)
        _fail(run_id, f"The task queue is unavailable ({type(exc).__name__}); start it again.")


def execute_run(run_id: int) -> RunStatus:
    """Snapshot, solve and store one queued run; return its final status."""
    if not _claim(run_id):
        return _status(run_id)
    try:
        run = db.session.get(MatchRun, run_id)
        assert run is not None  # noqa: S101 - claimed just now
        frozen = snapshot.build_snapshot(run.programme, dt.date.today())
        _progress(run_id, 20, "Solving", input_counts=frozen.counts)
        with _heartbeat(current_app._get_current_object(), run_id):  # type: ignore[attr-defined]
            solved = matcher.solve_snapshot(frozen)
        _progress(run_id, 80, f"Storing {len(solved.proposals)} proposals")
        _store(run_id, solved)
    # The worker's last line of defence: whatever went wrong, the run ends failed (with no
    # proposals: _store's transaction is rolled back) instead of staying "running".
    except Exception as exc:
        db.session.rollback()
        log.exception("matching run %s failed", run_id)
        _fail(run_id, f"{type(exc).__name__}: {exc}"[:2000])
    return _status(run_id)


def _claim(run_id: int) -> bool:
    """queued → running, atomically: only one worker gets a run."""
    now = utcnow()
    result = db.session.execute(
        update(MatchRun)
        .where(MatchRun.id == run_id, MatchRun.status == RunStatus.QUEUED)
        .values(status=RunStatus.RUNNING, started_at=now, heartbeat_at=now, progress=5)
        .values(message="Reading the eligible profiles")
    )
    db.session.commit()
    return bool(getattr(result, "rowcount", 0))


def _progress(run_id: int, progress: int, message: str, **values: Any) -> None:
    db.session.execute(
        update(MatchRun)
        .where(MatchRun.id == run_id, MatchRun.status == RunStatus.RUNNING)
        .values(progress=progress, message=message, heartbeat_at=utcnow(), **values)
    )
    db.session.commit()


@contextmanager
def _heartbeat(app: Flask, run_id: int) -> Iterator[None]:
    """Beat the run's heartbeat from a side thread while the solver holds this one."""
    stop = threading.Event()
    every = float(app.config.get("MATCH_HEARTBEAT_SECONDS", 10))

    def beat() -> None:
        with app.app_context():
            while not stop.wait(every):
                db.session.execute(
                    update(MatchRun)
                    .where(MatchRun.id == run_id, MatchRun.status == RunStatus.RUNNING)
                    .values(heartbeat_at=utcnow())
                )
                db.session.commit()
            db.session.remove()

    thread = threading.Thread(target=beat, name=f"match-beat-{run_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 5)


def _store(run_id: int, solved: matcher.Solved) -> None:
    """All proposals and the status change in one transaction, or nothing."""
    now = utcnow()
    finished = db.session.execute(
        update(MatchRun)
        .where(MatchRun.id == run_id, MatchRun.status == RunStatus.RUNNING)
        .values(
            status=RunStatus.SUCCEEDED,
            progress=100,
            message=_summary(solved),
            finished_at=now,
            heartbeat_at=now,
            stats=solved.stats,
            timings=solved.timings,
            unmatched=solved.unmatched,
            error=wording.skipped_pins(solved.skipped_pins)[:2000],
        )
    )
    if not getattr(finished, "rowcount", 0):
        db.session.rollback()  # failed meanwhile (declared stale): store nothing
        return
    rows = [_proposal_row(run_id, p) for p in solved.proposals]
    if rows:
        db.session.execute(insert(Proposal), rows)
    db.session.commit()


def _proposal_row(run_id: int, proposal: dict[str, Any]) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "student_id": proposal["student_id"],
        "mentor_id": proposal.get("mentor_id"),
        "project_id": proposal.get("project_id"),
        "score": proposal["score"],
        "breakdown": proposal["breakdown"],
        "alternatives": proposal["alternatives"],
        "basis": proposal["basis"],
        "pinned": proposal["pinned"],
    }


def _summary(solved: matcher.Solved) -> str:
    parts = [
        f"{stats['matched']} of {stats['students']} students proposed a {kind}"
        for kind, stats in solved.stats.items()
    ]
    return "; ".join(parts)[:200] or "Nothing to match"


def _fail(run_id: int, error: str) -> None:
    db.session.execute(
        update(MatchRun)
        .where(MatchRun.id == run_id, MatchRun.status.in_(ACTIVE))
        .values(status=RunStatus.FAILED, error=error, finished_at=utcnow(), message="Failed")
    )
    db.session.commit()


def _status(run_id: int) -> RunStatus:
    status = db.session.scalar(db.select(MatchRun.status).where(MatchRun.id == run_id))
    return RunStatus(status) if status is not None else RunStatus.FAILED


def latest_runs(programme_id: int, limit: int = 10) -> list[MatchRun]:
    """The programme's latest runs, newest first."""
    query = (
        db.select(MatchRun)
        .where(MatchRun.programme_id == programme_id)
        .order_by(MatchRun.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
