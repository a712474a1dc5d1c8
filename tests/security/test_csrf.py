"""CSRF: every rule that takes POST refuses a missing or foreign token (auto-enumerated)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from portal.extensions import db
from tests.conftest import make_app, routes_app
from tests.security.harness import (
    allowed_role,
    csrf_token,
    login_with_csrf,
    post_rules,
    table_counts,
    url_for_rule,
)
from tests.security.test_access import ENDPOINTS
from tests.security.world import TwoSchoolWorld


@pytest.fixture
def csrf_app(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app
        db.session.remove()


def _post_endpoints() -> list[str]:
    """Collected before any test runs: an app on an in-memory database lists the rules."""
    app = routes_app()
    return sorted({r.endpoint for r in post_rules(app)})


@pytest.mark.parametrize("endpoint", _post_endpoints())
def test_post_without_or_with_a_foreign_token_is_refused(csrf_app: Flask, endpoint: str) -> None:
    assert endpoint in ENDPOINTS
    world = TwoSchoolWorld.new()
    world.approve()
    role = allowed_role(endpoint)
    foreign = csrf_token(csrf_app.test_client())  # valid, but of another session
    for rule in [r for r in post_rules(csrf_app) if r.endpoint == endpoint]:
        client = login_with_csrf(csrf_app, world, role)
        url = url_for_rule(csrf_app, world, rule, role, "own")
        before = table_counts()
        missing = client.post(url, data={})
        forged = client.post(url, data={"csrf_token": foreign}, headers={"X-CSRFToken": foreign})
        garbage = client.post(url, data={"csrf_token": "x" * 40})
        assert [missing.status_code, forged.status_code, garbage.status_code] == [400] * 3, url
        assert table_counts() == before, f"{url}: a refused POST changed the database"
        # Control: the same request with the session's own token gets past CSRF.
        good = client.post(url, data={"csrf_token": csrf_token(client)})
        assert good.status_code != 400, f"{url}: refused even with a valid token"
