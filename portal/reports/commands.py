"""``flask export …`` and ``flask report outcomes …``: the same files and figures as the pages."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import click

from portal.extensions import db
from portal.models import MatchRun, Programme, School
from portal.programmes.summary import Filters
from portal.reports import exports, outcomes, spreadsheet

EXPORT_KINDS = [*exports.KINDS, "proposals"]


@click.command("export")
@click.argument("kind", type=click.Choice(EXPORT_KINDS))
@click.option("--school", "join_code", required=True, help="The school's join code.")
@click.option("--format", "fmt", type=click.Choice(spreadsheet.FORMATS), default="csv")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--run", "run_id", type=int, help="The matching run (proposals only).")
def export(kind: str, join_code: str, fmt: str, output: str, run_id: int | None) -> None:
    """Write the school's KIND list (unfiltered) to OUTPUT as CSV or .xlsx."""
    school = db.session.scalar(db.select(School).where(School.join_code == join_code))
    if school is None:
        raise click.ClickException(f"no school with the join code {join_code}")
    table = _table(kind, school, run_id)
    rows = table.count()
    exports.record_export(None, table, fmt, {"school": school.id}, rows)
    if fmt == "xlsx":
        with (
            spreadsheet.xlsx_file(table.kind, table.header, table.rows()) as made,
            open(output, "wb") as out,
        ):
            shutil.copyfileobj(made, out)
    else:
        with open(output, "w", encoding="utf-8", newline="") as out:
            out.writelines(spreadsheet.csv_lines(table.header, table.rows()))
    click.echo(f"{rows} rows written to {output}")


def _table(kind: str, school: School, run_id: int | None) -> exports.Table:
    if kind != "proposals":
        return exports.KINDS[kind]({school.id}, {})
    run = db.session.get(MatchRun, run_id) if run_id is not None else None
    if run is None or run.programme.school_id != school.id:
        raise click.ClickException("give --run with a matching run of this school")
    return exports.proposals(run, Filters())


@click.group("report")
def report() -> None:
    """Reports."""


@report.command("outcomes")
@click.argument("programme_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
def report_outcomes(programme_id: int, fmt: str) -> None:
    """Print the outcome report of PROGRAMME_ID as JSON or CSV."""
    programme = db.session.get(Programme, programme_id)
    if programme is None or programme.purged_at is not None:
        raise click.ClickException(f"no programme {programme_id}")
    now = dt.datetime.now(dt.UTC)
    figures = outcomes.compute(programme.name, programme.school_id, programme.id, now)
    if fmt == "json":
        click.echo(json.dumps(outcomes.as_json(figures), indent=2))
    else:
        click.echo(outcomes.as_csv(figures), nl=False)


commands = [export, report]
