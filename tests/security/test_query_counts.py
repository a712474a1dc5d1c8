"""N+1 guard: the SQL queries a main page runs do not grow with the data.

Each page is requested at two data sizes (the two-school world with a few more rows, so that
every list and filter shows some, then the same world with many more students, partners,
matches, check-ins, concerns, proposals and audit events in school A); the number of
statements must be the same.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from portal import audit
from portal.extensions import db
from portal.models import Concern, ConsentStatus, MatchStatus, utcnow
from tests import factories
from tests.factories import make_check_in, make_match, make_programme, make_proposal
from tests.security.harness import client_as, value_for
from tests.security.world import TwoSchoolWorld

PARTNER = {"kind": "partner_kind", "partner_id": "mentor"}
FILTER_VALUES = {"quiet", "support_due", "not_good_fit"}
ENDED = MatchStatus.ENDED

# (page, role, endpoint, {url parameter: world kind}); pages of areas not built yet skip.
PAGES: list[tuple[str, str, str, dict[str, str]]] = [
    ("login page", "anonymous", "auth.login", {}),
    ("student home", "student", "main.student_home", {}),
    ("mentor home", "mentor", "main.mentor_home", {}),
    ("organisation home", "organisation", "main.organisation_home", {}),
    ("counselor dashboard", "counselor", "counselor.dashboard", {}),
    ("students list", "counselor", "counselor.students", {}),
    ("partners list", "counselor", "counselor.partners", {}),
    ("programmes", "counselor", "programmes.index", {}),
    ("import page", "counselor", "counselor.import_students", {}),
    ("import preview", "counselor", "counselor.student_import", {"import_id": "student_import"}),
    ("partner invitations", "counselor", "counselor.invite_partners", {}),
    ("run review", "counselor", "programmes.review", {"run_id": "run"}),
    ("relationships", "counselor", "relationships.index", {}),
    ("relationships: quiet", "counselor", "relationships.index", {"flag": "quiet"}),
    ("relationships: support due", "counselor", "relationships.index", {"flag": "support_due"}),
    ("relationships: not a good fit", "counselor", "relationships.index", {"flag": "not_good_fit"}),
    ("match page", "counselor", "relationships.match_page", {"match_id": "match"}),
    ("concerns", "counselor", "safeguarding.concern_list", {}),
    ("audit trail", "admin", "safeguarding.audit_trail", {}),
    ("student export", "counselor", "safeguarding.student_export", {"student_id": "student"}),
    ("match page", "counselor", "relationships.match_page", {"match_id": "match"}),
    ("student's matches", "student", "relationships.student_page", {}),
    ("to celebrate", "counselor", "counselor.celebrations", {}),
    ("outcome report", "counselor", "reports.programme_outcomes", {"programme_id": "programme"}),
    ("school outcome report", "counselor", "reports.school_outcomes", {"school_id": "school"}),
    (
        "certificate",
        "counselor",
        "counselor.certificate",
        {"kind": "partner_kind", "partner_id": "mentor"},
    ),
]


@contextmanager
def count_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.startswith(("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)


def loaded_by_id(statements: list[str], *tables: str) -> list[str]:
    """The statements that load rows of ``tables`` by a list of ids (a separate eager load,
    where a join would bring them with the rows that name them)."""
    by_id = re.compile(rf"\b({'|'.join(tables)})\.id IN \((\?|%\()")
    return [statement for statement in statements if by_id.search(statement)]


def grow(world: TwoSchoolWorld, n: int = 15) -> None:
    """Many more records around school A's people."""
    a = world.a
    for i in range(n):
        student = factories.make_student(a.school, consent_status=ConsentStatus.AWAITING)
        programme = make_programme(a.school, name=f"Extra {i}")
        match = make_match(student, a.mentor, programme=programme)
        make_check_in(match, a.mentor.user_id)
        # Three months together about now: a milestone for the celebrations page; quiet and
        # support due for the relationships filters.
        match.started_at = utcnow() - dt.timedelta(days=90 + i % 10)
        match.last_meeting_on = dt.date.today() - dt.timedelta(weeks=10)
        match.support_due_on = dt.date.today() - dt.timedelta(days=1)
        match.student_fit = "not_good"
        make_proposal(a.run, student, mentor_id=a.mentor.id)
        # A live project of its own organisation, three months old too: each row names both.
        other = factories.make_student(a.school)
        project = factories.make_project(factories.make_organisation(a.school))
        with_project = make_match(other, project=project, programme=programme)
        with_project.started_at = match.started_at
        # Ended: a student has one live project at a time (a unique index).
        own = make_match(a.student, project=a.project, programme=programme, status=ENDED)
        make_check_in(own, a.student.user_id or 0)
        partner = factories.make_mentor(a.school)
        factories.make_check(partner.user, a.counselor, expires_in_days=i % 40 - 5)
        db.session.add(
            Concern(
                school_id=a.school.id,
                reporter_id=student.user_id,
                match_id=match.id,
                reason="other",
                note="x",
            )
        )
        audit.record(
            "student.view",
            actor=a.counselor,
            object_type="student",
            object_id=a.student.id,
            school_id=a.school.id,
        )
    db.session.commit()


def _value(world: TwoSchoolWorld, kind: str, role: str) -> Any:
    """A world object's id for a URL parameter, or a filter's literal value (``flag``)."""
    return kind if kind in FILTER_VALUES else value_for(world, kind, role, "own")


def _count(app: Flask, client: FlaskClient, url: str) -> int:
    client.get(url)  # warm up (first-request work is not what we measure)
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements)


@pytest.mark.parametrize(("label", "role", "endpoint", "params"), PAGES, ids=[p[0] for p in PAGES])
def test_queries_per_page_do_not_grow(
    app: Flask, label: str, role: str, endpoint: str, params: dict[str, str]
) -> None:
    if endpoint not in app.view_functions:
        pytest.skip(f"{endpoint} does not exist yet")
    world = TwoSchoolWorld.new()
    world.approve()
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **{p: _value(world, k, role) for p, k in params.items()})
    client = client_as(app, world, role)
    grow(world, 2)  # a few rows in every list and filter: loading them is a fixed cost
    small = _count(app, client, url)
    grow(world)
    large = _count(app, client, url)
    assert small == large, f"{label}: {small} queries with little data, {large} with more"


def test_the_counter_sees_growth(app: Flask) -> None:
    """Control: a deliberately N+1 loop is caught by the counter."""
    world = TwoSchoolWorld.new()
    grow(world, 3)
    with count_queries() as few:
        [c.id for c in db.session.scalars(db.select(Concern).limit(1))]
    db.session.expire_all()
    with count_queries() as many:
        for concern in db.session.scalars(db.select(Concern)):
            db.session.refresh(concern)
    assert len(many) > len(few)
    assert dt.date.today()
