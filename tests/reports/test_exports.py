"""Exports: every kind in both formats, filters kept, formulas neutralised, access, audit."""

from __future__ import annotations

import csv
import inspect
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from portal.extensions import db
from portal.models import AuditEvent, MatchRun, MentorTraining, Proposal, RunStatus
from portal.reports import spreadsheet
from tests import factories
from tests.conftest import AuthActions
from tests.reports.world import ReportWorld


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read(data: bytes, fmt: str) -> list[list[Any]]:
    rows = read_csv(data) if fmt == "csv" else read_xlsx(data)
    return [["" if v is None else str(v) for v in row] for row in rows]


def add_run(world: ReportWorld) -> MatchRun:
    run = MatchRun(programme_id=world.programme.id, status=RunStatus.SUCCEEDED)
    db.session.add(run)
    db.session.flush()
    for match in world.matches:
        db.session.add(
            Proposal(run_id=run.id, student_id=match.student_id, mentor_id=match.mentor_id,
                     project_id=match.project_id, score=0.75)
        )  # fmt: skip
    db.session.commit()
    return run


def test_neutralise_formula_starts() -> None:
    for risky in ("=SUM(A1)", "+1", "-2+3", "@cmd"):
        assert spreadsheet.neutralise(risky) == "'" + risky
    assert spreadsheet.neutralise("Ana") == "Ana"
    assert spreadsheet.neutralise(-3) == -3


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("kind", "first_header", "rows"),
    [
        ("students", "Id", 6),
        ("partners", "Kind", 3),
        ("relationships", "Id", 3),
        ("meetings", "Id", 4),
        ("support_contacts", "Id", 1),
        ("survey_answers", "Id", 2),
    ],
)
def test_each_kind_in_both_formats(
    client: FlaskClient, auth: AuthActions, fmt: str, kind: str, first_header: str, rows: int
) -> None:
    world = ReportWorld.new()
    auth.login_as(world.counselor)
    status = "&status=verified" if kind == "partners" else ""
    response = client.get(f"/reports/export/{kind}?format={fmt}{status}")
    assert response.status_code == 200
    assert f"{kind}-" in response.headers["Content-Disposition"]
    table = read(response.data, fmt)
    assert table[0][0] == first_header
    assert len(table) == rows + 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_proposals_of_a_run(client: FlaskClient, auth: AuthActions, fmt: str) -> None:
    world = ReportWorld.new()
    run = add_run(world)
    auth.login_as(world.counselor)
    table = read(client.get(f"/reports/runs/{run.id}/proposals?format={fmt}").data, fmt)
    assert table[0] == ["Id", "Student", "Kind", "Mentor or project", "Score", "Status"]
    assert sorted(row[2] for row in table[1:]) == ["mentor", "mentor", "project"]
    only_projects = client.get(f"/reports/runs/{run.id}/proposals?format={fmt}&kind=project")
    assert [row[2] for row in read(only_projects.data, fmt)[1:]] == ["project"]


def test_filters_of_the_page_are_kept(client: FlaskClient, auth: AuthActions) -> None:
    world = ReportWorld.new()
    auth.login_as(world.counselor)
    awaiting = read_csv(client.get("/reports/export/students?consent=awaiting").data)
    assert len(awaiting) == 2
    named = read_csv(client.get("/reports/export/students?q=S3").data)
    assert [row[1] for row in named[1:]] == ["S3"]
    confirmed = read_csv(client.get("/reports/export/meetings?confirmed=yes").data)
    assert {row[-1] for row in confirmed[1:]} == {"yes"}
    assert len(confirmed) == 4


def test_partners_show_check_and_training(client: FlaskClient, auth: AuthActions) -> None:
    world = ReportWorld.new()
    mentor = world.matches[0].mentor
    assert mentor is not None
    db.session.add(
        MentorTraining(
            user_id=mentor.user_id,
            course="Safeguarding",
            completed_on=world.programme.starts_on,
            hours=2,
        )
    )
    db.session.commit()
    auth.login_as(world.counselor)
    table = read_csv(client.get("/reports/export/partners?status=verified").data)
    assert table[0][4:] == ["Background check", "Training"]
    trainings = sorted(row[5] for row in table[1:] if row[0] == "mentor")
    assert trainings == [
        f"completed {world.programme.starts_on.isoformat()}",
        "no training on record",
    ]
    assert all(row[4].startswith("expires in") for row in table[1:] if row[0] == "mentor")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formulas_are_neutralised(client: FlaskClient, auth: AuthActions, fmt: str) -> None:
    world = ReportWorld.new()
    factories.make_student(world.school, first_name="=HYPERLINK(1)", last_name="@evil")
    auth.login_as(world.counselor)
    table = read(client.get(f"/reports/export/students?format={fmt}&q=evil").data, fmt)
    assert table[1][1:3] == ["'=HYPERLINK(1)", "'@evil"]


def test_only_own_schools_and_staff(client: FlaskClient, auth: AuthActions) -> None:
    world = ReportWorld.new()
    other = factories.make_school()
    factories.make_student(other, first_name="Elsewhere")
    auth.login_as(world.counselor)
    table = read_csv(client.get("/reports/export/students").data)
    assert "Elsewhere" not in {row[1] for row in table}
    assert client.get(f"/reports/export/students?school_id={other.id}").status_code == 404
    assert client.get("/reports/export/nothing").status_code == 404
    assert client.get("/reports/export/students?format=pdf").status_code == 404
    huge = f"school_id={2**70}&programme_id={2**70}"
    assert client.get(f"/reports/export/meetings?{huge}").status_code == 200
    auth.logout()
    mentor = world.matches[0].mentor
    assert mentor is not None
    auth.login_as(mentor.user)
    assert client.get("/reports/export/students").status_code == 403


def test_one_audit_event_without_search_terms(client: FlaskClient, auth: AuthActions) -> None:
    world = ReportWorld.new()
    auth.login_as(world.counselor)
    client.get("/reports/export/students?format=xlsx&q=S3&grade=10")
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "data.export")
    ).all()
    assert len(events) == 1
    assert events[0].actor_id == world.counselor.id
    assert events[0].detail == {
        "kind": "students",
        "format": "xlsx",
        "filters": {"grade": "10"},
        "rows": 1,
        "searched": True,
    }
    assert "S3" not in str(events[0].detail)


@pytest.mark.parametrize("kind", ["students", "relationships", "meetings"])
def test_every_student_an_export_names_is_audited_against_them(
    kind: str, client: FlaskClient, auth: AuthActions
) -> None:
    world = ReportWorld.new()
    auth.login_as(world.counselor)
    client.get(f"/reports/export/{kind}?format=csv").get_data()
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "student.exported")
    ).all()
    assert events and all(e.object_type == "student" for e in events)
    assert all(e.actor_id == world.counselor.id and e.school_id for e in events)
    assert all(e.detail == {"kind": kind, "format": "csv"} for e in events)
    seen = {e.object_id for e in events}
    matched = {m.student_id for m in world.matches}
    if kind == "relationships":  # every match is listed
        assert seen == matched
    elif kind == "meetings":  # the students whose matches had meetings
        assert seen <= matched


def test_csv_streams_and_xlsx_is_write_only(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    world = ReportWorld.new()
    # The plain client (not the suite's isolated one) can read a response as it streams.
    plain = FlaskClient(app, app.response_class)
    plain.post("/login", data={"email": world.counselor.email, "password": factories.PASSWORD})
    response = plain.get("/reports/export/students", buffered=False)
    assert response.is_streamed
    assert not isinstance(response.response, list | tuple)
    assert len(read_csv(response.data)) == 7
    assert inspect.isgeneratorfunction(spreadsheet.csv_lines)
    made: list[bool] = []
    real = spreadsheet.Workbook

    def spy(write_only: bool = False) -> Any:
        made.append(write_only)
        return real(write_only=write_only)

    monkeypatch.setattr(spreadsheet, "Workbook", spy)
    assert plain.get("/reports/export/students?format=xlsx").status_code == 200
    assert made == [True]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_command_line(runner: FlaskCliRunner, tmp_path: Path, fmt: str) -> None:
    world = ReportWorld.new()
    out = tmp_path / f"students.{fmt}"
    args = ["export", "students", "--school", "HILL", "--format", fmt, "--output", str(out)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"6 rows written to {out}"
    assert len(read(out.read_bytes(), fmt)) == 7
    out = tmp_path / f"relationships.{fmt}"
    args = ["export", "relationships", "--school", "HILL", "--format", fmt, "--output", str(out)]
    assert runner.invoke(args=args).exit_code == 0
    assert len(read(out.read_bytes(), fmt)) == 4
    run = add_run(world)
    out = tmp_path / f"proposals.{fmt}"
    args = [
        "export",
        "proposals",
        "--school",
        "HILL",
        "--run",
        str(run.id),
        "--format",
        fmt,
        "--output",
        str(out),
    ]
    assert runner.invoke(args=args).exit_code == 0
    assert len(read(out.read_bytes(), fmt)) == 4


def test_command_line_unknown_school(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        args=["export", "students", "--school", "NOPE", "--output", str(tmp_path / "x.csv")]
    )
    assert result.exit_code != 0
    assert "no school with the join code NOPE" in result.output


def test_lists_offer_downloads_with_their_filters(client: FlaskClient, auth: AuthActions) -> None:
    world = ReportWorld.new()
    run = add_run(world)
    auth.login_as(world.counselor)
    students = client.get("/counselor/students?grade=10&page=1").get_data(as_text=True)
    assert "/reports/export/students?format=xlsx&amp;grade=10" in students
    partners = client.get("/counselor/partners?status=verified").get_data(as_text=True)
    assert "/reports/export/partners?format=csv&amp;status=verified" in partners
    review = client.get(f"/programmes/runs/{run.id}/review?kind=mentor").get_data(as_text=True)
    assert f"/reports/runs/{run.id}/proposals?format=csv&amp;kind=mentor" in review


def test_report_is_linked_from_programme_and_dashboard(
    client: FlaskClient, auth: AuthActions
) -> None:
    world = ReportWorld.new()
    auth.login_as(world.counselor)
    programme = client.get(f"/programmes/{world.programme.id}").get_data(as_text=True)
    assert f"/reports/programmes/{world.programme.id}/outcomes" in programme
    assert "/reports/export/meetings?" in programme
    dashboard = client.get("/counselor/").get_data(as_text=True)
    assert f"/reports/schools/{world.school.id}/outcomes" in dashboard


def test_relationships_keep_the_page_filters(client: FlaskClient, auth: AuthActions) -> None:
    world = ReportWorld.new()
    auth.login_as(world.counselor)
    ended = read_csv(client.get("/reports/export/relationships?status=ended").data)
    assert len(ended) == 2
    assert ended[1][5:9] == ["ended", ended[1][6], ended[1][7], "Moved away"]
    projects = read_csv(client.get("/reports/export/relationships?kind=project").data)
    assert [row[3] for row in projects[1:]] == ["project"]
    page = client.get("/counselor/relationships?status=ended").get_data(as_text=True)
    assert "/reports/export/relationships?format=xlsx&amp;status=ended" in page


def test_support_and_surveys_leave_notes_and_comments_out(
    client: FlaskClient, auth: AuthActions
) -> None:
    world = ReportWorld.new()
    auth.login_as(world.counselor)
    contacts = read_csv(client.get("/reports/export/support_contacts").data)
    assert contacts[1][4:] == ["2026-11-10", "The guardian", "Phone", world.counselor.display_name]
    assert "Private note" not in str(contacts)
    surveys = read_csv(client.get("/reports/export/survey_answers").data)
    assert sorted(row[3:] for row in surveys[1:])[0][0] == "partner"
    assert {row[5] for row in surveys[1:]} == {"4", "5"}
    assert "secret comment" not in str(surveys)
