"""Command-line entry points (``flask --app portal …``)."""

from __future__ import annotations

import importlib

import click
from flask import Flask
from flask.cli import with_appcontext

from portal import BLUEPRINTS, figures, kept_columns, mail, tasks
from portal.auth import services
from portal.extensions import db


@click.command("create-admin")
@click.option("--email", prompt=True, help="The administrator's email address (login).")
@click.option("--name", prompt=True, default="Administrator", help="Name shown in the portal.")
@click.password_option(help="At least 12 characters; asked for when not given.")
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator account."""
    if len(password) < 12:
        raise click.BadParameter("use at least 12 characters", param_hint="--password")
    if services.find_user(email) is not None:
        raise click.ClickException(f"an account with the email {email} already exists")
    services.create_admin(email, password, name)
    click.echo(f"Administrator {email} created.")


@click.command("create-db")
def create_db() -> None:
    """Create or upgrade the schema (the same as ``flask db upgrade``)."""
    from flask_migrate import upgrade

    upgrade()
    click.echo("Database schema is up to date.")


@click.command("worker")
@with_appcontext
@click.option("--workers", "-w", type=int, default=2, show_default=True, help="Worker threads.")
@click.option(
    "--no-scheduler",
    is_flag=True,
    help="Do not start periodic jobs here (they are safe to run on every worker anyway).",
)
def worker(workers: int, no_scheduler: bool) -> None:
    """Run the task queue's consumer: matching runs, email, the periodic jobs."""
    queue = tasks.huey()
    if queue.immediate:
        raise click.ClickException("TASK_QUEUE_IMMEDIATE is set: tasks run inline, no worker.")
    consumer = queue.create_consumer(
        workers=max(workers, 1), worker_type="thread", periodic=not no_scheduler
    )
    consumer.run()


@click.group("outbox")
def outbox() -> None:
    """The email outbox."""


@outbox.command("status")
@with_appcontext
def outbox_status() -> None:
    """How many messages are pending, sending, sent and failed."""
    for status, count in mail.status_counts().items():
        click.echo(f"{status}: {count}")


@click.group("figures")
def figures_group() -> None:
    """The counts kept per school for the dashboard (portal.figures)."""


@figures_group.command("recount")
@with_appcontext
def figures_recount() -> None:
    """Rebuild every school's figures from the rows (after a raw bulk load, or to repair)."""
    click.echo(f"{figures.recount()} figure(s) kept.")


@figures_group.command("check")
@with_appcontext
def figures_check() -> None:
    """Compare what portal.figures keeps with the rows; exit 1 if anything differs."""
    kept, rows = figures.kept(), figures.counted(figures.GROUPS, None)
    wrong = {key for key in kept.keys() | rows.keys() if kept.get(key, 0) != rows.get(key, 0)}
    for school_id, name in sorted(wrong):
        click.echo(
            f"school {school_id} {name}: kept {kept.get((school_id, name), 0)}, "
            f"rows {rows.get((school_id, name), 0)}"
        )
    drift = kept_columns.expiry_drift()
    for user_id in drift:
        click.echo(f"user {user_id}: best check expiry differs from the checks")
    unmet = kept_columns.first_met_drift()
    for match_id in unmet:
        click.echo(f"match {match_id}: first confirmed meeting differs from the meetings")
    moved = kept_columns.match_school_drift()
    for match_id in moved:
        click.echo(f"match {match_id}: school differs from its student's")
    if wrong or drift or unmet or moved:
        raise SystemExit(1)
    click.echo(f"{len(kept)} figure(s), best check expiries, first meetings: equal to the rows.")


def init_app(app: Flask) -> None:
    """Register this module's commands and those each area lists in ``commands``."""
    app.cli.add_command(create_admin)
    app.cli.add_command(create_db)
    app.cli.add_command(worker)
    app.cli.add_command(outbox)
    app.cli.add_command(figures_group)
    from portal.imports.commands import students  # after the blueprints (imports use them)

    app.cli.add_command(students)
    for name in BLUEPRINTS:
        for command in getattr(importlib.import_module(name), "commands", []):
            app.cli.add_command(command)
    app.shell_context_processor(lambda: {"db": db})
