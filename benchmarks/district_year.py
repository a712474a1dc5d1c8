"""The district's year of relationships for the load benchmark (``district.py`` calls it).

Each school has a programme year two-thirds gone (240 days behind, 125 ahead, whatever the
calendar date, so "quiet" and "last meeting" filters mean something). Its matches (mentor
and project, mostly active, some paused, some ended with a closure and exit surveys) began
mostly in the first six weeks; meetings follow each pair's agreed rhythm up to its last
meeting (recent for most, weeks ago for the quiet ones, none for a few), most confirmed.
Summary columns are kept as the services keep them: ``Match.last_meeting_on`` (latest
meeting), ``last_support_on`` and ``support_due_on`` (``support.next_due``). Then the
worker's daily expiry job pauses the matches of expired checks, and a real matching run
(``runs.start_run`` + ``runs.execute_run``) of the benchmark school's spring programme
leaves a finished run with its proposals.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from benchmarks import district_picks as picks
from benchmarks import district_records as records
from benchmarks.district import SchoolRows, Sizes, bulk
from portal.extensions import db
from portal.models import (
    CheckIn,
    Goal,
    Match,
    MatchStatus,
    Programme,
    ProgrammeKind,
    Proposal,
    SupportContact,
)
from portal.programmes import matcher, runs
from portal.relationships import closure, support
from portal.safeguarding import checks

RHYTHM = {"weekly": 7, "fortnightly": 14, "monthly": 30}
# Every match row has every key (one executemany needs the same columns in each row).
OPTIONAL: dict[str, Any] = dict.fromkeys(
    [
        "ended_at",
        "meets_every",
        "first_meeting_on",
        "agreed_at",
        "agreed_by_id",
        "last_meeting_on",
        "student_fit",
        "mentor_fit",
        "last_support_on",
        "support_due_on",
    ]
) | {
    "closure_reason": "",
    "end_reason": "",
    "closing_note": "",
    "continues_next_year": False,
    "pause_reason": "",
}


@dataclass
class Pair:
    """One match being planned, with what its meetings and contacts need."""

    row: dict[str, Any]
    author_id: int
    student_user_id: int
    partner_user_id: int
    meet_from: dt.date | None = None
    meet_until: dt.date | None = None
    cadence: int = 14
    meetings: list[dt.date] = field(default_factory=list)
    contacts: list[dt.date] = field(default_factory=list)
    id: int = 0


def _programme(school: SchoolRows, name: str, starts: dt.date, ends: dt.date) -> Programme:
    programme = Programme(
        school_id=school.school_id,
        name=name,
        kind=ProgrammeKind.BOTH,
        starts_on=starts,
        ends_on=ends,
        weights=matcher.default_weights(),
        goal_templates=records.GOALS,
        created_by_id=school.counselor_ids[0],
        meeting_info="Tuesdays after school.",
    )
    db.session.add(programme)
    db.session.flush()
    return programme


def _slots(rng: random.Random, partners: list[Any], kind: str) -> list[tuple[int, int]]:
    """(partner id, partner's user id) once per place of capacity, shuffled."""
    slots = [(p[0], p[1]) for p in partners for _ in range(p[2])]
    rng.shuffle(slots)
    return slots


def _start(rng: random.Random, begin: dt.date, today: dt.date) -> dt.date:
    late = (today - begin).days - 10
    return begin + dt.timedelta(
        days=rng.randint(0, 45) if rng.random() < 0.7 else rng.randint(45, late)
    )


def _pair(rng: random.Random, programme: Programme, kind: str, student: Any, partner: Any) -> Pair:
    today = dt.date.today()
    started = _start(rng, programme.starts_on, today)
    roll = rng.random()
    status = (
        MatchStatus.ENDED
        if roll < 0.08 and started < today - dt.timedelta(days=40)
        else (MatchStatus.PAUSED if roll < 0.12 else MatchStatus.ACTIVE)
    )
    row: dict[str, Any] = {
        **OPTIONAL,
        "programme_id": programme.id,
        "student_id": student[0],
        "kind": kind,
        "status": status,
        "mentor_id": partner[0] if kind == "mentor" else None,
        "project_id": partner[0] if kind == "project" else None,
        "score": round(rng.uniform(0.3, 0.95), 3),
        "approved_by_id": programme.created_by_id,
        "started_at": records.at(started, 15),
    }
    pair = Pair(row, partner[1], student[1], partner[1])
    if status == MatchStatus.ENDED:
        _end(rng, row, started, today)
    if status == MatchStatus.PAUSED:
        row["pause_reason"] = "Paused by the school during exams"
    if status == MatchStatus.ENDED or rng.random() < 0.92:
        _agree(rng, pair, started, today)
    return pair


def _end(rng: random.Random, row: dict[str, Any], started: dt.date, today: dt.date) -> None:
    ended = started + dt.timedelta(days=rng.randint(30, (today - started).days - 1))
    reason = rng.choice(list(closure.REASONS))
    row.update(
        ended_at=records.at(ended),
        closure_reason=reason,
        end_reason=str(closure.REASONS[reason]),
        closing_note="Closed with both sides.",
        continues_next_year=reason == "completed",
    )


def _agree(rng: random.Random, pair: Pair, started: dt.date, today: dt.date) -> None:
    """The agreement, and when the pair's meetings begin and stop."""
    every = rng.choices(list(RHYTHM), [25, 55, 20])[0]
    first = started + dt.timedelta(days=7)
    pair.row.update(
        meets_every=every,
        first_meeting_on=first,
        agreed_at=records.at(started),
        agreed_by_id=pair.row["approved_by_id"],
    )
    pair.cadence = RHYTHM[every]
    roll = rng.random()
    if pair.row["status"] == MatchStatus.ENDED:
        until = pair.row["ended_at"].date() - dt.timedelta(days=rng.randint(0, 14))
    elif pair.row["status"] == MatchStatus.PAUSED:
        until = today - dt.timedelta(days=rng.randint(20, 60))
    elif roll < 0.80:  # meeting regularly
        until = today - dt.timedelta(days=rng.randint(0, min(pair.cadence, 21)))
    elif roll < 0.94:  # gone quiet
        until = today - dt.timedelta(days=rng.randint(35, 90))
    else:  # never met
        return
    if until >= first:
        pair.meet_from, pair.meet_until = first, until


def _schedule_meetings(rng: random.Random, pairs: list[Pair], target: int) -> None:
    """Spread about ``target`` meetings over the pairs, in proportion to rhythm and span."""
    weights = [
        ((p.meet_until - p.meet_from).days / p.cadence + 1) if p.meet_from and p.meet_until else 0
        for p in pairs
    ]
    scale = target / max(1.0, sum(weights))
    for pair, weight in zip(pairs, weights, strict=True):
        if not weight or pair.meet_from is None or pair.meet_until is None:
            continue
        n = max(1, round(weight * scale))
        span = (pair.meet_until - pair.meet_from).days
        pair.meetings = [
            pair.meet_from + dt.timedelta(days=round(j * span / max(1, n - 1))) for j in range(n)
        ]
        pair.row["last_meeting_on"] = pair.meetings[-1]
        fit = rng.choices(["good", "deciding", "not_good", None], [85, 8, 4, 3])[0]
        pair.row.update(student_fit=fit, mentor_fit=fit and "good")


def _match_pairs(
    rng: random.Random, school: SchoolRows, programme: Programme, count: int
) -> list[Pair]:
    students = list(school.students)
    rng.shuffle(students)
    mentor_slots = _slots(rng, school.mentors, "mentor")
    project_slots = _slots(rng, school.projects, "project")
    n_mentor = min(round(count * 0.72), len(students), len(mentor_slots))
    n_project = min(count - n_mentor, len(students), len(project_slots))
    pairs = [
        _pair(rng, programme, "mentor", s, p)
        for s, p in zip(students[:n_mentor], mentor_slots, strict=False)
    ]
    pairs += [
        _pair(rng, programme, "project", s, p)
        for s, p in zip(rng.sample(students, n_project), project_slots, strict=False)
    ]
    return pairs


def _plan_support(rng: random.Random, pair: Pair, programme: Programme) -> None:
    """Contacts about monthly from the second week; 15 % of pairs have lapsed."""
    today, started = dt.date.today(), pair.row["started_at"].date()
    until = today if rng.random() < 0.85 else today - dt.timedelta(days=rng.randint(40, 90))
    if pair.row["status"] == MatchStatus.ENDED:
        until = pair.row["ended_at"].date()
    pair.contacts = [
        started + dt.timedelta(days=d) for d in range(14, (until - started).days + 1, 30)
    ]
    last = pair.contacts[-1] if pair.contacts else None
    ended = pair.row["status"] == MatchStatus.ENDED
    pair.row.update(
        last_support_on=last,
        support_due_on=None if ended else support.next_due(programme, started, last),
    )


def _school_year(rng: random.Random, school: SchoolRows, sizes: Sizes, n: int) -> list[Pair]:
    """One school's programme year: matches, meetings, contacts, goals and the rest."""
    today = dt.date.today()
    begin, end = today - dt.timedelta(days=240), today + dt.timedelta(days=125)
    programme = _programme(school, f"Mentoring year, school {n}", begin, end)
    pairs = _match_pairs(rng, school, programme, sizes.matches // sizes.schools)
    _schedule_meetings(rng, pairs, sizes.meetings // sizes.schools)
    for pair in pairs:
        _plan_support(rng, pair, programme)
    for pair, match_id in zip(pairs, bulk(Match, [p.row for p in pairs]), strict=True):
        pair.id = match_id
    records.plain(CheckIn, records.meeting_rows(pairs))
    records.plain(SupportContact, records.contact_rows(rng, pairs, school.counselor_ids[0]))
    records.plain(Goal, [goal for pair in pairs for goal in records.goal_rows(rng, pair)])
    records.surveys(rng, pairs)
    records.concerns(rng, school, pairs, 25)
    records.trainings(school, pairs)
    records.class_import(school, sizes.per_school)
    records.audit_events(rng, school, pairs)
    return pairs


def seed_year(rng: random.Random, schools: list[SchoolRows], sizes: Sizes) -> dict[str, Any]:
    """Every school's year, the daily expiry job, and the finished run; commits."""
    years = [_school_year(rng, school, sizes, n + 1) for n, school in enumerate(schools)]
    db.session.commit()
    checks.pause_expired(dt.date.today())  # what the worker's daily job has done by now
    picked = picks.pick(schools[0], years[0])
    picked["ids"].update(finished_run(schools[0]))
    return picked


def finished_run(school: SchoolRows) -> dict[str, Any]:
    """A real matching run of the school's spring programme (the run service, in process)."""
    today = dt.date.today()
    programme = _programme(school, "Spring intake", today, today + dt.timedelta(days=125))
    db.session.commit()
    run = runs.start_run(None, programme)
    status = runs.execute_run(run.id)
    proposal = db.session.scalar(
        db.select(Proposal.id).where(Proposal.run_id == run.id).order_by(Proposal.id).limit(1)
    )
    return {"run_id": run.id, "run_status": str(status), "proposal_id": proposal}
