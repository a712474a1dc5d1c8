"""Bad input: generated text, odd unicode, huge and missing fields on every form endpoint.

Every rule with POST is found in the url_map and posted to as a role that may use it, with
the fields its page offers (and the values its choices offer, so valid paths are reached
too). No answer may be a 500, and an error answer must leave the database unchanged.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.forms_parser import form_fields
from tests.security.harness import allowed_role, client_as, post_rules, table_counts, url_for_rule
from tests.security.test_csrf import _post_endpoints
from tests.security.world import World

NASTY = [
    "",
    " ",
    "A" * 100_000,
    "\u202eevil\u202c",
    "zero\u200bwidth",
    "\x00nul",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "😀" * 50,
    "-1",
    "99999999999999999999",
    "2024-02-30",
    "ℌ𝔢𝔩𝔩𝔬",
]


def _values(offered: set[str]) -> st.SearchStrategy[str]:
    free = st.one_of(st.text(max_size=300), st.sampled_from(NASTY))
    return st.one_of(st.sampled_from(sorted(offered)), free) if offered else free


def _form_data(fields: dict[str, set[str]]) -> st.SearchStrategy[dict[str, Any]]:
    if not fields:
        return st.fixed_dictionaries({}, optional={"junk": _values(set())})
    return st.fixed_dictionaries({}, optional={n: _values(v) for n, v in fields.items()})


def _fuzz(client: FlaskClient, url: str, fields: dict[str, set[str]]) -> None:
    @settings(
        max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(data=_form_data(fields))
    def post(data: dict[str, Any]) -> None:
        before = table_counts()
        response = client.post(url, data=data)
        assert response.status_code < 500, (url, data)
        if response.status_code >= 400:
            assert table_counts() == before, f"{url}: error {response.status_code} saved"

    post()


@pytest.mark.slow
@pytest.mark.parametrize("endpoint", _post_endpoints())
def test_forms_survive_generated_input(app: Flask, endpoint: str) -> None:
    if endpoint == "auth.logout":
        pytest.skip("takes no input")
    world = World()
    world.approve()
    role = allowed_role(endpoint)
    for rule in [r for r in post_rules(app) if r.endpoint == endpoint]:
        client = client_as(app, world, role)
        url = url_for_rule(app, world, rule, role, "own")
        page = client.get(url) if "GET" in (rule.methods or ()) else None
        _fuzz(client, url, form_fields(page.get_data(as_text=True)) if page else {})
