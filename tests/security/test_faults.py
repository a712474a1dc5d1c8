"""Concurrency and faults: concurrent writers on SQLite, the database going away mid-request."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import DataError, OperationalError

from portal import create_app
from portal.auth.services import end_sessions
from portal.extensions import db
from portal.models import Concern, User
from tests import factories
from tests.conftest import PG_URL, TEST_CONFIG, instance_in
from tests.factories import make_match
from tests.signup.helpers import born

ROOT = Path(__file__).resolve().parents[2]


def _run_threads(target: Any, count: int) -> list[BaseException]:
    errors: list[BaseException] = []

    def guarded(n: int) -> None:
        try:
            target(n)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_concurrent_read_modify_write_loses_no_update(app: Flask) -> None:
    user = factories.make_admin()
    start, user_id = user.session_version, user.id
    db.session.commit()  # end the test's own transaction: it would hold SQLite's write lock

    def bump(_n: int) -> None:
        for _ in range(10):
            with app.app_context():
                end_sessions(db.session.get(User, user_id))  # read, then write

    assert _run_threads(bump, 8) == []
    db.session.expire_all()
    assert db.session.get(User, user_id).session_version == start + 80


def test_concurrent_reports_over_http_all_land(app: Flask) -> None:
    school = factories.make_school()
    factories.make_counselor(school)
    mentor = factories.make_mentor(school)
    students = [factories.make_student(school) for _ in range(8)]
    matches = [make_match(s, mentor).id for s in students]
    emails = [s.user.email for s in students]
    db.session.commit()

    def report(n: int) -> None:
        client = app.test_client()
        email = emails[n]
        assert (
            client.post("/login", data={"email": email, "password": factories.PASSWORD}).status_code
            == 303
        )
        for _ in range(3):
            response = client.post(
                "/concerns/new",
                data={"match_id": str(matches[n]), "reason": "no_show", "note": "n"},
            )
            assert response.status_code == 303, response.status_code

    assert _run_threads(report, 8) == []
    assert db.session.scalar(db.select(db.func.count(Concern.id))) == 24


@pytest.fixture
def flaky_database(app: Flask) -> Iterator[list[int]]:
    """Make the next ``failures[0]`` statements fail as if the database were gone."""
    failures = [0]

    def fail(*_args: Any) -> None:
        if failures[0] > 0:
            failures[0] -= 1
            raise OperationalError("SELECT", {}, ConnectionError("server closed the connection"))

    event.listen(db.engine, "before_cursor_execute", fail)
    yield failures
    event.remove(db.engine, "before_cursor_execute", fail)


def test_database_outage_gives_503_and_recovers(app: Flask, flaky_database: list[int]) -> None:
    client = app.test_client()
    student = factories.make_student()
    client.post("/login", data={"email": student.user.email, "password": factories.PASSWORD})
    flaky_database[0] = 1000
    down = client.get("/account/password")
    assert down.status_code == 503 and down.headers["Retry-After"]
    assert "cannot reach its database" in down.get_data(as_text=True)
    assert client.get("/healthz").status_code == 503
    flaky_database[0] = 0
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/account/password").status_code == 200  # same session, no restart


def test_a_value_the_database_refuses_is_bad_input_not_an_outage(app: Flask) -> None:
    """A DataError (PostgreSQL's NumericValueOutOfRange...) is a 400; the next request works."""
    client = app.test_client()
    student = factories.make_student()
    client.post("/login", data={"email": student.user.email, "password": factories.PASSWORD})
    refused = [1]

    def refuse(*_args: Any) -> None:
        if refused[0] > 0:
            refused[0] -= 1
            raise DataError("SELECT", {}, ValueError("integer out of range"))

    event.listen(db.engine, "before_cursor_execute", refuse)
    try:
        response = client.get("/account/password")
    finally:
        event.remove(db.engine, "before_cursor_execute", refuse)
    assert response.status_code == 400
    assert "cannot reach its database" not in response.get_data(as_text=True)
    assert client.get("/account/password").status_code == 200


@pytest.fixture
def own_postgres() -> Iterator[dict[str, str]]:
    """A throwaway PostgreSQL server of our own (we stop and start it)."""
    if not PG_URL:
        pytest.skip("PostgreSQL variant: set TEST_DATABASE_URL")
    out = subprocess.run(
        ["bash", str(ROOT / "scripts/pg-throwaway.sh"), "start"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    env = dict(line.split("=", 1) for line in out.split())
    yield env
    subprocess.run(
        ["bash", str(ROOT / "scripts/pg-throwaway.sh"), "stop", env["PGTMP"]], check=False
    )


def _pg_ctl(env: dict[str, str], *args: str) -> None:
    pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    command = [str(pg_bin / "pg_ctl"), "-D", f"{env['PGTMP']}/data", "-w", *args]
    if os.geteuid() == 0:
        command = [shutil.which("runuser") or "runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True)


@pytest.mark.postgres
def test_postgres_going_away_gives_503_and_recovers(
    tmp_path: Path, own_postgres: dict[str, str]
) -> None:
    config = {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": own_postgres["PG_URL"]}
    app = create_app(config, instance_path=instance_in(tmp_path))
    with app.app_context():
        db.create_all()
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    _pg_ctl(own_postgres, "-m", "fast", "stop")
    assert client.get("/healthz").status_code == 503
    port = own_postgres["PG_PORT"]
    _pg_ctl(
        own_postgres,
        "-l",
        f"{own_postgres['PGTMP']}/server.log",
        "-o",
        f"-p {port} -k {own_postgres['PGTMP']} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
    )
    assert client.get("/healthz").get_json() == {"status": "ok"}


def _student_signup(email: str, join_code: str) -> dict[str, str]:
    return {
        "email": email,
        "password": factories.PASSWORD,
        "confirm": factories.PASSWORD,
        "join_code": join_code,
        "first_name": "Kim",
        "last_name": "Lee",
        "grade": "10",
        "date_of_birth": born(15),
        "guardian_name": "Pat Lee",
        "guardian_email": "pat@example.org",
    }


def test_concurrent_signups_on_sqlite_lose_nothing(app: Flask) -> None:
    if "signup.student" not in app.view_functions:
        pytest.skip("sign-up is not built yet")
    join_code = factories.make_school().join_code
    db.session.commit()
    statuses: list[int] = []

    def sign_up(n: int) -> None:
        client = app.test_client()
        for k in range(2):
            # Threads 0-3 race on the same address; the others each sign up new students.
            email = "same@example.org" if n < 4 else f"kid{n}-{k}@example.org"
            statuses.append(
                client.post("/signup/student", data=_student_signup(email, join_code)).status_code
            )

    assert _run_threads(sign_up, 12) == []
    assert set(statuses) == {303}, statuses
    emails = set(db.session.scalars(db.select(User.email).where(User.email.like("%@example.org"))))
    expected = {"same@example.org"} | {
        f"kid{n}-{k}@example.org" for n in range(4, 12) for k in range(2)
    }
    assert expected <= emails
    same = db.session.scalar(
        db.select(db.func.count(User.id)).where(User.email == "same@example.org")
    )
    assert same == 1
