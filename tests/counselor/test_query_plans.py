"""The counselor's pages read their school's rows through indexes, never whole tables.

At district size a table scan here costs tens of milliseconds per request (the dashboard took
half a second under load before its indexes). SQLite's ``EXPLAIN QUERY PLAN`` says which
index each statement uses even on a tiny database; PostgreSQL's planner rightly prefers
sequential scans on tables this small, so the check runs on SQLite only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event

from portal.extensions import db
from portal.models import ConsentStatus
from tests import factories
from tests.conftest import PG_URL
from tests.counselor.conftest import World
from tests.programmes.builders import make_finished_run, make_proposal
from tests.safeguarding.builders import make_check_in, make_match, make_programme

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="reads SQLite's EXPLAIN QUERY PLAN")

# Tables that grow with the district; a plan line "SCAN <table>" reads all of it.
LARGE = (
    "student_profiles",
    "mentor_profiles",
    "organisations",
    "background_checks",
    "matches",
    "check_ins",
    "goals",
    "concerns",
    "proposals",
    "users",
)
# {programme} and {run} are the world's programme and its finished run (see ``requested``).
PAGES = [
    "/counselor/",
    "/counselor/students",
    "/counselor/students?consent=awaiting",
    "/counselor/partners",
    "/counselor/partners?status=verified",
    "/counselor/relationships",
    "/counselor/relationships?flag=support_due&sort=support_due",
    "/counselor/relationships?flag=quiet",
    "/counselor/relationships?flag=not_good_fit",
    "/counselor/relationships?sort=last_meeting",
    "/counselor/celebrations",
    "/safeguarding/concerns",
    "/programmes/runs/{run}/review",
    "/reports/programmes/{programme}/outcomes",
]


@contextmanager
def selects() -> Iterator[list[tuple[str, Any]]]:
    """Every SELECT run meanwhile, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)


def plan(statement: str, parameters: Any) -> list[str]:
    """SQLite's plan of ``statement``, one line per step."""
    with db.engine.connect() as connection:
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    return [row[-1] for row in rows]


def requested(client: FlaskClient, world: World, url: str) -> list[tuple[str, Any]]:
    """The SELECTs ``url`` runs for the world's counselor, with a little data around."""
    student = factories.make_student(world.school, consent_status=ConsentStatus.AWAITING)
    factories.make_student(world.other_school)
    mentor = factories.make_mentor(world.school)  # verified, with a check
    factories.make_organisation(world.other_school)
    programme = make_programme(world.school)
    match = make_match(student, mentor, programme=programme)
    make_check_in(match, mentor.user_id)
    run = make_finished_run(programme)
    make_proposal(run, student, mentor_id=mentor.id)
    url = url.format(programme=programme.id, run=run.id)
    with selects() as statements:
        assert client.get(url).status_code == 200
    assert any(table in s for s, _ in statements for table in LARGE)
    return statements


@pytest.mark.parametrize("url", PAGES)
def test_counselor_pages_never_scan_large_tables(
    client: FlaskClient, counselor_client: World, url: str
) -> None:
    scan = re.compile(rf"^SCAN ({'|'.join(LARGE)})\b")
    scans = {
        statement.split("FROM", 1)[-1][:120]: [
            line for line in plan(statement, p) if scan.match(line)
        ]
        for statement, p in requested(client, counselor_client, url)
    }
    assert {query: lines for query, lines in scans.items() if lines} == {}


def test_the_student_list_is_read_in_name_order_without_sorting(
    client: FlaskClient, counselor_client: World
) -> None:
    statements = requested(client, counselor_client, "/counselor/students")
    paged = [(s, p) for s, p in statements if "FROM student_profiles" in s and "LIMIT" in s]
    assert len(paged) == 1
    steps = plan(*paged[0])
    assert any("ix_student_profiles_school_id_name" in step for step in steps), steps
    assert not any("TEMP B-TREE" in step for step in steps), steps
