"""Partners pending verification: list, page, record a check, approve, decline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import AuditEvent, BackgroundCheck, OutboxMessage, Role, Verification
from tests import factories
from tests.conftest import AuthActions, make_app
from tests.counselor.conftest import CounselorWorld
from tests.security.test_query_counts import count_queries, loaded_by_id

TODAY = dt.date.today()
HTMX = {"HX-Request": "true"}


def _url(
    world: CounselorWorld, action: str = "", kind: str = "mentor", pid: int | None = None
) -> str:
    pid = world.mentor.id if pid is None else pid
    return f"/counselor/partners/{kind}/{pid}" + (f"/{action}" if action else "")


def _check_data(**changes: str) -> dict[str, str]:
    data = {
        "kind": "criminal_record",
        "reference": "CR-2291",
        "checked_on": (TODAY - dt.timedelta(days=3)).isoformat(),
        "expires_on": (TODAY + dt.timedelta(days=700)).isoformat(),
        "outcome": "passed",
    }
    return {**data, **changes}


def _checks() -> int:
    return len(db.session.scalars(db.select(BackgroundCheck)).all())


def test_pending_list_shows_own_schools_mentors_and_organisations(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    page = client.get("/counselor/partners").get_data(as_text=True)
    assert "Pat " in page and "Food Bank" in page
    assert "Quinn" not in page
    assert "no passed check on record" in page


def test_pending_list_fragment_for_htmx(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    response = client.get("/counselor/partners", headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="partner-list"' in body and "<html" not in body
    assert "HX-Request" in response.headers["Vary"]


def test_verified_list_warns_of_checks_expiring_within_30_days(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    soon = factories.make_mentor(counselor_client.school, first_name="Robin")
    checks = db.session.scalars(
        db.select(BackgroundCheck).where(BackgroundCheck.user_id == soon.user_id)
    ).all()
    checks[0].expires_on = TODAY + dt.timedelta(days=12)
    db.session.commit()
    page = client.get("/counselor/partners?status=verified").get_data(as_text=True)
    assert "Robin" in page
    assert "expires in 12 days" in page
    assert "badge-warn" in page


def test_partner_list_is_paginated(
    app: Any, client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    app.config["PER_PAGE"] = 1
    first = client.get("/counselor/partners").get_data(as_text=True)
    second = client.get("/counselor/partners?page=2").get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert ("Pat " in first) != ("Pat " in second)


def test_partner_list_total_is_the_kept_figure_and_schools_come_with_their_partners(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    with count_queries() as statements:
        page = client.get("/counselor/partners").get_data(as_text=True)
    assert "2 pending partners" in page
    # No count over the partner tables (the figures say it), no separate loads of schools
    # or accounts: the page of accounts, then each kind's profiles with their school.
    assert not [s for s in statements if "count(" in s.lower() and "school_figures" not in s]
    assert loaded_by_id(statements, "schools", "users") == []


def test_partner_page_shows_profile_and_checks(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    factories.make_check(counselor_client.mentor.user, counselor_client.counselor, reference="R-77")
    page = client.get(_url(counselor_client)).get_data(as_text=True)
    assert counselor_client.mentor.user.email in page
    assert "Software engineer" in page
    assert "R-77" in page
    assert counselor_client.counselor.display_name in page


@pytest.mark.parametrize("action", ["", "checks", "approve", "decline"])
def test_another_schools_partner_is_404(
    client: FlaskClient, counselor_client: CounselorWorld, action: str
) -> None:
    url = _url(counselor_client, action, pid=counselor_client.foreign_mentor.id)
    response = client.get(url) if not action else client.post(url, data=_check_data())
    assert response.status_code == 404
    assert _checks() == 0
    assert counselor_client.foreign_mentor.verification == Verification.PENDING


def test_unknown_kind_is_404(client: FlaskClient, counselor_client: CounselorWorld) -> None:
    assert client.get(_url(counselor_client, kind="student")).status_code == 404


@pytest.mark.parametrize("role", [Role.MENTOR, Role.STUDENT, Role.ORGANISATION])
def test_other_roles_get_403(
    client: FlaskClient, auth: AuthActions, world: CounselorWorld, role: Role
) -> None:
    auth.login_as(factories.make_user(role))
    assert client.get("/counselor/partners").status_code == 403
    assert client.post(_url(world, "approve")).status_code == 403
    assert world.mentor.verification == Verification.PENDING


def test_anonymous_is_sent_to_login(client: FlaskClient, world: CounselorWorld) -> None:
    response = client.get("/counselor/partners")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_record_check_with_htmx_swaps_the_panel(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    response = client.post(_url(counselor_client, "checks"), data=_check_data(), headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="verification-panel"' in body and "<html" not in body
    assert "The background check is recorded." in body
    assert "CR-2291" in body
    [check] = db.session.scalars(db.select(BackgroundCheck)).all()
    assert check.verified_by_id == counselor_client.counselor.id


def test_record_check_without_htmx_redirects(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    response = client.post(_url(counselor_client, "checks"), data=_check_data())
    assert response.status_code == 303
    assert response.headers["Location"].endswith(_url(counselor_client))
    assert _checks() == 1
    events = db.session.scalars(db.select(AuditEvent.action)).all()
    assert "mentor.check_recorded" in events


LATER = (TODAY + dt.timedelta(days=5)).isoformat()
BAD_CHECKS = [
    ({"reference": ""}, "This field is required."),
    ({"reference": "R" * 81}, "Field cannot be longer than 80 characters."),
    ({"reference": "CR\x01-1"}, "invisible or control characters"),
    ({"reference": "CR\u202e-1"}, "invisible or control characters"),
    ({"kind": "tarot"}, "Not a valid choice"),
    ({"outcome": "maybe"}, "Not a valid choice"),
    ({"checked_on": "2024-13-45"}, "Not a valid date value."),
    ({"checked_on": ""}, "This field is required."),
    ({"expires_on": "yesterday"}, "Not a valid date value."),
    ({"checked_on": LATER}, "to today"),
    ({"expires_on": (TODAY - dt.timedelta(days=4)).isoformat()}, "must be after the check date"),
    ({"expires_on": (TODAY - dt.timedelta(days=1)).isoformat()}, "already expired"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_CHECKS)
@pytest.mark.parametrize("headers", [{}, HTMX])
def test_bad_check_input_is_422_with_the_message_and_nothing_saved(
    client: FlaskClient,
    counselor_client: CounselorWorld,
    changes: dict[str, str],
    message: str,
    headers: dict[str, str],
) -> None:
    response = client.post(
        _url(counselor_client, "checks"), data=_check_data(**changes), headers=headers
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _checks() == 0
    assert db.session.scalars(db.select(OutboxMessage)).all() == []


def test_a_failed_check_may_have_expired(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    old = {"checked_on": "2020-01-01", "expires_on": "2021-01-01", "outcome": "failed"}
    response = client.post(_url(counselor_client, "checks"), data=_check_data(**old))
    assert response.status_code == 303
    assert _checks() == 1


def test_script_in_reference_is_escaped(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    data = _check_data(reference="<script>alert(1)</script>")
    client.post(_url(counselor_client, "checks"), data=data)
    page = client.get(_url(counselor_client)).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_approve_without_a_valid_check_is_refused(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    response = client.post(_url(counselor_client, "approve"), headers=HTMX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Record a passed, unexpired background check before approving." in body
    assert 'id="verification-panel"' in body
    db.session.refresh(counselor_client.mentor)
    assert counselor_client.mentor.verification == Verification.PENDING


def test_approve_with_an_expired_check_is_refused(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    factories.make_check(counselor_client.mentor.user, counselor_client.counselor, -3)
    response = client.post(_url(counselor_client, "approve"))
    assert response.status_code == 422
    assert "before approving" in response.get_data(as_text=True)
    assert counselor_client.mentor.verification == Verification.PENDING


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_approve_with_a_valid_check(
    client: FlaskClient, counselor_client: CounselorWorld, headers: dict[str, str]
) -> None:
    client.post(_url(counselor_client, "checks"), data=_check_data())
    response = client.post(_url(counselor_client, "approve"), headers=headers)
    if headers:
        assert response.status_code == 200
        assert 'id="verification-status">verified<' in response.get_data(as_text=True)
    else:
        assert response.status_code == 303
    db.session.refresh(counselor_client.mentor)
    assert counselor_client.mentor.verification == Verification.VERIFIED
    actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert "mentor.verified" in actions
    pending = client.get("/counselor/partners").get_data(as_text=True)
    assert "Pat " not in pending.split('id="partner-list"')[1]


def test_approve_an_organisation(client: FlaskClient, counselor_client: CounselorWorld) -> None:
    org = counselor_client.organisation
    factories.make_check(org.user, counselor_client.counselor)
    response = client.post(_url(counselor_client, "approve", "organisation", org.id))
    assert response.status_code == 303
    assert org.verification == Verification.VERIFIED


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 501, "Field cannot be longer than 500 characters."),
        ("No\x07thanks", "invisible or control characters"),
    ],
)
def test_decline_needs_a_valid_reason(
    client: FlaskClient, counselor_client: CounselorWorld, reason: str, message: str
) -> None:
    response = client.post(_url(counselor_client, "decline"), data={"reason": reason}, headers=HTMX)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.refresh(counselor_client.mentor)
    assert counselor_client.mentor.verification == Verification.PENDING


def test_decline_with_a_reason(client: FlaskClient, counselor_client: CounselorWorld) -> None:
    reason = "<script>x()</script> references missing"
    response = client.post(_url(counselor_client, "decline"), data={"reason": reason}, headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "&lt;script&gt;x()&lt;/script&gt; references missing" in body
    assert "<script>x()" not in body
    assert counselor_client.mentor.verification == Verification.DECLINED
    [message] = db.session.scalars(db.select(OutboxMessage)).all()
    assert message.to == counselor_client.mentor.user.email
    actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert "mentor.declined" in actions


def test_admins_may_verify_any_school(
    client: FlaskClient, auth: AuthActions, world: CounselorWorld
) -> None:
    auth.login_as(factories.make_admin())
    factories.make_check(world.foreign_mentor.user, world.counselor)
    response = client.post(_url(world, "approve", pid=world.foreign_mentor.id))
    assert response.status_code == 303
    assert world.foreign_mentor.verification == Verification.VERIFIED


def test_posts_need_a_csrf_token(tmp_path: Path) -> None:
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        school = factories.make_school()
        mentor = factories.make_mentor(school, verified=False)
        factories.make_check(mentor.user, factories.make_counselor(school))
        counselor = factories.make_counselor(school)
        client = app.test_client()
        login = client.get("/login")
        assert login.status_code == 200
        token = login.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
        token = token.split('"')[0]
        data = {"email": counselor.email, "password": factories.PASSWORD, "csrf_token": token}
        assert client.post("/login", data=data).status_code == 303
        response = client.post(f"/counselor/partners/mentor/{mentor.id}/approve")
        assert response.status_code == 400
        db.session.refresh(mentor)
        assert mentor.verification == Verification.PENDING


def _count_queries(app: Any, client: FlaskClient, url: str) -> int:
    from sqlalchemy import event

    statements: list[str] = []

    def _log(*args: Any) -> None:
        statements.append(str(args[2]))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _log)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", _log)
    return len(statements)


@pytest.mark.parametrize(
    "url",
    [
        "/counselor/partners",
        "/counselor/partners?status=verified",
        "/counselor/students",
        "/counselor/",
    ],
)
def test_queries_per_page_do_not_grow_with_the_data(
    app: Any, client: FlaskClient, counselor_client: CounselorWorld, url: str
) -> None:
    school = counselor_client.school
    factories.make_student(school)
    factories.make_mentor(school)
    few = _count_queries(app, client, url)
    for _ in range(4):
        factories.make_student(school)
        factories.make_mentor(school)
        factories.make_mentor(school, verified=False)
        factories.make_organisation(school, verified=False)
    assert _count_queries(app, client, url) == few
