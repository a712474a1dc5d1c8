"""``flask seed-demo``: expected counts, idempotent, reproducible, scales with --students."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask.testing import FlaskCliRunner
from sqlalchemy import func

from portal.auth.passwords import verify_password
from portal.demo import DEMO_PASSWORD, JOIN_CODE
from portal.extensions import db
from portal.models import (
    BackgroundCheck,
    ConsentStatus,
    MentorProfile,
    Organisation,
    Project,
    Role,
    School,
    StudentProfile,
    Tag,
    User,
    Verification,
    age_on,
)
from portal.signup.fields import birth_dates_for

MODELS: tuple[Any, ...] = (
    School,
    User,
    StudentProfile,
    MentorProfile,
    Organisation,
    Project,
    BackgroundCheck,
    Tag,
)


def _counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(db.select(func.count()).select_from(model)) or 0
        for model in MODELS
    }


def _by(column: Any) -> dict[Any, int]:
    rows = db.session.execute(db.select(column, func.count()).group_by(column)).all()
    return dict(rows)  # type: ignore[arg-type]


def test_seed_demo_creates_the_demo(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    counts = _counts()
    assert counts["School"] == 1 and counts["StudentProfile"] == 60
    assert counts["MentorProfile"] == 25 and counts["Organisation"] == 5
    assert 5 <= counts["Project"] <= 15
    assert counts["User"] == 2 + 60 + 25 + 5
    school = db.session.scalar(db.select(School))
    assert school is not None and (school.name, school.join_code) == (
        "Riverside High School",
        JOIN_CODE,
    )
    consent = _by(StudentProfile.consent_status)
    assert consent[ConsentStatus.NOT_NEEDED] == 2 and consent[ConsentStatus.AWAITING] == 5
    assert consent[ConsentStatus.GIVEN] == 53
    assert set(_by(StudentProfile.grade)) == {9, 10, 11, 12}
    assert _by(MentorProfile.verification)[Verification.PENDING] == 3
    assert "mentorbridge-demo" in result.output
    for role in ("admin", "counselor", "student", "mentor", "organisation"):
        assert f"\n{role} " in result.output


def test_demo_mentors_checks_and_variety(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["seed-demo"])
    today = dt.date.today()
    expiries = db.session.scalars(db.select(BackgroundCheck.expires_on)).all()
    assert sum(1 for e in expiries if e is not None and e < today) == 1  # one expired
    assert sum(1 for e in expiries if e is not None and today <= e <= today + dt.timedelta(30)) == 1
    pending = db.session.scalars(
        db.select(MentorProfile).where(MentorProfile.verification == Verification.PENDING)
    ).all()
    checked = set(db.session.scalars(db.select(BackgroundCheck.user_id)))
    assert not any(m.user_id in checked for m in pending)
    assert len(set(db.session.scalars(db.select(MentorProfile.capacity)))) >= 3
    assert len(set(db.session.scalars(db.select(MentorProfile.job_title)))) >= 6
    names = db.session.execute(db.select(StudentProfile.first_name, StudentProfile.last_name))
    assert len(set(names)) >= 50


def test_demo_logins_work_with_the_demo_password(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["seed-demo"])
    hashes = set(db.session.scalars(db.select(User.password_hash)))
    assert len(hashes) == 1
    [stored] = hashes
    assert verify_password(stored, DEMO_PASSWORD)
    counselor = db.session.scalar(db.select(User).where(User.role == Role.COUNSELOR))
    assert counselor is not None and [s.join_code for s in counselor.schools] == [JOIN_CODE]


def test_second_run_adds_nothing_and_prints_the_same_logins(runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["seed-demo"])
    before = _counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert _counts() == before
    assert "nothing added" in second.output
    logins = lambda output: output.split("Demo logins")[1]  # noqa: E731
    assert logins(first.output) == logins(second.output)


def test_students_option_scales(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["seed-demo", "--students", "200"])
    assert result.exit_code == 0, result.output
    counts = _counts()
    assert counts["StudentProfile"] == 200
    assert counts["MentorProfile"] == 200 // 3
    assert counts["Organisation"] == 200 // 12


def test_seed_is_reproducible(runner: FlaskCliRunner, app: Any, tmp_path: Any) -> None:
    from tests.conftest import make_app

    runner.invoke(args=["seed-demo"])
    first = db.session.execute(
        db.select(StudentProfile.first_name, StudentProfile.interests).order_by(StudentProfile.id)
    ).all()
    db.session.commit()  # the second app empties the tables (PostgreSQL): hold no lock
    (tmp_path / "again").mkdir()
    other = make_app(tmp_path / "again")
    with other.app_context():
        other.test_cli_runner().invoke(args=["seed-demo"])
        second = db.session.execute(
            db.select(StudentProfile.first_name, StudentProfile.interests).order_by(
                StudentProfile.id
            )
        ).all()
        db.session.remove()
        db.engine.dispose()
    assert first == second


def test_bad_students_option_is_refused(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["seed-demo", "--students", "zero"])
    assert result.exit_code != 0
    assert _counts()["StudentProfile"] == 0


def test_demo_has_a_programme_ready_for_matching(runner: FlaskCliRunner) -> None:
    from portal.demo_year import YEAR_PROGRAMME
    from portal.models import Programme

    runner.invoke(args=["seed-demo"])
    # Beside the year in progress (seed_year_matches), one programme awaits its first run.
    programmes = db.session.scalars(
        db.select(Programme).where(Programme.name != YEAR_PROGRAMME)
    ).all()
    assert len(programmes) == 1
    assert programmes[0].starts_on < programmes[0].ends_on
    assert programmes[0].meeting_info


def test_demo_students_have_dates_of_birth_that_fit_grade_and_minor_status(
    runner: FlaskCliRunner,
) -> None:
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    today = dt.date.today()
    for student in db.session.scalars(db.select(StudentProfile)):
        assert student.date_of_birth is not None
        earliest, latest = birth_dates_for(student.grade, today)
        assert earliest <= student.date_of_birth <= latest
        assert student.is_minor == (age_on(student.date_of_birth, today) < 18)


def test_seed_demo_adds_a_year_in_progress(runner: FlaskCliRunner, app: Any) -> None:
    from portal.demo_year import YEAR_PROGRAMME
    from portal.models import CheckIn, Goal, Match, MentorTraining, Programme
    from portal.relationships.milestones import milestones

    result = runner.invoke(args=["seed-demo"])
    assert "year in progress added" in result.output
    programme = db.session.scalar(db.select(Programme).where(Programme.name == YEAR_PROGRAMME))
    assert programme is not None and programme.requires_training and programme.goal_templates
    matches = db.session.scalars(
        db.select(Match).where(Match.programme_id == programme.id).order_by(Match.id)
    ).all()
    assert len(matches) == 8 and all(m.last_meeting_on for m in matches[:-1])
    today = dt.date.today()
    reached = {
        m.kind for match in matches for m in milestones(match.started_at.date(), None, [], today)
    }
    assert {"months_3", "months_6"} <= reached
    confirmed = db.session.scalars(db.select(CheckIn.confirmed_at)).all()
    assert any(confirmed) and not all(confirmed)
    assert "achieved" in set(db.session.scalars(db.select(Goal.status)))
    trained = set(db.session.scalars(db.select(MentorTraining.user_id)))
    mentors = set(db.session.scalars(db.select(MentorProfile.user_id)))
    assert trained and mentors - trained  # some mentors still await training
    assert any(m.not_a_good_fit for m in matches)
    before = _counts(), db.session.scalar(db.select(func.count(Match.id)))
    runner.invoke(args=["seed-demo"])
    assert (_counts(), db.session.scalar(db.select(func.count(Match.id)))) == before
    logins = dict(line.split() for line in result.output.split("email\n")[1].splitlines() if line)
    client = app.test_client()
    client.post("/login", data={"email": logins["mentor"], "password": DEMO_PASSWORD})
    assert "6 months together" in client.get("/mentor").get_data(as_text=True)


def test_demo_has_support_contacts_and_closed_matches_with_surveys(runner: FlaskCliRunner) -> None:
    from portal.models import ExitSurvey, Match, MatchStatus, SupportContact

    runner.invoke(args=["seed-demo", "--students", "40"])
    assert db.session.scalar(db.select(func.count(SupportContact.id))) >= 5
    ended = db.session.scalars(db.select(Match).where(Match.status == MatchStatus.ENDED)).all()
    assert len(ended) == 2 and all(m.closure_reason for m in ended)
    answered = db.session.scalars(db.select(ExitSurvey).where(ExitSurvey.answered_at.is_not(None)))
    assert len(answered.all()) == 2
    due = db.session.scalars(db.select(Match).where(Match.support_due_on <= dt.date.today()))
    assert due.all()  # the relationships page has something under "support due"
