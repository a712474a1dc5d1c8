"""Login limits that fit a school, and the current-password check (issue #9, item 2).

Each test enables rate limiting in its own app, with the default limits unless it says
otherwise: strict per account (failed attempts only), generous per address (a class of 35
behind one school address logs in within a minute).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal import create_app
from portal.config import DEFAULTS
from portal.extensions import db
from tests import factories
from tests.conftest import instance_in, make_app

SCHOOL_ADDRESS = {"REMOTE_ADDR": "198.51.100.7"}
NEW = "another long passphrase"


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(tmp_path, RATELIMIT_ENABLED=True)
    with app.app_context():
        yield app
        db.session.remove()


def _login(client: FlaskClient, email: str, password: str = factories.PASSWORD) -> Any:
    data = {"email": email, "password": password}
    return client.post("/login", data=data, environ_base=SCHOOL_ADDRESS)


def test_a_class_behind_one_school_address_all_log_in(limited: Flask) -> None:
    students = [factories.make_user(email=f"pupil{n}@school.example.org") for n in range(35)]
    # A few typos on the way, as in any class.
    typos = [_login(limited.test_client(), s.email, "typo").status_code for s in students[:5]]
    codes = [_login(limited.test_client(), s.email).status_code for s in students]
    assert typos == [422] * 5
    assert codes == [303] * 35


def test_a_guessed_password_is_refused_after_a_few_failures(limited: Flask) -> None:
    factories.make_user(email="target@school.example.org")
    client = limited.test_client()
    codes = [_login(client, "Target@school.example.org", "guess").status_code for _ in range(6)]
    assert codes == [422] * 5 + [429]
    # The right password waits too: the limit is on the account, from any address.
    other = limited.test_client()
    right = other.post(
        "/login",
        data={"email": "target@school.example.org", "password": factories.PASSWORD},
        environ_base={"REMOTE_ADDR": "203.0.113.50"},
    )
    assert right.status_code == 429


def test_successful_logins_do_not_use_up_the_account_limit(limited: Flask) -> None:
    user = factories.make_user(email="busy@school.example.org")
    assert [_login(limited.test_client(), user.email).status_code for _ in range(8)] == [303] * 8


def test_the_address_limit_still_stops_a_sweep_over_many_accounts(tmp_path: Path) -> None:
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT_PER_ADDRESS="4 per minute")
    with app.app_context():
        client = app.test_client()
        codes = [_login(client, f"user{n}@example.org", "guess").status_code for n in range(5)]
        db.session.remove()
    assert codes == [422] * 4 + [429]


def test_limits_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGIN_RATE_LIMIT_PER_ACCOUNT", "3 per minute")
    monkeypatch.setenv("LOGIN_RATE_LIMIT_PER_ADDRESS", "200 per minute")
    database = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db"}
    app = create_app(database, instance_path=instance_in(tmp_path))
    assert app.config["LOGIN_RATE_LIMIT_PER_ACCOUNT"] == "3 per minute"
    assert app.config["LOGIN_RATE_LIMIT_PER_ADDRESS"] == "200 per minute"
    assert "LOGIN_RATE_LIMIT" not in DEFAULTS  # one setting per limit, no ambiguous old name


def test_the_current_password_check_is_rate_limited(limited: Flask) -> None:
    user = factories.make_user(email="pupil@school.example.org")
    client = limited.test_client()
    assert _login(client, user.email).status_code == 303
    data = {"current": "wrong", "password": NEW, "confirm": NEW}
    codes = [
        client.post("/account/password", data=data, environ_base=SCHOOL_ADDRESS).status_code
        for _ in range(15)
    ]
    assert codes == [422] * 5 + [429] * 10
    right = {"current": factories.PASSWORD, "password": NEW, "confirm": NEW}
    response = client.post("/account/password", data=right, environ_base=SCHOOL_ADDRESS)
    assert response.status_code == 429  # the right password waits for the window too


def test_the_429_page_has_the_site_layout(limited: Flask) -> None:
    client = limited.test_client()
    for _ in range(6):
        refused = _login(client, "someone@example.org", "guess")
    body = refused.get_data(as_text=True)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert '<main id="main"' in body and 'class="site-header"' in body
    assert "Too many attempts" in body and "<title>429 Too Many Requests" in body


def test_an_htmx_request_gets_a_429_that_the_page_script_reports(limited: Flask) -> None:
    client = limited.test_client()
    headers = {"HX-Request": "true"}
    codes = [
        client.post(
            "/login",
            data={"email": "someone@example.org", "password": "guess"},
            headers=headers,
            environ_base=SCHOOL_ADDRESS,
        )
        for _ in range(6)
    ]
    assert [r.status_code for r in codes] == [422] * 5 + [429]
    # htmx swaps no 4xx but 422 (base.html's responseHandling); static/js/site.js shows
    # "Too many attempts" for a 429, and Retry-After tells any client when to come back.
    assert int(codes[-1].headers["Retry-After"]) > 0
    assert "Too many attempts" in codes[-1].get_data(as_text=True)
