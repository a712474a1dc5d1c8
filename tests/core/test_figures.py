"""The counts kept per school (portal.figures) always equal a count of the rows.

Each kind of change a writer makes (a new row, a changed state, a school change, an ORM bulk
update or insert, an erasure, a rollback) is followed by the same check: the figures kept
equal the figures counted from the rows, and ``flask figures check`` agrees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import insert, select, update

from portal import figures, kept_columns
from portal.counselor import services as counselor_services
from portal.extensions import db
from portal.models import (
    NO_EXPIRY,
    BackgroundCheck,
    CheckIn,
    CheckInKind,
    ConcernStatus,
    ConsentStatus,
    Match,
    MatchStatus,
    MentorProfile,
    SchoolFigure,
    StudentProfile,
    Verification,
    utcnow,
)
from portal.safeguarding import concerns, rights
from portal.safeguarding import services as consent_services
from tests import factories
from tests.safeguarding.builders import make_check_in, make_match

Step = Callable[[dict[str, object]], object]


def _equal_to_rows() -> None:
    assert figures.kept() == figures.counted(figures.GROUPS, None)
    assert kept_columns.expiry_drift() == []
    assert kept_columns.first_met_drift() == []
    assert kept_columns.match_school_drift() == []


@pytest.fixture
def world(app: Flask) -> dict[str, object]:
    school, other = factories.make_school(), factories.make_school()
    student = factories.make_student(school, consent_status=ConsentStatus.AWAITING)
    mentor = factories.make_mentor(school)
    counselor = factories.make_counselor(school)
    match = make_match(student, mentor)
    concern = concerns.report_concern(student.user, school.id, match, "other", "A note.")
    return {
        "school": school,
        "other": other,
        "student": student,
        "mentor": mentor,
        "counselor": counselor,
        "match": match,
        "concern": concern,
    }


def _consent_given(w: dict[str, object]) -> object:
    return consent_services.record_paper_consent(w["counselor"], w["student"], True, "G. Parent")  # type: ignore[arg-type]


def _partner_declined(w: dict[str, object]) -> object:
    return counselor_services.decline_partner(w["counselor"], w["mentor"], "No.")  # type: ignore[arg-type]


def _new_pending_partner(w: dict[str, object]) -> object:
    return factories.make_organisation(w["school"], verified=False)  # type: ignore[arg-type]


def _concern_resolved(w: dict[str, object]) -> object:
    return concerns.act_on_concern(w["counselor"], w["concern"], "resolve", "Done.")  # type: ignore[arg-type]


def _moved_school(w: dict[str, object]) -> None:
    student: StudentProfile = w["student"]  # type: ignore[assignment]
    student.school_id = w["other"].id  # type: ignore[attr-defined]
    db.session.commit()


def _bulk_update(_w: dict[str, object]) -> None:
    db.session.execute(update(Match).values(status=MatchStatus.PAUSED))
    db.session.commit()


def _bulk_insert(w: dict[str, object]) -> None:
    users = [factories.make_user() for _ in range(3)]
    school_id = w["school"].id  # type: ignore[attr-defined]
    names = {"first_name": "B", "last_name": "U", "grade": 9}
    rows = [{"user_id": u.id, "school_id": school_id, **names} for u in users]
    db.session.execute(insert(StudentProfile), rows)
    db.session.commit()


def _erased(w: dict[str, object]) -> object:
    return rights.erase_student(w["counselor"], w["student"])  # type: ignore[arg-type]


def _check_recorded(w: dict[str, object]) -> None:
    factories.make_check(w["mentor"].user, w["counselor"], expires_in_days=900)  # type: ignore[attr-defined]


def _check_failed(w: dict[str, object]) -> None:
    for check in db.session.scalars(select(BackgroundCheck)):
        check.passed = False
    db.session.commit()


def _check_without_expiry(w: dict[str, object]) -> None:
    check = db.session.scalars(select(BackgroundCheck)).first()
    assert check is not None
    check.expires_on = None
    db.session.commit()


def _deleted(w: dict[str, object]) -> None:
    db.session.delete(w["concern"])
    db.session.commit()


STEPS: dict[str, Step] = {
    "consent given": _consent_given,
    "partner declined (its matches paused)": _partner_declined,
    "new pending partner": _new_pending_partner,
    "concern resolved": _concern_resolved,
    "student moved to another school": _moved_school,
    "bulk update of matches": _bulk_update,
    "bulk insert of students": _bulk_insert,
    "student erased (matches ended in bulk)": _erased,
    "row deleted": _deleted,
}
EXPIRY_STEPS: dict[str, Step] = {
    "check recorded": _check_recorded,
    "checks failed": _check_failed,
    "check without expiry": _check_without_expiry,
}


def test_the_figures_start_equal_to_the_rows(world: dict[str, object]) -> None:
    _equal_to_rows()
    school_id = world["school"].id  # type: ignore[attr-defined]
    seen = figures.of({school_id})
    assert seen["students:awaiting:minor"] == 1
    assert seen["partners:mentor:verified"] == 1
    assert seen["concerns:open"] == 1
    assert seen["matches:active"] == 1
    assert figures.of(set()) == {}


@pytest.mark.parametrize("step", STEPS.values(), ids=list(STEPS))
def test_the_figures_stay_equal_to_the_rows_after_each_change(
    world: dict[str, object], step: Step
) -> None:
    before = figures.kept()
    step(world)
    db.session.expire_all()
    assert figures.kept() != before  # the step changed a figure...
    _equal_to_rows()  # ...and the kept one is right


@pytest.mark.parametrize("step", EXPIRY_STEPS.values(), ids=list(EXPIRY_STEPS))
def test_the_best_check_expiry_is_kept_after_each_change(
    world: dict[str, object], step: Step
) -> None:
    mentor: MentorProfile = world["mentor"]  # type: ignore[assignment]
    before = mentor.best_check_expires_on
    assert before is not None
    step(world)
    db.session.expire_all()
    assert mentor.best_check_expires_on != before
    _equal_to_rows()


def test_a_check_that_never_expires_is_kept_as_no_expiry(world: dict[str, object]) -> None:
    _check_without_expiry(world)
    assert world["mentor"].best_check_expires_on == NO_EXPIRY  # type: ignore[attr-defined]


def test_the_first_confirmed_meeting_is_kept_on_the_match(world: dict[str, object]) -> None:
    match: Match = world["match"]  # type: ignore[assignment]
    mentor_user = world["mentor"].user  # type: ignore[attr-defined]
    meeting = make_check_in(match, mentor_user.id)
    meeting.kind, meeting.met_on = CheckInKind.MEETING, dt.date(2026, 3, 2)
    db.session.commit()
    assert match.first_met_on is None  # not confirmed yet
    meeting.confirmed_at = utcnow()
    db.session.commit()
    assert match.first_met_on == dt.date(2026, 3, 2)
    db.session.execute(update(CheckIn).values(met_on=dt.date(2026, 2, 1)))  # a bulk change
    db.session.commit()
    db.session.refresh(match)
    assert match.first_met_on == dt.date(2026, 2, 1)
    db.session.delete(meeting)
    db.session.commit()
    assert match.first_met_on is None
    _equal_to_rows()


def test_a_rollback_keeps_nothing(world: dict[str, object]) -> None:
    before = figures.kept()
    world["concern"].status = ConcernStatus.RESOLVED  # type: ignore[attr-defined]
    db.session.flush()
    db.session.rollback()
    factories.make_school()  # a later commit recounts nothing it should not
    assert figures.kept() == before
    _equal_to_rows()


def test_recount_rebuilds_figures_from_the_rows(world: dict[str, object]) -> None:
    db.session.execute(
        update(SchoolFigure).values(value=99).execution_options(synchronize_session=False)
    )
    db.session.execute(SchoolFigure.__table__.delete().where(SchoolFigure.name == "concerns:open"))
    db.session.commit()
    assert figures.kept() != figures.counted(figures.GROUPS, None)
    assert figures.recount() == len(figures.counted(figures.GROUPS, None))
    _equal_to_rows()


def test_the_commands_recount_and_check(app: Flask, world: dict[str, object]) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["figures", "check"]).exit_code == 0
    db.session.execute(update(SchoolFigure).values(value=7))
    db.session.commit()
    broken = runner.invoke(args=["figures", "check"])
    assert broken.exit_code == 1 and "kept 7" in broken.output
    db.session.execute(update(MentorProfile).values(best_check_expires_on=None))
    db.session.commit()
    assert "best check expiry differs" in runner.invoke(args=["figures", "check"]).output
    assert "figure(s) kept" in runner.invoke(args=["figures", "recount"]).output
    assert runner.invoke(args=["figures", "check"]).exit_code == 0


def test_verification_figures_follow_approval(world: dict[str, object]) -> None:
    mentor = factories.make_mentor(world["school"], verified=False)  # type: ignore[arg-type]
    factories.make_check(mentor.user, world["counselor"])  # type: ignore[arg-type]
    school_id = world["school"].id  # type: ignore[attr-defined]
    assert figures.of({school_id})["partners:mentor:pending"] == 1
    counselor_services.approve_partner(world["counselor"], mentor)  # type: ignore[arg-type]
    assert figures.of({school_id})["partners:mentor:pending"] == 0
    assert mentor.verification == Verification.VERIFIED
    _equal_to_rows()
