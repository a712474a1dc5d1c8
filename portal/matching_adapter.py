"""The one adapter between the database and the pure matcher (``matching.solve``).

:func:`build_snapshot` reads the eligible profiles of a programme and freezes them into
contract instances (one per side: mentors, projects; ids like ``s12``/``m3``/``p7``).
:func:`solve_snapshot` runs the matcher and turns its result back into database ids.
Nothing here writes to the database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import matching
from portal.extensions import db
from portal.models import (
    Match,
    MatchStatus,
    MentorProfile,
    Organisation,
    PairRule,
    PairRuleKind,
    Programme,
    ProgrammeKind,
    Project,
    StudentProfile,
    Verification,
)
from portal.programmes import eligibility

PREFIX = {"student": "s", "mentor": "m", "project": "p"}
SIDES = {
    ProgrammeKind.MENTORING: ("mentor",),
    ProgrammeKind.PROJECTS: ("project",),
    ProgrammeKind.BOTH: ("mentor", "project"),
}
HISTOGRAM_BINS = 10
# What a proposal keeps of both profiles as scored (`Proposal.basis`), for its explanation.
BASIS_FIELDS = frozenset(
    {"grade", "grades", "interests", "goals", "expertise", "skills", "availability"}
    | {"modality", "languages", "area"}
)
# The "would fit" hint scores unmatched students against pending partners densely: bound it.
MAX_HINT_CELLS = 2_000_000
_PIN_PATH = re.compile(r"^pinned\[(\d+)\]")


@dataclass
class Snapshot:
    """The frozen input of one run: one contract instance per side, and what it left out."""

    programme_id: int
    as_of: dt.date
    instances: dict[str, dict[str, Any]] = field(default_factory=dict)
    pending: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)


@dataclass
class Solved:
    """The matcher's result in database ids, ready to be stored."""

    proposals: list[dict[str, Any]] = field(default_factory=list)
    unmatched: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    skipped_pins: list[str] = field(default_factory=list)


def key(kind: str, ident: int) -> str:
    """The contract id of a database row: ``("mentor", 3)`` → ``"m3"``."""
    return f"{PREFIX[kind]}{ident}"


def ident(contract_id: str) -> int:
    """The database id in a contract id: ``"m3"`` → 3."""
    return int(contract_id[1:])


def sides_of(programme: Programme) -> tuple[str, ...]:
    """The sides a programme matches: mentors, projects or both."""
    return SIDES[programme.kind]


def weights_of(programme: Programme) -> dict[str, float]:
    """The programme's criterion weights, defaults filled in."""
    given = programme.weights or {}
    return {
        name: float(given.get(name, default)) for name, default in matching.DEFAULT_WEIGHTS.items()
    }


# --- snapshot -------------------------------------------------------------------------


def build_snapshot(programme: Programme, as_of: dt.date) -> Snapshot:
    """Read the eligible profiles, live matches and pair rules into contract instances."""
    snap = Snapshot(programme.id, as_of)
    students = eligibility.eligible_students(programme.school_id)
    live = eligibility.live_students(programme.school_id)
    rules = _pair_rules(programme)
    snap.counts["students"] = len(students)
    for kind in sides_of(programme):
        side_students = [s for s in students if (s.id, kind) not in live]
        targets, pending = _targets(kind, programme.school_id, as_of)
        instance = base_instance(programme, as_of)
        instance["students"] = [student_record(s) for s in side_students]
        instance[f"{kind}s"] = targets
        _add_rules(instance, kind, rules)
        snap.instances[kind] = instance
        snap.pending[kind] = pending
        snap.counts[kind] = {
            "students": len(side_students),
            "already_matched": len(students) - len(side_students),
            "targets": len(targets),
            "places": sum(t["capacity"] for t in targets),
            "pending": len(pending),
            "pinned": len(instance["pinned"]),
            "forbidden": len(instance["forbidden"]),
        }
    return snap


def base_instance(programme: Programme, as_of: dt.date) -> dict[str, Any]:
    """A contract instance with the programme's rules and weights and no records yet."""
    return {
        "as_of": as_of.isoformat(),
        "min_score": float(programme.min_score),
        "rules": {
            "require_common_slot": bool(programme.require_common_slot),
            "require_common_language": bool(programme.require_common_language),
        },
        "weights": weights_of(programme),
        "students": [],
        "pinned": [],
        "forbidden": [],
        "edges": None,
    }


def student_record(s: StudentProfile) -> dict[str, Any]:
    """The contract record of a student."""
    return {
        "id": key("student", s.id),
        "grade": s.grade,
        "minor": bool(s.is_minor),
        "interests": list(s.interests or []),
        "goals": list(s.goals or []),
        "availability": list(s.availability or []),
        "modality": str(s.modality),
        "languages": list(s.languages or []),
        "area": s.area or None,
    }


def _targets(
    kind: str, school_id: int, as_of: dt.date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(verified targets with free places, pending ones as if cleared) of one side."""
    if kind == "mentor":
        return _mentor_targets(school_id, as_of)
    return _project_targets(school_id)


def _mentor_targets(school_id: int, as_of: dt.date) -> tuple[list[Any], list[Any]]:
    mentors = list(
        db.session.scalars(
            db.select(MentorProfile)
            .where(MentorProfile.school_id == school_id, MentorProfile.profile_complete.is_(True))
            .where(MentorProfile.verification != Verification.DECLINED)
            .order_by(MentorProfile.id)
        )
    )
    checks = eligibility.check_status_by_user([m.user_id for m in mentors], as_of)
    load = eligibility.live_load("mentor", [m.id for m in mentors])
    ready, pending = [], []
    for mentor in mentors:
        check = checks.get(mentor.user_id, {"status": "none", "expires": None})
        record = mentor_record(mentor, mentor.capacity - load.get(mentor.id, 0), check)
        verified = mentor.verification == Verification.VERIFIED
        if verified and record["capacity"] > 0:
            ready.append(record)
        # Would fit, once verified or once a valid check is recorded: the "what fixes it" hint.
        if not verified or (record["capacity"] > 0 and check["status"] != "verified"):
            cleared = {"status": "verified", "expires": None}
            capacity = max(1, record["capacity"])
            pending.append({**record, "capacity": capacity, "background_check": cleared})
    return ready, pending


def mentor_record(mentor: MentorProfile, capacity: int, check: dict[str, Any]) -> dict[str, Any]:
    """The contract record of a mentor with ``capacity`` free places and its best check."""
    return {
        "id": key("mentor", mentor.id),
        "capacity": max(0, capacity),
        "expertise": list(mentor.expertise or []),
        "interests": list(mentor.interests or []),
        "availability": list(mentor.availability or []),
        "modality": str(mentor.modality),
        "languages": list(mentor.languages or []),
        "grades": [mentor.grade_min, mentor.grade_max],
        "area": mentor.area or None,
        "background_check": check,
    }


def _project_targets(school_id: int) -> tuple[list[Any], list[Any]]:
    rows = db.session.execute(
        db.select(Project, Organisation.verification)
        .join(Project.organisation)
        .where(Organisation.school_id == school_id, Project.is_open.is_(True))
        .where(Organisation.verification != Verification.DECLINED)
        .order_by(Project.id)
    ).all()
    load = eligibility.live_load("project", [project.id for project, _ in rows])
    ready, pending = [], []
    for project, verification in rows:
        record = project_record(project, project.capacity - load.get(project.id, 0))
        verified = verification == Verification.VERIFIED
        if verified and record["capacity"] > 0:
            ready.append(record)
        if not verified or (record["capacity"] > 0 and not project.supervisor_checked):
            capacity = max(1, record["capacity"])
            pending.append({**record, "capacity": capacity, "supervisor_checked": True})
    return ready, pending


def project_record(project: Project, capacity: int) -> dict[str, Any]:
    """The contract record of a project with ``capacity`` free places."""
    record: dict[str, Any] = {
        "id": key("project", project.id),
        "capacity": max(0, capacity),
        "skills": list(project.skills or []),
        "availability": list(project.availability or []),
        "modality": str(project.modality),
        "grades": [project.grade_min, project.grade_max],
        "area": project.area or None,
        "supervisor_checked": bool(project.supervisor_checked),
    }
    if project.languages:
        record["languages"] = list(project.languages)
    return record


def _pair_rules(programme: Programme) -> list[PairRule]:
    """The programme's pins; forbids of every programme of its school (they hold school-wide);
    and, as forbids, pairs whose match ended unless the counselor said they may pair again."""
    query = (
        db.select(PairRule)
        .join(Programme, Programme.id == PairRule.programme_id)
        .where(Programme.school_id == programme.school_id)
        .where((PairRule.kind == PairRuleKind.FORBID) | (PairRule.programme_id == programme.id))
        .order_by(PairRule.id)
    )
    ended = db.session.execute(
        db.select(Match.student_id, Match.mentor_id, Match.project_id)
        .join(Match.programme)
        .where(Programme.school_id == programme.school_id)
        .where(Match.status == MatchStatus.ENDED, Match.may_repropose.is_(False))
    )
    closed = [
        PairRule(kind=PairRuleKind.FORBID, student_id=s, mentor_id=m, project_id=p)
        for s, m, p in ended
    ]
    return [*db.session.scalars(query), *closed]


def _add_rules(instance: dict[str, Any], kind: str, rules: list[PairRule]) -> None:
    """Forbids between known ids; pins of free students, within capacity, not forbidden."""
    students = {s["id"] for s in instance["students"]}
    room = {t["id"]: t["capacity"] for t in instance[f"{kind}s"]}
    keyed = [(r, key("student", r.student_id), _target_key(kind, r)) for r in rules]
    pairs = [(r, s, t) for r, s, t in keyed if t is not None and s in students and t in room]
    forbidden = {(s, t) for r, s, t in pairs if r.kind == PairRuleKind.FORBID}
    pinned: dict[str, str] = {}
    for rule, s, t in reversed(pairs):  # the latest pin of a student wins
        free = s not in pinned and (s, t) not in forbidden and room[t] > 0
        if rule.kind == PairRuleKind.PIN and free:
            pinned[s] = t
            room[t] -= 1
    instance["forbidden"] = [{"student": s, kind: t} for s, t in sorted(forbidden)]
    instance["pinned"] = [{"student": s, kind: t} for s, t in sorted(pinned.items())]


def _target_key(kind: str, rule: PairRule) -> str | None:
    target_id = rule.mentor_id if kind == "mentor" else rule.project_id
    return key(kind, target_id) if target_id is not None else None


# --- solve ----------------------------------------------------------------------------


def solve_snapshot(snap: Snapshot) -> Solved:
    """Run the matcher on each side and translate its result into database ids."""
    solved = Solved()
    for kind, instance in snap.instances.items():
        result = _solve(instance, solved.skipped_pins)
        solved.proposals.extend(_proposals(kind, result[f"{kind}_pairs"], instance))
        misses = result["unmatched"].get(kind, [])
        fits = _pending_fits(kind, instance, snap.pending.get(kind, []), misses)
        solved.unmatched[kind] = [
            {
                "student_id": ident(m["student"]),
                "reason": m["reason"],
                "pending_fit": fits.get(m["student"], 0),
            }
            for m in misses
        ]
        scores = [p["score"] for p in result[f"{kind}_pairs"]]
        solved.stats[kind] = {**result["stats"][kind], "histogram": histogram(scores)}
        for phase, seconds in result["stats"].get("timings", {}).items():
            solved.timings[phase] = solved.timings.get(phase, 0.0) + seconds
    return solved


def _solve(instance: dict[str, Any], skipped: list[str]) -> dict[str, Any]:
    """``matching.solve``; a pin the matcher refuses (a broken hard rule) is dropped and noted."""
    while True:
        try:
            return matching.solve(instance)
        except matching.InstanceError as exc:
            found = _PIN_PATH.match(exc.path)
            if found is None:
                raise
            pins = list(instance["pinned"])
            dropped = pins.pop(int(found.group(1)))
            skipped.append(f"{dropped['student']}: {exc.problem}")
            instance = {**instance, "pinned": pins}


def _proposals(
    kind: str, pairs: list[dict[str, Any]], instance: dict[str, Any]
) -> list[dict[str, Any]]:
    students = {s["id"]: s for s in instance["students"]}
    targets = {t["id"]: t for t in instance[f"{kind}s"]}
    rows = []
    for pair in pairs:
        alternatives = pair.get("alternatives", {})
        rows.append(
            {
                "student_id": ident(pair["student"]),
                f"{kind}_id": ident(pair[kind]),
                "score": float(pair["score"]),
                "breakdown": dict(pair.get("breakdown", {})),
                "pinned": bool(pair.get("pinned", False)),
                "basis": {
                    "student": basis_of(students[pair["student"]]),
                    "partner": basis_of(targets[pair[kind]]),
                },
                "alternatives": {
                    "student": [_alternative(a, kind) for a in alternatives.get("student", [])],
                    "partner": [_alternative(a, "student") for a in alternatives.get(kind, [])],
                },
            }
        )
    return rows


def basis_of(record: dict[str, Any]) -> dict[str, Any]:
    """The scored fields of a contract record (not its id, capacity or checks)."""
    return {name: value for name, value in record.items() if name in BASIS_FIELDS}


def _alternative(alt: dict[str, Any], kind: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "id": ident(alt[kind]),
        "score": float(alt["score"]),
        "why_not": alt.get("why_not", ""),
    }


def _pending_fits(
    kind: str, instance: dict[str, Any], pending: list[dict[str, Any]], misses: list[dict[str, Any]]
) -> dict[str, int]:
    """How many pending partners would fit each unmatched student, were they cleared."""
    if not pending or not misses or len(pending) * len(misses) > MAX_HINT_CELLS:
        return {}
    wanted = {m["student"] for m in misses}
    students = [s for s in instance["students"] if s["id"] in wanted]
    hint = {**instance, "students": students, f"{kind}s": pending, "pinned": [], "forbidden": []}
    scores = matching.score_matrix(hint, kind).scores  # type: ignore[arg-type]
    fits = (~np.isnan(scores)).sum(axis=1)
    return {s["id"]: int(n) for s, n in zip(students, fits.tolist(), strict=True) if n}


def histogram(scores: list[float], bins: int = HISTOGRAM_BINS) -> list[int]:
    """Counts of scores in ``bins`` equal bins of [0, 1]."""
    counts, _ = np.histogram(np.asarray(scores, dtype=float), bins=bins, range=(0.0, 1.0))
    return [int(c) for c in counts]
