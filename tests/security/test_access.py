"""Role × ownership access for every endpoint, from the one table in access_table.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import routes_app
from tests.security.access_table import ACCESS, ROLES, A
from tests.security.harness import classify, client_as, method_of, rules, url_for_rule
from tests.security.world import TwoSchoolWorld


def _all_endpoints() -> set[str]:
    app = routes_app()
    return {rule.endpoint for rule in app.url_map.iter_rules()}


ENDPOINTS = sorted(_all_endpoints())


def test_every_endpoint_has_exactly_one_row(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(ACCESS))
    stale = sorted(set(ACCESS) - endpoints)
    assert not missing, f"add these endpoints to tests/security/access_table.py: {missing}"
    assert not stale, f"these rows name endpoints that no longer exist: {stale}"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_access(app: Flask, endpoint: str) -> None:
    if endpoint not in ACCESS:
        pytest.fail(f"{endpoint} has no row in tests/security/access_table.py")
    world = TwoSchoolWorld.new()
    world.approve()
    problems = []
    for rule in [r for r in rules(app) if r.endpoint == endpoint]:
        for role in ROLES:
            cases = zip(("own", "other"), ACCESS[endpoint].expect[role], strict=True)
            # Without URL parameters there is no "another's object": only "own" applies.
            for which, expected in list(cases)[: 2 if rule.arguments else 1]:
                client = client_as(app, world, role)
                url = url_for_rule(app, world, rule, role, which)
                response = client.open(url, method=method_of(rule))
                got = classify(response)
                if got != expected:
                    problems.append(
                        f"{role:12} {which:5} {method_of(rule)} {url}: "
                        f"expected {expected}, got {got} ({response.status_code})"
                    )
    assert not problems, "\n".join(problems)


def test_the_table_allows_no_partner_into_staff_pages() -> None:
    """A guard on the table itself: a staff-only area never lists a partner as allowed."""
    for endpoint, row in ACCESS.items():
        if endpoint.startswith(
            (
                "safeguarding.concern",
                "safeguarding.student",
                "counselor.",
                "admin.",
                "safeguarding.audit",
                "reports.",
            )
        ):
            for role in ("anonymous", "student", "mentor", "organisation"):
                assert A not in row.expect[role], (endpoint, role)


def test_unknown_rows_fail(tmp_path: Path) -> None:
    """The harness itself can fail: a rule the table does not know is reported."""
    assert "no.such.endpoint" not in ACCESS
