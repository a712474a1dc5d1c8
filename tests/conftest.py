"""Fixtures in the style of Flask's tutorial: app, client, runner, auth, and the base world.

Every test gets a fresh database: a new SQLite file, or, when ``TEST_DATABASE_URL`` points
at PostgreSQL, the schema created once per session and every table emptied per test.

Worlds: :class:`World` is a school and its counselor. An area's world extends it: a subclass
with the area's records, built by its ``new`` and, where the area has one, served by the
``world`` fixture of ``tests/<area>/conftest.py`` (the security tests' ``TwoSchoolWorld`` holds
two such sides). Every record is built with ``tests/factories.py``.
"""

from __future__ import annotations

import atexit
import contextvars
import functools
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text

from portal import create_app
from portal.extensions import db
from portal.models import School, User
from tests import factories

PG_URL = os.environ.get("TEST_DATABASE_URL", "")

TEST_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    # Cheap hashes keep the suite fast; production parameters are tested on their own.
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_KIB": 1024,
    "SERVER_NAME": "localhost",
    "PUBLIC_URL": "http://localhost",
    # Tasks (matching runs, email) run inline: no worker writes while a test counts rows.
    "TASK_QUEUE_IMMEDIATE": True,
    # Outcome reports computed on every request (tests/reports/test_outcome_summaries.py
    # turns the kept figures on).
    "OUTCOME_REPORT_MAX_AGE": 0,
}


class IsolatedClient(FlaskClient):
    """A test client whose requests run like production ones: each in its own app context.

    Tests hold an app context (for factories and queries); without this, requests would
    share its ``g`` and database session. Before each request the test's session is
    committed, so the request sees the test's data and the test's next read sees the
    request's changes (and, on SQLite, the test does not hold the write lock).
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if _cv_app.get(None) is not None:
            db.session.commit()

        # A streamed response (a CSV export) is read to its end inside the request's own
        # context: its generator cannot be resumed from the test's.
        kwargs.setdefault("buffered", True)

        def run() -> Any:
            _cv_app.set(None)  # type: ignore[arg-type]
            return FlaskClient.open(self, *args, **kwargs)

        return contextvars.copy_context().run(run)


def instance_in(tmp_path: Path) -> str:
    """The instance folder of a test's app: inside ``tmp_path``, never the repository's."""
    return str(tmp_path / "instance")


@functools.cache
def routes_app() -> Flask:
    """A portal on an in-memory database, built once, to list its routes at collection time.

    Its instance folder is a temporary directory removed when the test process exits.
    """
    folder = tempfile.mkdtemp(prefix="mentorbridge-routes-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    config = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x" * 40}
    return create_app(config, instance_path=str(Path(folder) / "instance"))


def make_app(tmp_path: Path, **overrides: Any) -> Flask:
    """A portal on a fresh database (see the module docstring), its instance in ``tmp_path``."""
    url = PG_URL or f"sqlite:///{tmp_path / 'test.sqlite3'}"
    engine_options: dict[str, Any] = {"pool_pre_ping": True}
    if PG_URL:
        # A test that leaves a transaction open fails after a minute instead of hanging CI.
        engine_options["connect_args"] = {"options": "-c lock_timeout=60000"}
    app = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
            **overrides,
        },
        instance_path=instance_in(tmp_path),
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        if PG_URL:
            _empty_postgres()
        else:
            db.create_all()
    return app


_pg_schema_ready = False


def _empty_postgres() -> None:
    global _pg_schema_ready
    if not _pg_schema_ready:
        db.drop_all()
        db.create_all()
        _pg_schema_ready = True
        return
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


class AuthActions:
    """Log in and out through the real forms."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, email: str, password: str = factories.PASSWORD) -> Any:
        return self._client.post("/login", data={"email": email, "password": password})

    def login_as(self, user: Any) -> Any:
        response = self.login(user.email)
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        return response

    def logout(self) -> Any:
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def htmx_headers() -> dict[str, str]:
    """Headers htmx sends; pass as ``headers=`` to make a request look like htmx."""
    return {"HX-Request": "true"}


@dataclass
class World:
    """A school and its counselor: the base every area's world extends."""

    school: School
    counselor: User

    @classmethod
    def new(cls, **school_fields: Any) -> World:
        """A new school (``school_fields`` go to ``make_school``) and a counselor of it."""
        school = factories.make_school(**school_fields)
        return World(school, factories.make_counselor(school))


@pytest.fixture
def world(app: Flask) -> World:
    """The base world (areas override this fixture with their own, built on it)."""
    return World.new()
