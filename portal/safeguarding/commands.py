"""Commands: ``flask safeguarding check-expiry``, ``flask purge``, ``flask security-check``."""

from __future__ import annotations

import datetime as dt

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from portal.models import utcnow
from portal.safeguarding import checks, retention
from portal.security import insecure_settings

safeguarding = AppGroup("safeguarding", help="Safeguarding jobs (the worker runs them daily).")


@safeguarding.command("check-expiry")
def check_expiry() -> None:
    """Flag checks expiring within 30 days; pause live matches of expired checks."""
    today = dt.date.today()
    paused = checks.pause_expired(today)
    for status in checks.check_statuses(today):
        click.echo(f"{status.role} #{status.user_id}: {status.label} ({status.expires_on})")
    click.echo(f"{len(paused)} match(es) paused.")


@click.command("purge")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="List what would be purged; change nothing.")
def purge(dry_run: bool) -> None:
    """Purge personal detail of programmes that ended more than RETENTION_MONTHS ago, and
    the bodies of emails sent more than OUTBOX_RETENTION_DAYS ago."""
    months = int(current_app.config["RETENTION_MONTHS"])
    today = dt.date.today()
    plans = (retention.plan_purge if dry_run else retention.purge)(today, months)
    for line in retention.report(plans, months, dry_run):
        click.echo(line)
    days = int(current_app.config["OUTBOX_RETENTION_DAYS"])
    mail = (retention.plan_outbox_purge if dry_run else retention.purge_outbox)(utcnow(), days)
    click.echo(retention.outbox_report(mail, days, dry_run))


@click.command("security-check")
@with_appcontext
@click.option(
    "--workers",
    type=int,
    default=1,
    envvar="WEB_CONCURRENCY",
    show_default=True,
    help="Worker processes the server runs (WEB_CONCURRENCY).",
)
def security_check(workers: int) -> None:
    """Exit non-zero when the settings are unsafe for production."""
    problems = insecure_settings(current_app, workers)
    for problem in problems:
        click.echo(f"UNSAFE: {problem}", err=True)
    if problems:
        raise SystemExit(1)
    click.echo("Security settings look right for production.")


commands = [safeguarding, purge, security_check]
