"""Emailed links and trusted hosts (issue #9, item 1).

Every link that leaves the portal is built from ``PUBLIC_URL``: neither the request's ``Host``
nor, behind a trusted proxy, ``X-Forwarded-Host`` may put another host into a reset,
confirmation, invitation, consent, concern or match link. A request naming a host outside
``TRUSTED_HOSTS`` is refused with 400.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal import create_app
from portal.config import ConfigError
from portal.extensions import db
from portal.models import OutboxMessage
from portal.relationships import notices
from tests import factories
from tests.conftest import instance_in, make_app
from tests.factories import make_match
from tests.signup.helpers import link_in, mails_to, student_data

PUBLIC = "https://mb.example.org"
FORGED = "evil.example.org"


@pytest.fixture(params=["Host", "X-Forwarded-Host"])
def forged(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Keyword arguments for client requests that name the attacker's host.

    The forged host is even one the server accepts (an alias, or a proxy that passes the
    header on): links must still not follow it. No SERVER_NAME, as in production.
    """
    overrides: dict[str, Any] = {
        "PUBLIC_URL": PUBLIC,
        "SERVER_NAME": None,
        "TRUSTED_HOSTS": ["localhost", FORGED],
    }
    if request.param == "Host":
        kwargs: dict[str, Any] = {"base_url": f"http://{FORGED}"}
    else:
        overrides["TRUSTED_PROXIES"] = 1
        kwargs = {"base_url": "http://localhost", "headers": {"X-Forwarded-Host": FORGED}}
    app = make_app(tmp_path, **overrides)
    with app.app_context():
        yield {"app": app, "client": app.test_client(), "kwargs": kwargs}
        db.session.remove()


def _links(to: str) -> list[str]:
    links = [url for mail in mails_to(to) for url in re.findall(r"https?://\S+", mail.body)]
    assert links, f"no link mailed to {to}"
    return links


def _assert_public(to: str, path: str) -> None:
    links = _links(to)
    assert all(link.startswith(PUBLIC + "/") for link in links), links
    assert any(link.startswith(PUBLIC + path) for link in links), links


def test_reset_link_ignores_the_forged_host(forged: dict[str, Any]) -> None:
    factories.make_user(email="kim@example.org")
    client: FlaskClient = forged["client"]
    response = client.post("/reset", data={"email": "kim@example.org"}, **forged["kwargs"])
    assert response.status_code == 303
    _assert_public("kim@example.org", "/reset/")


def test_invitation_link_ignores_the_forged_host(forged: dict[str, Any]) -> None:
    admin = factories.make_admin()
    school = factories.make_school()
    client: FlaskClient = forged["client"]
    kwargs = forged["kwargs"]
    login = {"email": admin.email, "password": factories.PASSWORD}
    assert client.post("/login", data=login, **kwargs).status_code == 303
    data = {"email": "lee@example.org", "name": "Lee Kim", "schools": [school.id]}
    assert client.post("/admin/counselors/invite", data=data, **kwargs).status_code == 303
    _assert_public("lee@example.org", "/reset/")


def test_signup_and_consent_links_ignore_the_forged_host(forged: dict[str, Any]) -> None:
    school = factories.make_school()
    client: FlaskClient = forged["client"]
    kwargs = forged["kwargs"]
    client.post("/signup/student", data=student_data(school.join_code), **kwargs)
    _assert_public("kid@example.org", "/signup/confirm/")
    [confirmation] = mails_to("kid@example.org")
    assert client.post(link_in(confirmation), **kwargs).status_code == 303
    _assert_public("maria@example.org", "/consent/")


def test_known_email_notice_ignores_the_forged_host(forged: dict[str, Any]) -> None:
    school = factories.make_school()
    factories.make_user(email="kid@example.org")
    client: FlaskClient = forged["client"]
    client.post("/signup/student", data=student_data(school.join_code), **forged["kwargs"])
    _assert_public("kid@example.org", "/login")


def test_concern_alert_link_ignores_the_forged_host(forged: dict[str, Any]) -> None:
    school = factories.make_school()
    counselor = factories.make_counselor(school)
    student = factories.make_student(school)
    match = make_match(student, factories.make_mentor(school))
    client: FlaskClient = forged["client"]
    kwargs = forged["kwargs"]
    login = {"email": student.user.email, "password": factories.PASSWORD}
    assert client.post("/login", data=login, **kwargs).status_code == 303
    data = {"match_id": str(match.id), "reason": "personal_data", "note": "A note"}
    client.post("/concerns/new", data=data, **kwargs)
    _assert_public(counselor.email, "/safeguarding/concerns/")


def test_match_notice_link_ignores_the_forged_host(forged: dict[str, Any]) -> None:
    app: Flask = forged["app"]
    school = factories.make_school()
    student = factories.make_student(school)
    match = make_match(student, factories.make_mentor(school))
    kwargs = forged["kwargs"]
    with app.test_request_context("/", base_url=kwargs["base_url"], headers=kwargs.get("headers")):
        notices.match_approved(match)
    db.session.commit()
    _assert_public(student.user.email, "/")


def test_a_request_for_an_unknown_host_is_refused(client: FlaskClient) -> None:
    assert client.get("/login").status_code == 200
    assert client.get("/login", base_url="http://127.0.0.1:5000").status_code == 200
    refused = client.post("/reset", data={"email": "x@example.org"}, base_url=f"http://{FORGED}")
    assert refused.status_code == 400
    assert db.session.scalars(db.select(OutboxMessage)).all() == []


def test_a_forwarded_unknown_host_is_refused_behind_a_proxy(tmp_path: Path) -> None:
    app = make_app(tmp_path, TRUSTED_PROXIES=1)
    client = app.test_client()
    assert client.get("/login", headers={"X-Forwarded-Host": FORGED}).status_code == 400
    assert client.get("/login", headers={"X-Forwarded-Host": "localhost"}).status_code == 200


def test_trusted_hosts_default_to_the_public_host(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path}/a.db"
    config = {"PUBLIC_URL": PUBLIC, "SQLALCHEMY_DATABASE_URI": db_url}
    development = create_app(config, instance_path=instance_in(tmp_path))
    assert development.config["TRUSTED_HOSTS"] == ["mb.example.org", "localhost", "127.0.0.1"]
    production = create_app(
        {"ENV": "production", "SECRET_KEY": "k" * 64, "PUBLIC_URL": PUBLIC + "/"}
        | {"SQLALCHEMY_DATABASE_URI": db_url},
        instance_path=instance_in(tmp_path),
    )
    assert production.config["TRUSTED_HOSTS"] == ["mb.example.org"]
    assert production.config["PUBLIC_URL"] == PUBLIC
    response = production.test_client().get("/login", base_url="http://127.0.0.1")
    assert response.status_code == 400


def test_trusted_hosts_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUSTED_HOSTS", "mb.example.org, .school.example.org")
    database = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db"}
    app = create_app(database, instance_path=instance_in(tmp_path))
    assert app.config["TRUSTED_HOSTS"] == ["mb.example.org", ".school.example.org"]
    client = app.test_client()
    assert client.get("/login", base_url="http://portal.school.example.org").status_code == 200
    assert client.get("/login", base_url="http://localhost").status_code == 400


def test_production_refuses_to_start_without_a_public_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    config = {"ENV": "production", "SECRET_KEY": "k" * 64}
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        create_app(
            config | {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db"},
            instance_path=instance_in(tmp_path),
        )
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        create_app({"PUBLIC_URL": "mb.example.org"}, instance_path=instance_in(tmp_path))
