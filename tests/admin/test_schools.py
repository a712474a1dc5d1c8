"""Schools: list, create, edit, regenerate the join code."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from portal.admin import services
from portal.extensions import db
from portal.models import AuditEvent, Role, School, User
from tests import factories
from tests.conftest import AuthActions

HTMX = {"HX-Request": "true"}


def _schools() -> list[School]:
    return list(db.session.scalars(db.select(School)))


def test_admins_land_on_the_dashboard(client: FlaskClient, admin: User) -> None:
    assert client.get("/home").headers["Location"].endswith("/admin/")
    assert "Administration" in client.get("/admin/").get_data(as_text=True)


def test_join_codes_are_random_unambiguous_and_unique(app: object) -> None:
    codes = {services.new_join_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 8 and set(c) <= set(services.JOIN_CODE_ALPHABET) for c in codes)
    assert not set("01ILO") & set(services.JOIN_CODE_ALPHABET)


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_create_school(client: FlaskClient, admin: User, headers: dict[str, str]) -> None:
    response = client.post(
        "/admin/schools/new", data={"name": "Lakeside Academy", "area": "east"}, headers=headers
    )
    if headers:
        assert response.status_code == 204
        assert response.headers["HX-Redirect"].endswith("/admin/schools")
    else:
        assert response.status_code == 303
    [school] = _schools()
    assert (school.name, school.area, len(school.join_code)) == ("Lakeside Academy", "east", 8)
    assert "Lakeside Academy" in client.get("/admin/schools").get_data(as_text=True)
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "school.created"))
    assert event is not None and event.object_id == school.id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "area": ""}, "This field is required."),
        ({"name": "S" * 201, "area": ""}, "Field cannot be longer than 200 characters."),
        ({"name": "Bad\x1bSchool", "area": ""}, "invisible or control characters"),
        ({"name": "Good School", "area": "atlantis"}, "Not a valid choice"),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX])
def test_bad_school_input_is_422(
    client: FlaskClient,
    admin: User,
    data: dict[str, str],
    message: str,
    headers: dict[str, str],
) -> None:
    response = client.post("/admin/schools/new", data=data, headers=headers)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body
    assert ("<html" in body) is not bool(headers)
    assert _schools() == []


def test_school_names_are_escaped(client: FlaskClient, admin: User) -> None:
    client.post("/admin/schools/new", data={"name": "<script>alert(1)</script>", "area": ""})
    page = client.get("/admin/schools").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_edit_school(client: FlaskClient, admin: User) -> None:
    school = factories.make_school("Old Name")
    code = school.join_code
    response = client.post(f"/admin/schools/{school.id}", data={"name": "New Name", "area": "west"})
    assert response.status_code == 303
    db.session.refresh(school)
    assert (school.name, school.area, school.join_code) == ("New Name", "west", code)


def test_edit_school_bad_input_saves_nothing(client: FlaskClient, admin: User) -> None:
    school = factories.make_school("Old Name")
    response = client.post(f"/admin/schools/{school.id}", data={"name": "", "area": "west"})
    assert response.status_code == 422
    db.session.refresh(school)
    assert school.name == "Old Name"


def test_regenerate_join_code_with_htmx(client: FlaskClient, admin: User) -> None:
    school = factories.make_school()
    old = school.join_code
    response = client.post(f"/admin/schools/{school.id}/join-code", headers=HTMX)
    db.session.refresh(school)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert school.join_code != old and school.join_code in body
    assert 'id="join-code"' in body and "<html" not in body


def test_regenerate_join_code_without_htmx(client: FlaskClient, admin: User) -> None:
    school = factories.make_school()
    old = school.join_code
    response = client.post(f"/admin/schools/{school.id}/join-code")
    assert response.status_code == 303
    db.session.refresh(school)
    assert school.join_code != old


def test_unknown_school_is_404(client: FlaskClient, admin: User) -> None:
    assert client.get("/admin/schools/999").status_code == 404
    assert client.post("/admin/schools/999/join-code").status_code == 404


@pytest.mark.parametrize("role", [Role.COUNSELOR, Role.MENTOR, Role.STUDENT])
@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/schools",
        "/admin/schools/new",
        "/admin/counselors",
        "/admin/tags",
        "/admin/outbox",
    ],
)
def test_non_admins_get_403(
    client: FlaskClient, auth: AuthActions, app: object, role: Role, url: str
) -> None:
    auth.login_as(factories.make_user(role))
    assert client.get(url).status_code == 403


def test_non_admins_cannot_create_schools(
    client: FlaskClient, auth: AuthActions, app: object
) -> None:
    auth.login_as(factories.make_counselor())
    before = len(_schools())
    response = client.post("/admin/schools/new", data={"name": "Sneaky", "area": ""})
    assert response.status_code == 403
    assert len(_schools()) == before
