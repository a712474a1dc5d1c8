"""``flask students import``: counts and exit 0, or every bad row, nothing saved and exit 1."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, OutboxMessage, School, StudentProfile
from tests import factories
from tests.imports import classlist


def _students() -> int:
    return db.session.scalar(select(func.count(StudentProfile.id))) or 0


def _run(runner: FlaskCliRunner, path: Path, school: School, *extra: str) -> tuple[int, str]:
    result = runner.invoke(
        args=["students", "import", str(path), "--school", school.join_code, *extra]
    )
    return result.exit_code, result.output


def test_a_class_list_with_three_bad_rows_saves_nothing_then_imports_then_changes_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    school = factories.make_school()
    good = classlist.rows(300)
    path = tmp_path / "class.csv"
    path.write_bytes(classlist.csv_bytes(classlist.with_three_bad(good)))
    code, output = _run(runner, path, school)
    assert code == 1
    assert output.splitlines() == [
        "row 11, Grade: Unknown grade 'Year Z': use a number from 6 to 12.",
        "row 101, First name: Missing.",
        "row 201, Date of birth: Enter the date as YYYY-MM-DD, for example 2010-05-31.",
    ]
    assert _students() == 0

    path.write_bytes(classlist.csv_bytes(good))
    assert _run(runner, path, school) == (0, "300 added, 0 updated, 0 unchanged\n")
    assert _students() == 300
    assert _run(runner, path, school) == (0, "0 added, 0 updated, 300 unchanged\n")
    assert _students() == 300
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "students.imported")
    ).all()
    assert [event.detail["added"] for event in events] == [300, 0]


def test_a_changed_row_is_updated_and_a_dry_run_saves_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    school = factories.make_school()
    lines = classlist.rows(3)
    path = tmp_path / "class.csv"
    path.write_bytes(classlist.csv_bytes(lines))
    assert _run(runner, path, school, "--dry-run")[0] == 0
    assert _students() == 0
    _run(runner, path, school)
    lines[0][2] = "Renamed"
    path.write_bytes(classlist.csv_bytes(lines))
    assert _run(runner, path, school) == (0, "0 added, 1 updated, 2 unchanged\n")
    student = db.session.scalars(select(StudentProfile).filter_by(student_number="S00001")).one()
    assert student.last_name == "Renamed"
    assert student.guardian_language == "es"
    assert student.is_minor and str(student.consent_status) == "awaiting"


def test_invite_emails_each_new_student_and_each_guardian_of_a_minor(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    school = factories.make_school()
    path = tmp_path / "class.xlsx"
    path.write_bytes(classlist.xlsx_bytes(classlist.rows(2)))
    assert _run(runner, path, school, "--invite")[0] == 0
    recipients = sorted(m.to for m in db.session.scalars(select(OutboxMessage)))
    assert recipients == [
        "parent1@example.org",
        "parent2@example.org",
        "student1@riverside.example.org",
        "student2@riverside.example.org",
    ]


def test_unknown_school_and_unreadable_file_exit_non_zero(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    school = factories.make_school()
    path = tmp_path / "class.csv"
    path.write_bytes(b"")
    assert _run(runner, path, school)[0] == 1
    assert "The file is empty." in _run(runner, path, school)[1]
    path.write_bytes(classlist.csv_bytes(classlist.rows(1)))
    result = runner.invoke(args=["students", "import", str(path), "--school", "NOPE"])
    assert result.exit_code == 1


def test_an_erased_student_keeps_no_number_and_a_later_import_adds_them_anew(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    from portal.safeguarding.rights import erase_student

    school = factories.make_school()
    path = tmp_path / "class.csv"
    path.write_bytes(classlist.csv_bytes(classlist.rows(2)))
    _run(runner, path, school)
    first = db.session.scalars(select(StudentProfile).filter_by(student_number="S00001")).one()
    erase_student(factories.make_counselor(school), first)
    assert first.student_number is None
    assert _run(runner, path, school) == (0, "1 added, 0 updated, 1 unchanged\n")
