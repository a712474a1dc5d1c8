"""Builders for programme tests: a school with a counselor, a programme, a finished run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from portal.extensions import db
from portal.models import (
    MatchRun,
    Programme,
    ProgrammeKind,
    Proposal,
    RunStatus,
    School,
    StudentProfile,
    User,
)
from portal.programmes import runs
from tests import factories


def make_programme(school: School, **fields: Any) -> Programme:
    today = dt.date.today()
    values: dict[str, Any] = {
        "name": "Autumn mentoring",
        "kind": ProgrammeKind.MENTORING,
        "starts_on": today,
        "ends_on": today + dt.timedelta(days=120),
        "weights": {},
        "min_score": 0.1,
        "meeting_info": "Tuesdays 3-4 pm in the library",
    }
    values.update(fields)
    programme = Programme(school_id=school.id, **values)
    db.session.add(programme)
    db.session.commit()
    return programme


@dataclass
class World:
    """A school, its counselor, a programme and some profiles."""

    school: School
    counselor: User
    programme: Programme


def make_world(**programme_fields: Any) -> World:
    school = factories.make_school()
    counselor = factories.make_counselor(school)
    return World(school, counselor, make_programme(school, **programme_fields))


def run_now(programme: Programme, actor: User | None = None) -> MatchRun:
    """Start and execute a run in this thread; return it refreshed."""
    run = runs.start_run(actor, programme)
    runs.execute_run(run.id)
    db.session.expire_all()
    found = db.session.get(MatchRun, run.id)
    assert found is not None
    return found


def proposals_of(run: MatchRun) -> list[Proposal]:
    return list(
        db.session.scalars(
            db.select(Proposal).where(Proposal.run_id == run.id).order_by(Proposal.id)
        )
    )


def make_proposal(run: MatchRun, student: StudentProfile, **fields: Any) -> Proposal:
    proposal = Proposal(
        run_id=run.id, student_id=student.id, score=fields.pop("score", 0.7), **fields
    )
    db.session.add(proposal)
    db.session.commit()
    return proposal


def make_finished_run(programme: Programme) -> MatchRun:
    run = MatchRun(programme_id=programme.id, status=RunStatus.SUCCEEDED, progress=100)
    db.session.add(run)
    db.session.commit()
    return run
