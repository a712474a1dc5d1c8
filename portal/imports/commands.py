"""``flask students import FILE --school JOIN_CODE [--dry-run] [--invite]``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from portal.extensions import db
from portal.imports.columns import guess_mapping, label, missing
from portal.imports.reading import UploadError, read_table
from portal.imports.services import import_table, max_bytes
from portal.models import School


@click.group("students")
def students() -> None:
    """Students of a school."""


@students.command("import")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--school", "join_code", required=True, help="The school's join code.")
@click.option("--dry-run", is_flag=True, help="Check and count; change nothing.")
@click.option("--invite", is_flag=True, help="Email new students and guardians of minors.")
def import_students(file: Path, join_code: str, dry_run: bool, invite: bool) -> None:
    """Import a class list (.csv or .xlsx): all rows or none; a second time changes nothing."""
    school = db.session.scalar(select(School).where(School.join_code == join_code))
    if school is None:
        raise click.ClickException(f"no school has the join code {join_code}")
    try:
        table = read_table(file.name, file.read_bytes()[: max_bytes() + 1], max_bytes())
    except UploadError as exc:
        raise click.ClickException(str(exc)) from exc
    mapping = guess_mapping(table.headers)
    unmapped = missing(mapping, table.headers)
    if unmapped:
        names = ", ".join(label(field) for field in unmapped)
        raise click.ClickException(f"no column recognised for: {names}")
    plan = import_table(None, school, table, mapping, invite=invite, dry_run=dry_run)
    for error in plan.errors:
        click.echo(f"row {error.row}, {error.column}: {error.message}")
    if plan.errors:
        raise SystemExit(1)
    counts = plan.counts()
    suffix = " (dry run: nothing saved)" if dry_run else ""
    click.echo(
        f"{counts['added']} added, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged{suffix}"
    )


commands = [students]
