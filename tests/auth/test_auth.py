"""Login, logout, sessions, password reset and change, create-admin."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import AuditEvent, OutboxMessage, User
from tests import factories
from tests.conftest import AuthActions


def _last_link(to: str) -> str:
    message = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.to == to).order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None
    match = re.search(r"http://localhost(/\S+)", message.body)
    assert match
    return match.group(1)


def test_login_page_renders(client: FlaskClient) -> None:
    assert b'name="password"' in client.get("/login").data


def test_login_with_right_password_redirects_home(client: FlaskClient, auth: AuthActions) -> None:
    factories.make_admin(email="a@example.org")
    response = auth.login("a@example.org")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/home")


@pytest.mark.parametrize("email", ["a@example.org", "nobody@example.org"])
def test_wrong_credentials_get_the_same_answer(
    client: FlaskClient, auth: AuthActions, email: str
) -> None:
    factories.make_admin(email="a@example.org")
    response = auth.login(email, "wrong password here")
    assert response.status_code == 422
    assert b"Wrong email or password." in response.data


def test_email_is_case_insensitive(client: FlaskClient, auth: AuthActions) -> None:
    factories.make_admin(email="a@example.org")
    assert auth.login("A@Example.ORG").status_code == 303


def test_inactive_user_cannot_log_in(client: FlaskClient, auth: AuthActions) -> None:
    factories.make_admin(email="a@example.org", active=False)
    assert auth.login("a@example.org").status_code == 422


def test_htmx_login_error_returns_the_form_fragment(
    client: FlaskClient, htmx_headers: dict[str, str]
) -> None:
    response = client.post(
        "/login", data={"email": "x@example.org", "password": "nope"}, headers=htmx_headers
    )
    assert response.status_code == 422
    assert b"<form" in response.data and b"<html" not in response.data


def test_htmx_login_success_uses_hx_redirect(
    client: FlaskClient, htmx_headers: dict[str, str]
) -> None:
    factories.make_admin(email="a@example.org")
    response = client.post(
        "/login",
        data={"email": "a@example.org", "password": factories.PASSWORD},
        headers=htmx_headers,
    )
    assert response.headers["HX-Redirect"].endswith("/home")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/account/password", "/account/password"),
        ("https://evil.example/x", "/home"),
        ("//evil.example", "/home"),
        ("/\\evil.example", "/home"),
    ],
)
def test_next_only_goes_to_our_own_site(client: FlaskClient, target: str, expected: str) -> None:
    factories.make_admin(email="a@example.org")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "a@example.org", "password": factories.PASSWORD},
    )
    assert response.headers["Location"].endswith(expected)


def test_logout_kills_every_copy_of_the_session(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    factories.make_admin(email="a@example.org")
    auth.login("a@example.org")
    other = app.test_client()
    with client.session_transaction() as session:
        stolen = dict(session)
    with other.session_transaction() as session:
        session.update(stolen)
    assert other.get("/account/password").status_code == 200
    auth.logout()
    assert other.get("/account/password").status_code == 302


def test_logout_needs_post(client: FlaskClient, auth: AuthActions) -> None:
    factories.make_admin(email="a@example.org")
    auth.login("a@example.org")
    assert client.get("/logout").status_code == 405


def test_password_reset_round_trip(client: FlaskClient, auth: AuthActions) -> None:
    factories.make_admin(email="a@example.org")
    response = client.post("/reset", data={"email": "a@example.org"})
    assert response.status_code == 303
    link = _last_link("a@example.org")
    new = "a brand new long passphrase"
    assert client.post(link, data={"password": new, "confirm": new}).status_code == 303
    assert auth.login("a@example.org", new).status_code == 303
    # The link works once.
    assert client.get(link).status_code == 404


def test_reset_for_unknown_email_says_the_same_and_sends_nothing(client: FlaskClient) -> None:
    known = client.post("/reset", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert b"If an account uses that address" in known.data
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 0


def test_forged_or_expired_reset_token_is_refused(app: Flask, client: FlaskClient) -> None:
    factories.make_admin(email="a@example.org")
    client.post("/reset", data={"email": "a@example.org"})
    link = _last_link("a@example.org")
    assert client.get(link[:-3] + "xyz").status_code == 404
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert client.get(link).status_code == 404


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", b"at least 12"), ("x" * 129, b"at most 128")],
)
def test_weak_new_password_is_refused(client: FlaskClient, password: str, message: bytes) -> None:
    factories.make_admin(email="a@example.org")
    client.post("/reset", data={"email": "a@example.org"})
    response = client.post(
        _last_link("a@example.org"), data={"password": password, "confirm": password}
    )
    assert response.status_code == 422
    assert message in response.data


def test_change_password_logs_out_other_sessions(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    factories.make_admin(email="a@example.org")
    auth.login("a@example.org")
    other = app.test_client()
    AuthActions(other).login("a@example.org")
    new = "another long passphrase"
    response = client.post(
        "/account/password", data={"current": factories.PASSWORD, "password": new, "confirm": new}
    )
    assert response.status_code == 303
    assert client.get("/account/password").status_code == 200
    assert other.get("/account/password").status_code == 302


def test_change_password_is_recorded_as_a_change_not_a_login(
    client: FlaskClient, auth: AuthActions
) -> None:
    user = factories.make_admin(email="a@example.org")
    auth.login("a@example.org")
    logged_in_at = db.session.get(User, user.id).last_login_at
    new = "another long passphrase"
    response = client.post(
        "/account/password", data={"current": factories.PASSWORD, "password": new, "confirm": new}
    )
    assert response.status_code == 303
    actions = db.session.scalars(
        db.select(AuditEvent.action).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.id)
    ).all()
    assert actions == ["user.login", "user.password_changed"]  # the login before, once
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at == logged_in_at


def test_change_password_needs_the_current_one(client: FlaskClient, auth: AuthActions) -> None:
    factories.make_admin(email="a@example.org")
    auth.login("a@example.org")
    new = "another long passphrase"
    response = client.post(
        "/account/password", data={"current": "wrong", "password": new, "confirm": new}
    )
    assert response.status_code == 422
    assert b"not your current password" in response.data


def test_passwords_are_hashed_with_argon2id(app: Flask) -> None:
    user = factories.make_admin()
    assert user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$")


def test_create_admin_command(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-admin",
            "--email",
            "boss@example.org",
            "--name",
            "Boss",
            "--password",
            "a long enough password",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "boss@example.org"))
    assert user is not None and user.role == "admin"
    again = runner.invoke(
        args=[
            "create-admin",
            "--email",
            "boss@example.org",
            "--name",
            "Boss",
            "--password",
            "a long enough password",
        ]
    )
    assert again.exit_code != 0 and "already exists" in again.output


def test_login_is_audited(client: FlaskClient, auth: AuthActions) -> None:
    user = factories.make_admin(email="a@example.org")
    auth.login("a@example.org")
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.actor_id == user.id)).all()
    assert [e.action for e in events] == ["user.login"]
