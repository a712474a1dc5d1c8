"""Shared machinery of the security tests: fill URL parameters, log in, classify answers."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from portal.extensions import db
from portal.models import CheckIn
from tests import factories
from tests.security.access_table import ACCESS, PARAM_KINDS, A, F, L, N
from tests.security.world import Side, TwoSchoolWorld

STAFF_SEES_ALL = ("counselor", "admin")


def kind_of(rule: Rule, param: str) -> str:
    """The world kind that fills ``param`` of ``rule``."""
    row = ACCESS.get(rule.endpoint)
    kind = (row.params.get(param) if row else None) or PARAM_KINDS.get(param)
    assert kind, (
        f"{rule.endpoint}: no kind for URL parameter <{param}>; add it to PARAM_KINDS "
        "or give the row params={...} (see tests/security/access_table.py)"
    )
    return kind


def _check_in(side: Side) -> int:
    match_id = side.match.id if side.match else 0
    return db.session.scalar(db.select(CheckIn.id).where(CheckIn.match_id == match_id)) or 0


def _outbox_message(side: Side) -> int:
    """A queued email (the outbox has no school: both sides get one of their own)."""
    from portal.mail import queue_email

    message = queue_email(side.counselor.email, "Planted", "A planted message.")
    db.session.commit()
    return message.id


def _student_import(side: Side) -> int:
    """An uploaded class list of the side's school, not yet imported."""
    from portal.imports.columns import guess_mapping
    from portal.models import StudentImport
    from tests.imports.classlist import HEADERS, csv_bytes, rows

    job = StudentImport(
        school_id=side.school.id,
        created_by_id=side.counselor.id,
        filename="class.csv",
        content=csv_bytes(rows(2)),
        total=2,
        mapping=guess_mapping(HEADERS),
    )
    db.session.add(job)
    db.session.commit()
    return job.id


def _reset_token(side: Side) -> str:
    from portal.auth.services import RESET, _fingerprint
    from portal.auth.tokens import make_token

    user = side.student.user
    return make_token(RESET, {"u": user.id, "f": _fingerprint(user), "i": False})


def _confirm_token(world: TwoSchoolWorld) -> str:
    from portal.signup.services import confirm_link

    with world_request():
        return confirm_link(world.pending).rsplit("/", 1)[1]


def world_request() -> Any:
    from flask import current_app

    return current_app.test_request_context()


def _survey(side: Side, role: str) -> Any:
    """An exit survey of the side's match for ``role`` (student, or the match's partner)."""
    from portal.models import ExitSurvey

    match = side.project_match if role == "organisation" else side.match
    if match is None:  # A's side before approval: no match, no survey
        return None
    respondent = "student" if role not in ("mentor", "organisation") else "partner"
    user = side.student.user if respondent == "student" else world_user(side, role)
    found = db.session.scalar(
        db.select(ExitSurvey).where(
            ExitSurvey.match_id == match.id, ExitSurvey.respondent == respondent
        )
    )
    if found is None:
        found = ExitSurvey(match_id=match.id, respondent=respondent, user_id=user.id)
        db.session.add(found)
        db.session.commit()
    return found


def world_user(side: Side, role: str) -> Any:
    """The side's mentor's or organisation's user."""
    return side.org.user if role == "organisation" else side.mentor.user


def survey_link_token(survey: Any) -> str:
    """The token part of a survey's emailed link."""
    from portal.auth.tokens import make_token
    from portal.relationships.closure import SURVEY

    return make_token(SURVEY, {"x": survey.id})


def value_for(world: TwoSchoolWorld, kind: str, role: str, which: str) -> Any:
    """The id (or token) of the caller's own object, or of another's."""
    side = world.a if which == "own" else world.b
    if kind == "student" and which == "other" and role not in STAFF_SEES_ALL:
        return world.a.other_student.id  # same school, but not theirs
    match = side.project_match if role == "organisation" else side.match
    simple: dict[str, Any] = {
        "student": side.student.id,
        "mentor": side.mentor.id,
        "organisation": side.org.id,
        "project": side.project.id,
        "programme": side.programme.id,
        "run": side.run.id,
        "proposal": side.proposal.id,
        "concern": side.concern.id,
        "school": side.school.id,
        "counselor": side.counselor.id,
        "user": side.mentor.user_id,
        "tag": world.tag.id if world.tag else 1,
        "static": "css/site.css",
        "partner_kind": "mentor",
        "export_kind": "students",
    }
    if kind in simple:
        return simple[kind]
    if kind == "match":
        return match.id if match else 0
    if kind == "check_in":
        return _check_in(side)
    if kind == "reset_token":
        return _reset_token(side) if which == "own" else "not-a-valid-token"
    if kind == "confirm_token":
        return _confirm_token(world) if which == "own" else "not-a-valid-token"
    if kind == "outbox_message":
        return _outbox_message(side)
    if kind == "student_import":
        return _student_import(side)
    if kind == "consent_token":
        return world.consent_token(side)
    if kind in ("survey", "survey_token"):
        survey = _survey(side, role if kind == "survey" else "student")
        if survey is None or (kind == "survey_token" and which != "own"):
            return 0 if kind == "survey" else "not-valid"
        return survey.id if kind == "survey" else survey_link_token(survey)
    raise AssertionError(f"unknown kind {kind!r}")


def url_for_rule(app: Flask, world: TwoSchoolWorld, rule: Rule, role: str, which: str) -> str:
    """The rule's URL with its parameters filled for ``role``."""
    values = {p: value_for(world, kind_of(rule, p), role, which) for p in rule.arguments}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def client_as(app: Flask, world: TwoSchoolWorld, role: str, side: str = "a") -> FlaskClient:
    """A fresh client logged in as the side's person of ``role`` (or anonymous)."""
    client = app.test_client()
    user = world.user(role, side)
    if user is not None:
        response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
        assert response.status_code in (302, 303), f"login as {role} failed"
    return client


def method_of(rule: Rule) -> str:
    return "GET" if "GET" in (rule.methods or ()) else "POST"


def classify(response: Any) -> str:
    """The outcome class of a response (see access_table)."""
    status = response.status_code
    location = response.headers.get("Location", "") or response.headers.get("HX-Redirect", "")
    # Flask-Login sends the anonymous to /login?next=…; a 303 to /login (logout) is allowed.
    if status == 401 or (300 <= status < 400 and "/login" in location and "next=" in location):
        return L
    if status == 403:
        return F
    if status == 404:
        return N
    if status < 400 or status == 422:
        return A
    return f"unexpected {status}"


def rules(app: Flask) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule))


def table_counts() -> dict[str, int]:
    """Rows per table: a snapshot to prove a refused request saved nothing."""
    from sqlalchemy import func, select

    db.session.expire_all()
    return {
        table.name: int(db.session.scalar(select(func.count()).select_from(table)) or 0)
        for table in db.metadata.sorted_tables
    }


def csrf_token(client: FlaskClient) -> str:
    """The CSRF token of ``client``'s session (every page carries it in ``hx-headers``)."""
    import re

    page = client.get("/login").get_data(as_text=True)
    found = re.search(r'"X-CSRFToken": "([^"]+)"', page)
    assert found, "no CSRF token on the login page"
    return found.group(1)


def login_with_csrf(app: Flask, world: TwoSchoolWorld, role: str) -> FlaskClient:
    """Log in through the real form with its CSRF token (for apps with CSRF on)."""
    client = app.test_client()
    user = world.user(role)
    if user is not None:
        data = {"email": user.email, "password": factories.PASSWORD, "csrf_token": ""}
        data["csrf_token"] = csrf_token(client)
        assert client.post("/login", data=data).status_code in (302, 303)
    return client


def allowed_role(endpoint: str) -> str:
    """A role that may use ``endpoint`` on its own object (anonymous for public routes)."""
    row = ACCESS.get(endpoint)
    assert row, f"{endpoint} has no row in tests/security/access_table.py"
    for role in ("anonymous", "student", "mentor", "organisation", "counselor", "admin"):
        if row.expect[role][0] == A:
            return role
    raise AssertionError(f"no role may use {endpoint}")


def post_rules(app: Flask) -> list[Rule]:
    return [r for r in rules(app) if "POST" in (r.methods or ())]


def int_params(rule: Rule) -> list[str]:
    """The URL parameters of ``rule`` that its converter reads as integers."""
    from werkzeug.routing import IntegerConverter

    return [name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)]


def url_with(app: Flask, world: TwoSchoolWorld, rule: Rule, role: str, **given: Any) -> str:
    """The rule's URL for ``role``'s own objects, with some parameters replaced by ``given``."""
    values = {p: value_for(world, kind_of(rule, p), role, "own") for p in rule.arguments}
    values.update(given)
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)
