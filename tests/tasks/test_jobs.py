"""The queue per app, and the periodic jobs the workers' scheduler runs (no cron)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from flask import Flask
from huey import RedisHuey, SqliteHuey

from portal import create_app, tasks
from portal.config import ConfigError
from portal.extensions import db
from portal.models import (
    BackgroundCheck,
    CheckIn,
    MatchRun,
    MatchStatus,
    OutboxMessage,
    Programme,
    RunStatus,
    utcnow,
)
from portal.relationships import digest
from tests import factories
from tests.conftest import instance_in
from tests.factories import make_check_in, make_match, make_programme


def _job(app: Flask, name: str) -> object:
    db.session.commit()  # the job runs in its own app context: hold no SQLite lock
    return app.extensions["huey_tasks"][name].call_local()


def _app(tmp_path: Path, **config: object) -> Flask:
    config = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x" * 40, **config}
    return create_app(config, instance_path=instance_in(tmp_path))


def test_each_app_builds_its_queue_from_its_own_config(tmp_path: Path) -> None:
    default = _app(tmp_path)
    assert isinstance(default.extensions["huey"], SqliteHuey)
    assert default.extensions["huey"].storage.filename.endswith("instance/tasks.sqlite3")
    redis = _app(tmp_path, TASK_QUEUE_URL="redis://127.0.0.1:1/0")
    assert isinstance(redis.extensions["huey"], RedisHuey)
    assert default.extensions["huey"] is not redis.extensions["huey"]
    with pytest.raises(ConfigError):
        _app(tmp_path, TASK_QUEUE_URL="amqp://broker")


def test_the_periodic_jobs_are_on_the_schedule(app: Flask) -> None:
    periodic = {t.__name__ for t in app.extensions["huey"]._registry._periodic_tasks}
    assert periodic == {
        "sweep_outbox",
        "fail_stale_runs",
        "refresh_outcome_summaries",
        "check_expiry",
        "retention_purge",
        "weekly_digest",
        "exit_survey_reminders",
    }
    weekly = tasks.JOBS["weekly_digest"].when
    assert weekly is not None
    assert weekly(dt.datetime(2026, 11, 30, 6, 30)) and not weekly(dt.datetime(2026, 12, 1, 6, 30))


def test_a_stale_run_is_failed_by_the_periodic_job(app: Flask) -> None:
    programme = make_programme(factories.make_school())
    run = MatchRun(
        programme_id=programme.id,
        status=RunStatus.RUNNING,
        heartbeat_at=utcnow() - dt.timedelta(minutes=10),
    )
    db.session.add(run)
    db.session.commit()
    assert _job(app, "fail_stale_runs") == 1
    db.session.refresh(run)
    assert run.status == RunStatus.FAILED


def test_the_daily_check_expiry_pauses_matches_of_expired_checks(app: Flask) -> None:
    school = factories.make_school()
    mentor = factories.make_mentor(school)
    for check in db.session.scalars(
        db.select(BackgroundCheck).where(BackgroundCheck.user_id == mentor.user_id)
    ):
        check.expires_on = dt.date.today() - dt.timedelta(days=1)
    match = make_match(factories.make_student(school), mentor)
    assert _job(app, "check_expiry") == 1
    db.session.refresh(match)
    assert match.status == MatchStatus.PAUSED
    assert _job(app, "check_expiry") is None  # once a day, however many schedulers ran it


def test_the_daily_purge_logs_its_report_and_purges(app: Flask, caplog) -> None:
    school = factories.make_school()
    today = dt.date.today()
    old = make_programme(
        school,
        starts_on=today - dt.timedelta(days=800),
        ends_on=today - dt.timedelta(days=400),
    )
    mentor = factories.make_mentor(school)
    make_check_in(make_match(factories.make_student(school), mentor, programme=old), mentor.user_id)
    with caplog.at_level(logging.INFO, logger="portal.jobs"):
        assert _job(app, "retention_purge") == 1
    assert f"would purge programme #{old.id}" in caplog.text
    assert f"purged programme #{old.id}" in caplog.text
    assert db.session.get(Programme, old.id).purged_at is not None
    assert db.session.scalar(db.select(CheckIn.note)) == ""


def _quiet_world() -> tuple[object, object]:
    school = factories.make_school()
    counselor = factories.make_counselor(school)
    mentor = factories.make_mentor(school, first_name="Grace")
    student = factories.make_student(school, first_name="Ada")
    match = make_match(student, mentor)
    match.started_at = utcnow() - dt.timedelta(weeks=8)
    db.session.commit()
    return counselor, match


def test_the_weekly_digest_lists_quiet_relationships_once_a_week(app: Flask) -> None:
    counselor, match = _quiet_world()
    elsewhere = factories.make_counselor(factories.make_school())  # nothing quiet: no email
    sent_count = _job(app, "weekly_digest")
    sent = db.session.scalars(db.select(OutboxMessage)).all()
    assert counselor.email in [m.to for m in sent]
    assert elsewhere.email not in [m.to for m in sent]
    assert sent_count == len(sent)
    body = next(m.body for m in sent if m.to == counselor.email)
    assert "Quiet relationships (no meeting logged lately): 1" in body
    assert "Ada with Grace: no meeting logged yet" in body
    assert f"http://localhost/matches/{match.id}" in body
    assert _job(app, "weekly_digest") is None  # the second scheduler this week sends nothing


def test_digest_sections_is_the_one_place_to_add_a_section(app: Flask) -> None:
    counselor, _match = _quiet_world()
    sections = digest.digest_sections(counselor, dt.date.today())
    assert [(s.title, s.total) for s in sections] == [
        ("Quiet relationships (no meeting logged lately)", 1)
    ]
    assert digest.digest_sections(factories.make_counselor(), dt.date.today()) == []


def test_the_digest_lists_support_contacts_due(app: Flask) -> None:
    counselor, match = _quiet_world()
    match.support_due_on = dt.date.today() - dt.timedelta(days=3)
    db.session.commit()
    sections = digest.digest_sections(counselor, dt.date.today())
    support = next(s for s in sections if s.title == "Support contacts due")
    assert support.total == 1
    assert f"Ada with Grace: support contact due since {match.support_due_on}" in support.lines[0]
    other = factories.make_counselor(factories.make_school())
    assert digest.digest_sections(other, dt.date.today()) == []


def test_exit_survey_reminders_run_daily_once_per_survey(app: Flask) -> None:
    from portal.models import ExitSurvey

    _counselor, match = _quiet_world()
    survey = ExitSurvey(match_id=match.id, respondent="student", user_id=match.student.user_id)
    survey.sent_at = utcnow() - dt.timedelta(days=8)
    db.session.add(survey)
    db.session.commit()
    assert _job(app, "exit_survey_reminders") == 1
    assert db.session.get(ExitSurvey, survey.id).reminded_at is not None
    assert _job(app, "exit_survey_reminders") is None  # once a day, whatever the workers
