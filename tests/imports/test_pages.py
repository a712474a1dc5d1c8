"""The counselor's import page: upload, column mapping, preview, the job; files it refuses."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, StudentImport, StudentProfile
from tests import factories
from tests.conftest import AuthActions, make_app
from tests.counselor.conftest import CounselorWorld
from tests.imports import classlist


def _students() -> int:
    return db.session.scalar(select(func.count(StudentProfile.id))) or 0


def _upload(
    client: FlaskClient, world: CounselorWorld, data: bytes, name: str = "class.csv", **extra: Any
) -> Any:
    form = {"school": str(world.school.id), "file": (io.BytesIO(data), name), **extra}
    return client.post("/counselor/students/import", data=form, content_type="multipart/form-data")


def _preview(
    client: FlaskClient, world: CounselorWorld, data: bytes, name: str = "class.csv"
) -> str:
    response = _upload(client, world, data, name)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _import(client: FlaskClient, world: CounselorWorld, data: bytes) -> str:
    response = _upload(client, world, data)
    url = response.headers["Location"]
    start = client.post(url + "/start")
    assert start.status_code == 303
    return client.get(url).get_data(as_text=True)


def test_three_bad_rows_are_named_and_nothing_saved_fixed_imports_300_again_changes_nothing(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    world = counselor_client
    good = classlist.rows(300)
    page = _preview(client, world, classlist.csv_bytes(classlist.with_three_bad(good)))
    assert "3 problems in the file" in page
    assert "<td>11</td><td>Grade</td>" in page
    assert "<td>101</td><td>First name</td>" in page
    assert "<td>201</td><td>Date of birth</td>" in page
    assert "/start" not in page  # no import button
    assert _students() == 0

    page = _preview(client, world, classlist.csv_bytes(good))
    assert "300 to add, 0 to update, 0 left as they are." in page
    page = _import(client, world, classlist.csv_bytes(good))
    assert "300 added, 0 updated, 0 unchanged." in page
    assert _students() == 300
    page = _import(client, world, classlist.csv_bytes(good))
    assert "0 added, 0 updated, 300 unchanged." in page
    assert _students() == 300
    imported = db.session.scalars(select(AuditEvent).filter_by(action="students.imported")).all()
    assert [(e.detail["added"], e.detail["unchanged"], e.actor_id) for e in imported] == [
        (300, 0, world.counselor.id),
        (0, 300, world.counselor.id),
    ]
    assert (
        len(db.session.scalars(select(AuditEvent).filter_by(action="student.added")).all()) == 300
    )


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
def test_csv_in_utf8_with_or_without_bom_and_windows_1252(
    client: FlaskClient, counselor_client: CounselorWorld, encoding: str
) -> None:
    lines = classlist.rows(2)
    lines[0][1] = "Zoë"
    lines[1][2] = "Muñoz"
    _import(client, counselor_client, classlist.csv_bytes(lines, encoding=encoding))
    names = set(db.session.execute(select(StudentProfile.first_name, StudentProfile.last_name)))
    assert ("Zoë", "Okafor1") in names and ("Ana2", "Muñoz") in names


def test_xlsx_is_read_and_formula_cells_are_refused_not_evaluated(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    lines: list[list[object]] = [list(line) for line in classlist.rows(3)]
    lines[0][3] = 9  # a number cell
    page = _preview(client, counselor_client, classlist.xlsx_bytes(lines), "class.xlsx")
    assert "3 to add" in page
    lines[1][1] = '=HYPERLINK("http://evil.example","x")'
    lines[2][3] = "=4+5"
    page = _preview(client, counselor_client, classlist.xlsx_bytes(lines), "class.xlsx")
    assert "<td>3</td><td>First name</td><td>Looks like a spreadsheet formula" in page
    assert "<td>4</td><td>Grade</td>" in page
    assert _students() == 0


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "class.csv", "The file is empty."),
        (b"\r\n \r\n", "class.csv", "The file is empty."),
        (b"Student ID,First Name\r\n", "class.csv", "no students"),
        (b"hello", "class.txt", "Upload a .csv or .xlsx file."),
        (b"PK\x03\x04 not really a zip", "class.xlsx", "could not be read"),
        (b"PK\x03\x04 a zip named csv", "class.csv", "not a CSV text file"),
        (b"Student ID\r\n\x00\x01", "class.csv", "not a CSV text file"),
        (b"First Name,Last\r\nAna\x81,x\r\n", "class.csv", "could not be read"),
        (b"Name\r\nA\r\n", "notes.xlsx", "not an Excel .xlsx file"),
    ],
)
def test_bad_files_get_a_clear_message_never_a_500(
    client: FlaskClient, counselor_client: CounselorWorld, data: bytes, name: str, message: str
) -> None:
    response = _upload(client, counselor_client, data, name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(StudentImport.id))) == 0


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    app = make_app(tmp_path, UPLOAD_MAX_BYTES=1000)
    with app.app_context():
        school = factories.make_school()
        counselor = factories.make_counselor(school)
        client = app.test_client()
        AuthActions(client).login_as(counselor)
        data = classlist.csv_bytes(classlist.rows(30))
        form = {"school": str(school.id), "file": (io.BytesIO(data), "class.csv")}
        response = client.post(
            "/counselor/students/import", data=form, content_type="multipart/form-data"
        )
        assert response.status_code == 422
        assert "larger than" in response.get_data(as_text=True)


def test_duplicates_unknown_grades_and_a_minor_without_guardian_are_listed(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    lines = classlist.rows(4)
    lines[1][0] = lines[0][0]  # same student number as row 2
    lines[2][3] = "13"
    lines[3][6] = ""
    lines[2][2] = "Okafor\u200b"
    page = _preview(client, counselor_client, classlist.csv_bytes(lines))
    assert "<td>4</td><td>Last name</td><td>Contains invisible" in page
    assert "<td>3</td><td>Student number</td><td>Same as row 2.</td>" in page
    assert "<td>4</td><td>Grade</td><td>Unknown grade &#39;13&#39;" in page
    assert "<td>5</td><td>Guardian name</td><td>A student under 18 needs" in page


def test_headers_it_does_not_know_are_mapped_by_the_counselor(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    headers = [
        "Pupil Ref",
        "Vorname",
        "Nachname",
        "Klasse",
        "Geburtstag",
        "E-Mail",
        "Parent Name",
        "Parent Email",
        "Language",
    ]
    response = _upload(
        client, counselor_client, classlist.csv_bytes(classlist.rows(2), headers=headers)
    )
    preview = response.headers["Location"]
    page = client.get(preview)
    assert page.status_code == 303 and page.headers["Location"].endswith("/columns")
    columns = page.headers["Location"]
    form = client.get(columns).get_data(as_text=True)
    assert "Which column is which?" in form
    chosen = {
        "first_name": "Vorname",
        "last_name": "Nachname",
        "grade": "Klasse",
        "guardian_name": "Parent Name",
        "guardian_email": "Parent Email",
    }
    missing_dob = client.post(columns, data=chosen)
    assert missing_dob.status_code == 422
    assert "Choose the column that holds it." in missing_dob.get_data(as_text=True)
    twice = client.post(
        columns, data={**chosen, "date_of_birth": "Klasse", "student_number": "Pupil Ref"}
    )
    assert "This column is chosen for two fields." in twice.get_data(as_text=True)
    chosen |= {"date_of_birth": "Geburtstag", "student_number": "Pupil Ref", "email": "E-Mail"}
    assert client.post(columns, data=chosen).status_code == 303
    assert "2 to add" in client.get(preview).get_data(as_text=True)


def test_another_schools_import_is_404(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    world = counselor_client
    job = StudentImport(
        school_id=world.other_school.id,
        filename="x.csv",
        content=classlist.csv_bytes(classlist.rows(1)),
        total=1,
    )
    db.session.add(job)
    db.session.commit()
    for suffix in ("", "/columns", "/progress"):
        assert client.get(f"/counselor/imports/{job.id}{suffix}").status_code == 404
    assert client.post(f"/counselor/imports/{job.id}/start").status_code == 404
    other = {
        "school": str(world.other_school.id),
        "file": (io.BytesIO(classlist.csv_bytes(classlist.rows(1))), "c.csv"),
    }
    refused = client.post(
        "/counselor/students/import", data=other, content_type="multipart/form-data"
    )
    assert refused.status_code == 422  # not a school of theirs to choose


def test_a_file_in_another_field_is_refused(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    data = {
        "school": (io.BytesIO(b"1"), "school.txt"),
        "file": (io.BytesIO(classlist.csv_bytes(classlist.rows(1))), "c.csv"),
    }
    response = client.post(
        "/counselor/students/import", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 400


def test_the_progress_fragment_polls_while_the_job_runs(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    job = StudentImport(
        school_id=counselor_client.school.id,
        filename="x.csv",
        status="running",
        content=b"x",
        total=20_000,
    )
    db.session.add(job)
    db.session.commit()
    url = f"/counselor/imports/{job.id}/progress"
    fragment = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in fragment and "<progress" in fragment
    assert f'href="/counselor/imports/{job.id}"' in fragment  # works without JavaScript
    page = client.get(url)  # without htmx: the import's own page
    assert page.status_code == 303 and page.location.endswith(f"/counselor/imports/{job.id}")


def test_the_import_needs_a_csrf_token(tmp_path: Path) -> None:
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        school = factories.make_school()
        counselor = factories.make_counselor(school)
        job = StudentImport(
            school_id=school.id,
            created_by_id=counselor.id,
            filename="c.csv",
            content=classlist.csv_bytes(classlist.rows(2)),
            total=2,
            mapping={},
        )
        db.session.add(job)
        db.session.commit()
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        login = {"email": counselor.email, "password": factories.PASSWORD, "csrf_token": token}
        assert client.post("/login", data=login).status_code == 303
        client.post(f"/counselor/imports/{job.id}/start")
        db.session.refresh(job)
        assert job.status == "uploaded"
        form = {
            "school": str(school.id),
            "file": (io.BytesIO(classlist.csv_bytes(classlist.rows(2))), "c.csv"),
        }
        response = client.post(
            "/counselor/students/import", data=form, content_type="multipart/form-data"
        )
        assert response.status_code in (400, 422)
        assert db.session.scalar(select(func.count(StudentImport.id))) == 1


def test_students_list_links_the_import_and_the_form(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    page = client.get("/counselor/students").get_data(as_text=True)
    assert 'href="/counselor/students/import"' in page
    assert 'href="/counselor/students/new"' in page


def _statements(client: FlaskClient, url: str) -> int:
    from tests.security.test_query_counts import count_queries

    client.get(url)
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_the_preview_and_the_invitations_take_as_many_queries_for_400_rows_as_for_5(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    world = counselor_client
    small = _upload(client, world, classlist.csv_bytes(classlist.rows(5))).headers["Location"]
    few = _statements(client, small)
    _import(client, world, classlist.csv_bytes(classlist.rows(400)))
    lines = classlist.rows(400)
    lines[0][2] = "Changed"
    large = _upload(client, world, classlist.csv_bytes(lines)).headers["Location"]
    assert "1 to update, 399 left as they are" in client.get(large).get_data(as_text=True)
    assert _statements(client, large) == few
    before = _statements(client, "/counselor/invitations")
    emails = " ".join(f"partner{i}@example.org" for i in range(30))
    client.post("/counselor/invitations", data={"school": str(world.school.id), "emails": emails})
    assert _statements(client, "/counselor/invitations") == before


def test_a_job_whose_rows_went_bad_or_that_crashed_saves_nothing_and_says_so(
    client: FlaskClient, counselor_client: CounselorWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = counselor_client
    lines = classlist.rows(2)
    url = _upload(client, world, classlist.csv_bytes(lines)).headers["Location"]
    factories.make_user(email="student2@riverside.example.org")  # taken after the preview
    assert client.post(url + "/start").status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Nothing was saved." in page and "Row 3, Email: This email belongs" in page
    assert _students() == 0

    from portal.imports import services

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    url = _upload(client, world, classlist.csv_bytes(classlist.rows(1))).headers["Location"]
    monkeypatch.setattr(services, "import_table", crash)
    assert client.post(url + "/start").status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert 'data-status="failed"' in page and "Nothing was saved." in page
