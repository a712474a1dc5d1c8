"""Outcome reports as of a recent time: kept figures shown with their time, recomputed when old."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import Goal, OutcomeSummary
from portal.reports import summaries
from tests.conftest import AuthActions
from tests.reports.world import ReportWorld


def _goals_line(client: FlaskClient, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    assert "Figures as of" in page
    return next(line for line in page.splitlines() if "goals set" in line)


def _add_goal(world: ReportWorld) -> None:
    db.session.add(Goal(match_id=world.matches[0].id, text="Read a book", status="achieved"))
    db.session.commit()


def test_report_shows_kept_figures_until_they_are_too_old(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    app.config["OUTCOME_REPORT_MAX_AGE"] = 600
    world = ReportWorld.new()
    auth.login_as(world.counselor)
    url = f"/reports/programmes/{world.programme.id}/outcomes"
    assert "3 goals set, 1 achieved" in _goals_line(client, url)
    kept = db.session.get(OutcomeSummary, f"programme:{world.programme.id}")
    assert kept is not None and kept.school_id == world.school.id
    _add_goal(world)
    assert "3 goals set, 1 achieved" in _goals_line(client, url)  # as of the kept time
    kept.computed_at -= dt.timedelta(seconds=601)
    db.session.commit()
    assert "4 goals set, 2 achieved" in _goals_line(client, url)


def test_school_report_is_kept_apart_and_shows_the_current_title(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    app.config["OUTCOME_REPORT_MAX_AGE"] = 600
    world = ReportWorld.new()
    auth.login_as(world.counselor)
    client.get(f"/reports/schools/{world.school.id}/outcomes")
    assert db.session.get(OutcomeSummary, f"school:{world.school.id}") is not None
    world.programme.name = "Renamed mentoring"
    db.session.commit()
    page = client.get(f"/reports/programmes/{world.programme.id}/outcomes").get_data(as_text=True)
    assert "Renamed mentoring" in page


def test_periodic_refresh_recomputes_only_the_old_summaries(app: Flask) -> None:
    app.config["OUTCOME_REPORT_MAX_AGE"] = 600
    world = ReportWorld.new()
    now = dt.datetime.now(dt.UTC)
    summaries.refresh_summary("", world.school.id, world.programme.id, now)
    summaries.refresh_summary("", world.school.id, None, now - dt.timedelta(seconds=400))
    _add_goal(world)
    assert summaries.refresh_old_summaries(now) == 1
    school = db.session.get(OutcomeSummary, f"school:{world.school.id}")
    programme = db.session.get(OutcomeSummary, f"programme:{world.programme.id}")
    assert school is not None and school.figures["goals_set"] == 4
    assert school.computed_at == now
    assert programme is not None and programme.figures["goals_set"] == 3


def test_no_max_age_computes_every_request_and_keeps_nothing(
    client: FlaskClient, auth: AuthActions
) -> None:
    world = ReportWorld.new()
    auth.login_as(world.counselor)
    url = f"/reports/programmes/{world.programme.id}/outcomes"
    assert "3 goals set, 1 achieved" in _goals_line(client, url)
    _add_goal(world)
    assert "4 goals set, 2 achieved" in _goals_line(client, url)
    assert db.session.scalar(db.select(db.func.count()).select_from(OutcomeSummary)) == 0
