"""Bad input: generated text, odd unicode, huge and missing fields on every form endpoint.

Every rule with POST is found in the url_map and posted to as a role that may use it, with
the fields its page offers (and the values its choices offer, so valid paths are reached
too). No answer may be a 500, and an error answer must leave the database unchanged.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import routes_app
from tests.security.forms_parser import form_fields
from tests.security.harness import (
    allowed_role,
    client_as,
    int_params,
    method_of,
    post_rules,
    rules,
    table_counts,
    url_for_rule,
    url_with,
)
from tests.security.test_csrf import _post_endpoints
from tests.security.world import TwoSchoolWorld

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
    world = TwoSchoolWorld.new()
    world.approve()
    role = allowed_role(endpoint)
    for rule in [r for r in post_rules(app) if r.endpoint == endpoint]:
        client = client_as(app, world, role)
        url = url_for_rule(app, world, rule, role, "own")
        page = client.get(url) if "GET" in (rule.methods or ()) else None
        _fuzz(client, url, form_fields(page.get_data(as_text=True)) if page else {})


# Ids past the 64-bit integer range that PostgreSQL's bigint (and SQLite's integer) holds.
HUGE_IDS = (2**63, 2**64)


def _int_rules() -> list[str]:
    app = routes_app()
    return sorted({r.endpoint for r in app.url_map.iter_rules() if int_params(r)})


@pytest.mark.parametrize("endpoint", _int_rules())
def test_ids_past_64_bits_are_not_found(app: Flask, endpoint: str) -> None:
    """Every ``<int:>`` parameter above 2**63-1 is a 404 (not a 500, not an outage 503)."""
    world = TwoSchoolWorld.new()
    world.approve()
    role = allowed_role(endpoint)
    for rule in [r for r in rules(app) if r.endpoint == endpoint]:
        client = client_as(app, world, role)
        for param in int_params(rule):
            for huge in HUGE_IDS:
                url = url_with(app, world, rule, role, **{param: huge})
                response = client.open(url, method=method_of(rule))
                assert response.status_code == 404, (url, response.status_code)


def _get_rules_without_args() -> list[str]:
    app = routes_app()
    return sorted(
        {
            r.endpoint
            for r in app.url_map.iter_rules()
            if "GET" in (r.methods or ()) and not r.arguments
        }
    )


JUNK_NUMBERS = [str(2**63), str(2**64), "-1", "0", "x", "1e9", str(10**30), "nan", "1e400"]
# Every query argument a page reads (lists, filters, the concern form's ``match``...).
QUERY_ARGS = ("page", "grade", "consent", "min_score", "status", "kind", "match", "step", "q")


@pytest.mark.parametrize("number", JUNK_NUMBERS)
def test_page_numbers_out_of_range_are_never_an_error(app: Flask, number: str) -> None:
    """Every list page takes any ``page=`` without a 5xx (staff, who see every list)."""
    world = TwoSchoolWorld.new()
    world.approve()
    for role in ("counselor", "admin"):
        client = client_as(app, world, role)
        for endpoint in _get_rules_without_args():
            for rule in [r for r in rules(app) if r.endpoint == endpoint]:
                if rule.endpoint in ("static", "auth.logout"):
                    continue
                response = client.get(rule.rule, query_string={"page": number})
                assert response.status_code < 500, (role, rule.rule, number)


@pytest.mark.parametrize("number", [str(2**63), str(2**64), "-1", "nan", "1e400"])
def test_junk_query_arguments_are_never_an_error(app: Flask, number: str) -> None:
    """Every GET page, as a role that may see it, takes junk in every query argument."""
    world = TwoSchoolWorld.new()
    world.approve()
    clients: dict[str, FlaskClient] = {}
    for rule in rules(app):
        if "GET" not in (rule.methods or ()) or rule.endpoint in ("static", "auth.logout"):
            continue
        role = allowed_role(rule.endpoint)
        if role not in clients:
            clients[role] = client_as(app, world, role)
        client = clients[role]
        url = url_for_rule(app, world, rule, role, "own")
        response = client.get(url, query_string=dict.fromkeys(QUERY_ARGS, number))
        assert response.status_code < 500, (role, url, number)


@pytest.mark.parametrize(
    "query",
    [
        {"actor_id": str(2**63)},
        {"object_id": str(2**64)},
        {"actor_id": "-5"},
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
        {"page": str(2**63)},
    ],
)
def test_audit_filters_out_of_range_are_a_clear_refusal(app: Flask, query: dict[str, str]) -> None:
    """Filters no event can match are a message on the field (422) or an empty page, never 5xx."""
    world = TwoSchoolWorld.new()
    world.approve()
    for role in ("counselor", "admin"):
        response = client_as(app, world, role).get("/safeguarding/audit", query_string=query)
        assert response.status_code in (200, 422), (role, query, response.status_code)
        if "page" not in query:
            text = response.get_data(as_text=True)
            assert "whole number from 1 to" in text or "Pick a date between" in text, query


# A POST-only rule has no page to read its fields from: the text fields such forms use.
POST_ONLY_TEXT = ("note", "reason", "label", "slug")
POST_ONLY_FIELDS: dict[str, set[str]] = {name: set() for name in POST_ONLY_TEXT}


@pytest.mark.parametrize("endpoint", _post_endpoints())
def test_a_text_field_sent_as_a_file_is_invalid_input(app: Flask, endpoint: str) -> None:
    """Any form field posted as a multipart file part is refused (4xx), saving nothing."""
    if endpoint == "auth.logout":
        pytest.skip("takes no input")
    world = TwoSchoolWorld.new()
    world.approve()
    role = allowed_role(endpoint)
    for rule in [r for r in post_rules(app) if r.endpoint == endpoint]:
        client = client_as(app, world, role)
        url = url_for_rule(app, world, rule, role, "own")
        page = client.get(url) if "GET" in (rule.methods or ()) else None
        fields = form_fields(page.get_data(as_text=True)) if page else POST_ONLY_FIELDS
        for name in fields:
            data: dict[str, Any] = {n: sorted(v)[0] if v else "text" for n, v in fields.items()}
            data[name] = (io.BytesIO(b"a file, not text"), "junk.txt")
            before = table_counts()
            response = client.post(url, data=data, content_type="multipart/form-data")
            assert response.status_code < 500, (url, name, response.status_code)
            if response.status_code >= 400:
                assert table_counts() == before, f"{url}: error {response.status_code} saved"
