"""The students list and the student record: scoped to the counselor's schools, audited."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import AuditEvent, ConsentStatus, Role, StudentProfile, utcnow
from tests import factories
from tests.conftest import AuthActions
from tests.counselor.conftest import CounselorWorld
from tests.security.test_query_counts import count_queries, loaded_by_id

HTMX = {"HX-Request": "true"}


@pytest.fixture
def students(counselor_client: CounselorWorld) -> dict[str, StudentProfile]:
    school, other = counselor_client.school, counselor_client.other_school
    return {
        "ana": factories.make_student(school, first_name="Ana", last_name="Okafor", grade=9),
        "ben": factories.make_student(
            school,
            first_name="Ben",
            last_name="Tran",
            grade=11,
            consent_status=ConsentStatus.AWAITING,
        ),
        "cy": factories.make_student(school, first_name="Cy", last_name="Po_lk", grade=11),
        "foreign": factories.make_student(other, first_name="Zed", last_name="Hidden"),
    }


def _results(client: FlaskClient, query: str = "", **kwargs: Any) -> str:
    return client.get(f"/counselor/students{query}", **kwargs).get_data(as_text=True)


def _views(student: StudentProfile) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            db.select(AuditEvent).where(
                AuditEvent.action == "student.view", AuditEvent.object_id == student.id
            )
        )
    )


def test_list_shows_only_own_schools_students(
    client: FlaskClient, students: dict[str, StudentProfile]
) -> None:
    page = _results(client)
    assert "Okafor, Ana" in page and "Tran, Ben" in page
    assert "Hidden" not in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?grade=11", ["Tran, Ben", "Po_lk, Cy"], ["Okafor, Ana"]),
        ("?consent=awaiting", ["Tran, Ben"], ["Okafor, Ana", "Po_lk, Cy"]),
        ("?q=okaf", ["Okafor, Ana"], ["Tran, Ben"]),
        ("?q=ana+oka", ["Okafor, Ana"], ["Tran, Ben"]),
        ("?q=_", ["Po_lk, Cy"], ["Okafor, Ana", "Tran, Ben"]),
        ("?q=%25", [], ["Okafor, Ana", "Tran, Ben", "Po_lk, Cy"]),
    ],
)
def test_filters(
    client: FlaskClient,
    students: dict[str, StudentProfile],
    query: str,
    shown: list[str],
    hidden: list[str],
) -> None:
    page = _results(client, query)
    assert all(name in page for name in shown)
    assert not any(name in page for name in hidden)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?grade=abc", "Not a valid integer value."),
        ("?grade=40", "Number must be between 6 and 12."),
        ("?consent=whatever", "Not a valid choice"),
        ("?q=" + "x" * 81, "Field cannot be longer than 80 characters."),
        ("?q=a%01b", "invisible or control characters"),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX])
def test_bad_filters_are_422_with_the_message(
    client: FlaskClient,
    students: dict[str, StudentProfile],
    query: str,
    message: str,
    headers: dict[str, str],
) -> None:
    response = client.get(f"/counselor/students{query}", headers=headers)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_list_fragment_for_htmx(client: FlaskClient, students: dict[str, StudentProfile]) -> None:
    body = _results(client, "?grade=9", headers=HTMX)
    assert body.lstrip().startswith('<section id="student-results"')
    assert "Okafor, Ana" in body and "<html" not in body


def test_listing_is_audited(client: FlaskClient, students: dict[str, StudentProfile]) -> None:
    _results(client, "?grade=11")
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "student.list")
    ).all()
    # One event per student shown, against that student and their school.
    assert sorted(e.object_id for e in events) == sorted([students["ben"].id, students["cy"].id])
    assert {e.school_id for e in events} == {students["ben"].school_id}
    assert all(e.detail == {"filters": {"grade": "11"}, "searched": False} for e in events)


def test_list_loads_each_students_school_and_account_with_the_student(
    client: FlaskClient, students: dict[str, StudentProfile]
) -> None:
    with count_queries() as statements:
        page = _results(client)
    assert "Okafor, Ana" in page and students["ana"].user.email in page
    assert loaded_by_id(statements, "schools", "users") == []


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_student_record_is_shown_in_full_and_audited(
    client: FlaskClient,
    students: dict[str, StudentProfile],
    counselor_client: CounselorWorld,
    headers: dict[str, str],
) -> None:
    ana = students["ana"]
    response = client.get(f"/counselor/students/{ana.id}", headers=headers)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "guardian@example.org" in body and "555-0100" in body
    assert "Tuesday afternoon" in body
    assert ("<html" in body) is not bool(headers)
    [event] = _views(ana)
    assert event.actor_id == counselor_client.counselor.id
    assert event.school_id == counselor_client.school.id


def test_another_schools_student_is_404_and_not_audited(
    client: FlaskClient, students: dict[str, StudentProfile]
) -> None:
    foreign = students["foreign"]
    assert client.get(f"/counselor/students/{foreign.id}").status_code == 404
    assert client.get(f"/counselor/students/{foreign.id}", headers=HTMX).status_code == 404
    assert _views(foreign) == []


def test_erased_student_is_404(client: FlaskClient, students: dict[str, StudentProfile]) -> None:
    students["ana"].erased_at = utcnow()
    db.session.commit()
    assert client.get(f"/counselor/students/{students['ana'].id}").status_code == 404
    assert "Okafor" not in _results(client)


@pytest.mark.parametrize("role", [Role.MENTOR, Role.STUDENT, Role.ORGANISATION])
def test_other_roles_get_403(
    client: FlaskClient, auth: AuthActions, world: CounselorWorld, role: Role
) -> None:
    student = factories.make_student(world.school)
    auth.login_as(factories.make_user(role))
    assert client.get("/counselor/students").status_code == 403
    assert client.get(f"/counselor/students/{student.id}").status_code == 403
    assert _views(student) == []


def _details(student: StudentProfile) -> dict[str, str]:
    """The edit form as shown for ``student`` (every field filled)."""
    born = student.date_of_birth.isoformat() if student.date_of_birth else ""
    return {
        "first_name": student.first_name,
        "last_name": student.last_name,
        "grade": str(student.grade),
        "date_of_birth": born,
        "minor": "minor" if student.is_minor else "adult",
    }


def test_counselor_edits_a_students_name_and_grade_audited(
    client: FlaskClient, students: dict[str, StudentProfile], counselor_client: CounselorWorld
) -> None:
    ana = students["ana"]
    page = client.get(f"/counselor/students/{ana.id}/edit")
    assert page.status_code == 200 and 'value="Okafor"' in page.get_data(as_text=True)
    assert len(_views(ana)) == 1  # the edit form shows the record: an audited view
    response = client.post(
        f"/counselor/students/{ana.id}/edit",
        data={**_details(ana), "first_name": "Anna", "grade": "10"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/counselor/students/{ana.id}")
    db.session.expire_all()
    ana = db.session.get(StudentProfile, ana.id)
    assert (ana.first_name, ana.last_name, ana.grade) == ("Anna", "Okafor", 10)
    [event] = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "student.updated")
    ).all()
    assert event.object_id == ana.id and event.detail == {"fields": ["first_name", "grade"]}
    assert event.actor_id == counselor_client.counselor.id
    assert "Details saved." in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    "data",
    [
        {"first_name": ""},
        {"grade": "13"},
        {"grade": "ten"},
        {"date_of_birth": ""},
        {"date_of_birth": "0001-01-01"},
        {"minor": "adult"},
        {"minor": "maybe"},
    ],
)
def test_bad_details_are_refused_and_nothing_is_saved(
    client: FlaskClient, students: dict[str, StudentProfile], data: dict[str, str]
) -> None:
    ana = students["ana"]
    response = client.post(f"/counselor/students/{ana.id}/edit", data={**_details(ana), **data})
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    db.session.expire_all()
    ana = db.session.get(StudentProfile, ana.id)
    assert (ana.first_name, ana.grade) == ("Ana", 9)
    assert not db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "student.updated")
    ).all()


def test_another_schools_student_cannot_be_edited(
    client: FlaskClient, students: dict[str, StudentProfile]
) -> None:
    foreign = students["foreign"]
    data = {"first_name": "X", "last_name": "Y", "grade": "8"}
    assert client.post(f"/counselor/students/{foreign.id}/edit", data=data).status_code == 404
    db.session.expire_all()
    assert db.session.get(StudentProfile, foreign.id).first_name != "X"


@pytest.mark.parametrize("query", ["", "?consent=awaiting", "?consent=given", "?grade=11"])
def test_the_total_counts_exactly_the_students_listed(
    client: FlaskClient, counselor_client: CounselorWorld, query: str
) -> None:
    """Read from the kept figures, the total still leaves out the erased, the unconfirmed
    and other schools' students, as the rows do."""
    school = counselor_client.school
    for consent in (ConsentStatus.AWAITING, ConsentStatus.GIVEN, ConsentStatus.AWAITING):
        factories.make_student(school, consent_status=consent, grade=11)
    unconfirmed = factories.make_student(school, consent_status=ConsentStatus.AWAITING)
    unconfirmed.user.active, unconfirmed.user.last_login_at = False, None  # type: ignore[union-attr]
    erased = factories.make_student(school)
    erased.erased_at = utcnow()
    factories.make_student(counselor_client.other_school)
    db.session.commit()
    page = client.get(f"/counselor/students{query}", headers=HTMX).get_data(as_text=True)
    total = int(page.split('<caption class="muted">', 1)[1].split(" ", 1)[0])
    assert total == page.count("<tr") - 1  # every row listed (one page), less the header
    assert total > 0
