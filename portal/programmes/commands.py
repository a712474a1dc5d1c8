"""``flask match …``: run matching in this process, or queue it for a worker."""

from __future__ import annotations

import click

from portal.extensions import db
from portal.models import MatchRun, Programme, RunStatus
from portal.programmes import runs


@click.group("match")
def match() -> None:
    """Matching runs."""


@match.command("run")
@click.argument("programme_id", type=int)
@click.option("--enqueue", is_flag=True, help="Queue the run for a worker; print its id.")
def run_programme(programme_id: int, enqueue: bool) -> None:
    """Run matching for PROGRAMME_ID now, in this process (or queue it with --enqueue)."""
    programme = db.session.get(Programme, programme_id)
    if programme is None or programme.purged_at is not None:
        raise click.ClickException(f"no programme {programme_id}")
    try:
        run = runs.start_run(None, programme)
    except runs.RunBusyError as exc:
        raise click.ClickException("a run of this programme is already in progress") from exc
    if enqueue:
        runs.launch(run.id)
        click.echo(run.id)
        return
    _finish(run.id)


@match.command("fail-stale")
def fail_stale() -> None:
    """Mark runs whose worker stopped beating as failed."""
    click.echo(f"{runs.fail_stale_runs()} stale runs marked failed.")


def _finish(run_id: int) -> None:
    status = runs.execute_run(run_id)
    message = db.session.scalar(db.select(MatchRun.message).where(MatchRun.id == run_id))
    click.echo(f"run {run_id}: {status}: {message}")
    if status != RunStatus.SUCCEEDED:
        raise SystemExit(1)


commands = [match]
