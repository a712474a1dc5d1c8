"""The counselor dashboard: where counselors land, with counts of what needs doing."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask
from flask.testing import FlaskClient

from portal import ROOT
from portal.extensions import db
from portal.models import BackgroundCheck, ConsentStatus, utcnow
from tests import factories
from tests.conftest import AuthActions
from tests.counselor.conftest import CounselorWorld
from tests.security.test_query_counts import count_queries, loaded_by_id


def _figure(page: str, section: str) -> int:
    match = re.search(rf'id="{section}".*?<p class="figure">(\d+)</p>', page, re.S)
    assert match is not None, section
    return int(match.group(1))


def test_counselors_land_on_the_dashboard(
    client: FlaskClient, auth: AuthActions, world: CounselorWorld
) -> None:
    auth.login_as(world.counselor)
    response = client.get("/home")
    assert response.headers["Location"].endswith("/counselor/")
    assert client.get("/counselor/").status_code == 200


def test_dashboard_counts_only_own_schools(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    school = counselor_client.school
    factories.make_student(school, consent_status=ConsentStatus.AWAITING)
    factories.make_student(school)
    factories.make_student(counselor_client.other_school, consent_status=ConsentStatus.AWAITING)
    expiring = factories.make_mentor(school)
    factories.make_mentor(school)  # verified, check valid for a year
    check = db.session.scalar(
        db.select(BackgroundCheck).where(BackgroundCheck.user_id == expiring.user_id)
    )
    assert check is not None
    check.expires_on = dt.date.today() + dt.timedelta(days=20)
    db.session.commit()
    page = client.get("/counselor/").get_data(as_text=True)
    assert _figure(page, "pending-partners") == 2  # the pending mentor and organisation
    assert _figure(page, "awaiting-consent") == 1
    assert _figure(page, "expiring-checks") == 1
    assert "/counselor/students?consent=awaiting" in page


def test_dashboard_reads_the_figures_once_and_quiet_rows_with_their_names(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    school = counselor_client.school
    programme = factories.make_programme(school)
    student, other = factories.make_student(school), factories.make_student(school)
    project = factories.make_project(factories.make_organisation(school, name="Tide Trust"))
    quiet = [
        factories.make_match(student, factories.make_mentor(school), programme=programme),
        factories.make_match(other, project=project, programme=programme),
    ]
    for match in quiet:
        match.started_at = utcnow() - dt.timedelta(weeks=8)
    db.session.commit()
    with count_queries() as statements:
        page = client.get("/counselor/").get_data(as_text=True)
    assert f"{student.first_name} {student.last_name}" in page and "Tide Trust" in page
    assert len([s for s in statements if "FROM school_figures" in s]) == 1
    tables = ("student_profiles", "mentor_profiles", "projects", "organisations")
    assert loaded_by_id(statements, *tables) == []


def test_dashboard_needs_staff(
    client: FlaskClient, auth: AuthActions, world: CounselorWorld
) -> None:
    auth.login_as(world.mentor.user)
    assert client.get("/counselor/").status_code == 403


def test_the_dashboards_get_their_panels_from_the_view(app: Flask) -> None:
    """No template global runs a query for them, and no include may be missing (#11, #16)."""
    assert not {"programmes_panel", "safeguarding_panel"} & set(app.jinja_env.globals)
    for name in ("counselor/dashboard.html", "admin/dashboard.html"):
        source = (ROOT / "templates" / name).read_text(encoding="utf-8")
        assert "ignore missing" not in source, name
