"""Counselors: invite, list, change schools, deactivate and reactivate."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import AuditEvent, OutboxMessage, Role, User
from tests import factories
from tests.conftest import AuthActions

HTMX = {"HX-Request": "true"}


def _counselors() -> list[User]:
    return list(db.session.scalars(db.select(User).where(User.role == Role.COUNSELOR)))


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_invite_counselor(client: FlaskClient, admin: User, headers: dict[str, str]) -> None:
    first, second = factories.make_school("North High"), factories.make_school("South High")
    data = {"email": "Kim@Example.org", "name": "Kim Lee", "schools": [first.id, second.id]}
    response = client.post("/admin/counselors/invite", data=data, headers=headers)
    assert response.status_code == (204 if headers else 303)
    [user] = _counselors()
    assert user.email == "kim@example.org" and user.password_hash is None
    assert user.school_ids == {first.id, second.id}
    [mail] = db.session.scalars(db.select(OutboxMessage)).all()
    assert mail.to == "kim@example.org" and "/reset/" in mail.body
    page = client.get("/admin/counselors").get_data(as_text=True)
    assert "Kim Lee" in page and "North High, South High" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": ""}, "This field is required."),
        ({"email": "not-an-email"}, "Invalid email address."),
        ({"email": "a" * 250 + "@x.org"}, "Field cannot be longer than 254 characters."),
        ({"name": ""}, "This field is required."),
        ({"name": "N" * 121}, "Field cannot be longer than 120 characters."),
        ({"name": "Kim\u200bLee"}, "invisible or control characters"),
        ({"schools": []}, "Choose at least one school."),
        ({"schools": ["abc"]}, "Choose at least one school."),
        ({"schools": ["999"]}, "not a valid choice"),
        ({"email": "taken@example.org"}, "An account already uses this email address."),
    ],
)
def test_bad_invitations_are_422_and_save_nothing(
    client: FlaskClient, admin: User, changes: dict[str, object], message: str
) -> None:
    school = factories.make_school()
    factories.make_user(Role.MENTOR, email="taken@example.org")
    data = {"email": "kim@example.org", "name": "Kim Lee", "schools": [school.id], **changes}
    response = client.post("/admin/counselors/invite", data=data, headers=HTMX)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _counselors() == []
    assert db.session.scalars(db.select(OutboxMessage)).all() == []


def test_change_a_counselors_schools_with_htmx(client: FlaskClient, admin: User) -> None:
    first, second = factories.make_school(), factories.make_school()
    counselor = factories.make_counselor(first)
    response = client.post(
        f"/admin/counselors/{counselor.id}/schools", data={"schools": [second.id]}, headers=HTMX
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="counselor-panel"' in body and "schools are saved" in body
    db.session.refresh(counselor)
    assert counselor.school_ids == {second.id}
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "counselor.schools_changed")
    )
    assert event is not None and event.detail == {"before": [first.id], "after": [second.id]}


def test_change_schools_needs_one(client: FlaskClient, admin: User) -> None:
    school = factories.make_school()
    counselor = factories.make_counselor(school)
    response = client.post(f"/admin/counselors/{counselor.id}/schools", data={})
    assert response.status_code == 422
    assert "Choose at least one school." in response.get_data(as_text=True)
    assert counselor.school_ids == {school.id}


def test_deactivate_logs_the_counselor_out(client: FlaskClient, admin: User, app: object) -> None:
    counselor = factories.make_counselor()
    other = app.test_client()  # type: ignore[attr-defined]
    AuthActions(other).login_as(counselor)
    assert other.get("/counselor/").status_code == 200
    response = client.post(f"/admin/counselors/{counselor.id}/deactivate")
    assert response.status_code == 303
    db.session.refresh(counselor)
    assert counselor.active is False
    assert other.get("/counselor/").status_code == 302  # session dead: back to login
    assert AuthActions(other).login(counselor.email).status_code == 422  # refused


def test_reactivate_with_htmx(client: FlaskClient, admin: User) -> None:
    counselor = factories.make_counselor(active=False)
    response = client.post(f"/admin/counselors/{counselor.id}/reactivate", headers=HTMX)
    assert response.status_code == 200
    assert "is reactivated" in response.get_data(as_text=True)
    db.session.refresh(counselor)
    assert counselor.active is True


def test_only_counselors_are_managed_here(client: FlaskClient, admin: User) -> None:
    assert client.get(f"/admin/counselors/{admin.id}").status_code == 404
    assert client.post(f"/admin/counselors/{admin.id}/deactivate").status_code == 404
    db.session.refresh(admin)
    assert admin.active is True
