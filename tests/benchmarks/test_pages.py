"""The load benchmark measures every page a counselor, student or partner opens (or says why
not), and its district seed keeps the summary columns the pages read consistent."""

from __future__ import annotations

import argparse
from typing import Any

from flask import Flask
from sqlalchemy import func

from benchmarks import district, load_table, pages
from portal.auth.passwords import hash_password
from portal.extensions import db
from portal.models import CheckIn, Match, MatchRun, Proposal, RunStatus
from portal.vocabulary import ensure_default_vocabulary
from tests.security.access_table import ACCESS, A


def test_every_get_page_of_those_roles_is_measured_or_excluded_with_a_reason(app: Flask) -> None:
    missing = [e for e, why in pages.unmeasured(app).items() if why.startswith("NOT MEASURED")]
    assert missing == []


def test_exclusions_name_existing_endpoints_that_are_not_measured(app: Flask) -> None:
    measured = {page.endpoint for page in pages.PAGES}
    assert set(pages.EXCLUDED) <= set(app.view_functions)
    assert not set(pages.EXCLUDED) & measured


def test_each_page_is_opened_by_a_role_the_access_table_allows() -> None:
    for page in pages.PAGES:
        assert ACCESS[page.endpoint].expect[page.role][0] == A, page.name
    assert len({page.name for page in pages.PAGES}) == len(pages.PAGES)


def _row(idle: float, p95: float, staff: bool = True) -> dict[str, Any]:
    return {"idle": idle, "p50": p95 / 2, "p95": p95, "p99": p95, "errors": 0, "staff": staff,
            "page": "p", "role": "counselor", "sql": 3, "rps": 10.0}  # fmt: skip


def test_targets_counselor_pages_idle_within_4x_login_and_every_p95_below_100_ms() -> None:
    anchor = _row(3.0, 20.0) | {"role": "anonymous", "staff": False}
    assert load_table.verdict(_row(12.0, 99.0), anchor) == "PASS"
    assert load_table.verdict(_row(12.1, 50.0), anchor) == "FAIL: idle 4.0x > 4x"
    assert load_table.verdict(_row(30.0, 50.0, staff=False), anchor) == "PASS"
    assert load_table.verdict(_row(3.0, 100.0, staff=False), anchor) == "FAIL: p95 >= 100 ms"
    args = argparse.Namespace(students=20, schools=2, matches=10, meetings=50, workers=1,
                              idle_requests=5, connections=8, duration=1)  # fmt: skip
    table = load_table.markdown([anchor, _row(12.1, 50.0)], args, "here")
    assert "| p | counselor | 3 | 12.1 (4.0x) |" in table
    assert "0 of 1 pass." in table


def test_the_district_seed_is_consistent_and_gives_every_page_its_ids(app: Flask) -> None:
    with app.app_context():
        ensure_default_vocabulary()
        sizes = district.Sizes(schools=2, students=240, matches=120, meetings=600)
        seeded = district.seed_district(sizes, hash_password("a benchmark password"))
        latest = (
            db.select(CheckIn.match_id, func.max(CheckIn.met_on).label("day"))
            .group_by(CheckIn.match_id)
            .subquery()
        )
        wrong = (
            db.select(func.count()).select_from(Match).join(latest, latest.c.match_id == Match.id)
        )
        assert db.session.scalar(wrong.where(Match.last_meeting_on != latest.c.day)) == 0
        assert 500 <= db.session.scalar(db.select(func.count(CheckIn.id))) <= 700
        run = db.session.get(MatchRun, seeded["ids"]["run_id"])
        assert run is not None and run.status == RunStatus.SUCCEEDED
        assert db.session.scalar(db.select(func.count(Proposal.id))) > 0
    ids = {**seeded["ids"], "partner_id": seeded["ids"]["mentor_id"]}
    assert {page.name for page in pages.PAGES} - set(pages.resolve(app, ids)) == set()
