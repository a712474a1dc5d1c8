"""The outcome report: exact figures on a hand-built world, its page, JSON and CSV forms."""

from __future__ import annotations

import csv
import io
import json

from flask.testing import FlaskClient, FlaskCliRunner

from portal.reports import outcomes
from tests import factories
from tests.conftest import AuthActions
from tests.reports.world import NOW, ReportWorld


def test_figures_of_a_programme(app: object) -> None:
    world = ReportWorld.new()
    o = outcomes.compute("Year mentoring", world.school.id, world.programme.id, NOW)
    assert (o.eligible, o.matched, o.unmatched) == (5, 3, 2)
    assert o.unmatched_by_reason == {
        "No mentor takes the student's grade": 1,
        "No mentor speaks a language the student speaks": 1,
    }
    assert o.matches == 3
    assert o.median_days == 200
    assert o.reaching == {"6 months": 0.667, "12 months": 0.333}
    assert o.meetings_by_month == {"2026-10": 1, "2026-11": 2}
    assert o.hours_given == 3.0
    assert (o.goals_set, o.goals_achieved) == (3, 1)
    assert (o.mentors, o.organisations) == (2, 1)
    assert (o.surveys_answered, o.satisfaction_mean) == (2, 4.5)
    assert o.satisfaction == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1}
    assert o.closures_by_reason == {"Moved away": 1}


def test_school_report_sums_its_programmes_and_nothing_else(app: object) -> None:
    world = ReportWorld.new()
    other = factories.make_school()
    factories.make_student(other)
    o = outcomes.compute(world.school.name, world.school.id, None, NOW)
    assert (o.eligible, o.matched, o.matches, o.goals_set) == (5, 3, 3, 3)


def test_page_draws_charts_with_readable_numbers(client: FlaskClient, auth: AuthActions) -> None:
    world = ReportWorld.new()
    auth.login_as(world.counselor)
    response = client.get(f"/reports/programmes/{world.programme.id}/outcomes")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("<svg") == 6
    assert '<text class="chart-value"' in page
    assert ">Matched</text>" in page
    assert "<script" not in page.split("<main", 1)[1]
    assert "css/print.css" in page
    assert "3 goals set, 1 achieved" in page
    assert "mean satisfaction 4.5 of 5" in page
    assert ">Moved away</text>" in page


def test_school_page_and_another_school(client: FlaskClient, auth: AuthActions) -> None:
    world = ReportWorld.new()
    other = factories.make_school()
    auth.login_as(world.counselor)
    assert client.get(f"/reports/schools/{world.school.id}/outcomes").status_code == 200
    assert client.get(f"/reports/schools/{other.id}/outcomes").status_code == 404


def test_command_line_json_and_csv(runner: FlaskCliRunner) -> None:
    world = ReportWorld.new()
    result = runner.invoke(args=["report", "outcomes", str(world.programme.id), "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["matched"] == 3
    assert figures["goals_achieved"] == 1
    result = runner.invoke(args=["report", "outcomes", str(world.programme.id), "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["section", "item", "value"]
    assert ["meetings_by_month", "2026-11", "2"] in rows
    assert ["eligible", "", "5"] in rows


def test_command_line_unknown_programme(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["report", "outcomes", "999"])
    assert result.exit_code != 0
    assert "no programme 999" in result.output
