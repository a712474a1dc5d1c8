"""The portal's one boundary with the pure matcher: the only module that imports ``matching``.

The contract (``docs/matching.md``) names records ``s12``/``m3``/``p7``; :func:`key` and
:func:`ident` convert. :mod:`portal.programmes.snapshot` builds the instances from database
rows; :func:`solve_snapshot` runs the matcher on them and turns its result back into
database ids, :func:`solve_swap` re-checks two swapped pairs. The criteria and their default
weights (the programme form, the demo) come from here too. Nothing here writes to the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import matching
from portal.models import PartnerKind, Programme, ProgrammeKind

PREFIX = {"student": "s", PartnerKind.MENTOR: "m", PartnerKind.PROJECT: "p"}
SIDES = {
    ProgrammeKind.MENTORING: (PartnerKind.MENTOR,),
    ProgrammeKind.PROJECTS: (PartnerKind.PROJECT,),
    ProgrammeKind.BOTH: (PartnerKind.MENTOR, PartnerKind.PROJECT),
}
HISTOGRAM_BINS = 10
# What a proposal keeps of both profiles as scored (`Proposal.basis`), for its explanation.
BASIS_FIELDS = frozenset(
    {"grade", "grades", "interests", "goals", "expertise", "skills", "availability"}
    | {"modality", "languages", "area"}
)
# The "would fit" hint scores unmatched students against pending partners densely: bound it.
MAX_HINT_CELLS = 2_000_000
# The codes of an ``InstanceError`` that refuse one pinned pair (docs/matching.md).
PIN_CODES = frozenset({"pin_breaks_rule", "pin_forbidden", "pin_over_capacity", "pin_twice"})


@dataclass
class Snapshot:
    """The frozen input of one run: one contract instance per side, and what it left out."""

    programme_id: int
    as_of: dt.date
    instances: dict[PartnerKind, dict[str, Any]] = field(default_factory=dict)
    pending: dict[PartnerKind, list[dict[str, Any]]] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)


@dataclass
class Solved:
    """The matcher's result in database ids, ready to be stored."""

    proposals: list[dict[str, Any]] = field(default_factory=list)
    unmatched: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    skipped_pins: list[Refusal] = field(default_factory=list)


@dataclass(frozen=True)
class Refusal:
    """Why the matcher refuses a pinned pair: its code (and broken rule) and both records."""

    code: str
    rule: str | None
    kind: PartnerKind
    student: dict[str, Any]
    partner: dict[str, Any]

    @property
    def student_id(self) -> int:
        """The database id of the pinned student."""
        return ident(self.student["id"])

    @property
    def partner_id(self) -> int:
        """The database id of the pinned mentor or project."""
        return ident(self.partner["id"])


def key(kind: str, ident: int) -> str:
    """The contract id of a database row: ``("mentor", 3)`` → ``"m3"``."""
    return f"{PREFIX[kind]}{ident}"


def ident(contract_id: str) -> int:
    """The database id in a contract id: ``"m3"`` → 3."""
    return int(contract_id[1:])


def sides_of(programme: Programme) -> tuple[PartnerKind, ...]:
    """The sides a programme matches: mentors, projects or both."""
    return SIDES[programme.kind]


def criteria() -> dict[str, str]:
    """The matcher's criteria in order: name → what it means, in plain words."""
    return dict(matching.CRITERIA)


def default_weights() -> dict[str, float]:
    """The matcher's default weight of each criterion."""
    return dict(matching.DEFAULT_WEIGHTS)


def weights_of(programme: Programme) -> dict[str, float]:
    """The programme's criterion weights, defaults filled in."""
    given = programme.weights or {}
    return {name: float(given.get(name, default)) for name, default in default_weights().items()}


# --- solve ----------------------------------------------------------------------------


def solve_snapshot(snap: Snapshot) -> Solved:
    """Run the matcher on each side and translate its result into database ids and codes."""
    solved = Solved()
    for kind, instance in snap.instances.items():
        result = _solve(instance, solved.skipped_pins)
        solved.proposals.extend(_proposals(kind, result[f"{kind}_pairs"], instance))
        misses = result["unmatched"].get(kind, [])
        fits = _pending_fits(kind, instance, snap.pending.get(kind, []), misses)
        solved.unmatched[kind] = [_unmatched(m, fits.get(m["student"], 0)) for m in misses]
        scores = [p["score"] for p in result[f"{kind}_pairs"]]
        solved.stats[kind] = {**result["stats"][kind], "histogram": histogram(scores)}
        for phase, seconds in result["stats"].get("timings", {}).items():
            solved.timings[phase] = solved.timings.get(phase, 0.0) + seconds
    return solved


def _unmatched(miss: dict[str, Any], pending_fit: int) -> dict[str, Any]:
    """An unmatched entry as the portal keeps it: the student's id, the code, its count."""
    entry = {"student_id": ident(miss["student"]), "code": miss["code"], "pending_fit": pending_fit}
    if "compatible" in miss:
        entry["compatible"] = int(miss["compatible"])
    return entry


def _solve(instance: dict[str, Any], refused: list[Refusal]) -> dict[str, Any]:
    """``matching.solve``; a pin the matcher refuses is dropped (by its ids) and noted."""
    while True:
        try:
            return matching.solve(instance)
        except matching.InstanceError as exc:
            refusal = _refusal(exc, instance)
            if refusal is None:
                raise
            refused.append(refusal)
            pins = [p for p in instance["pinned"] if p["student"] != exc.student]
            instance = {**instance, "pinned": pins}


def _refusal(exc: matching.InstanceError, instance: dict[str, Any]) -> Refusal | None:
    """The refused pin an ``InstanceError`` names by its code and ids (None: not a pin)."""
    target = exc.mentor or exc.project
    if exc.code not in PIN_CODES or exc.student is None or target is None:
        return None
    kind = PartnerKind.MENTOR if exc.mentor else PartnerKind.PROJECT
    records = {r["id"]: r for r in [*instance["students"], *instance.get(f"{kind}s", [])]}
    student = records.get(exc.student, {"id": exc.student})
    partner = records.get(target, {"id": target})
    return Refusal(exc.code, exc.rule, kind, student, partner)


def solve_swap(instance: dict[str, Any], kind: PartnerKind) -> dict[int, dict[str, Any]] | Refusal:
    """Each pinned student's pair (score, breakdown, scored profiles) by student id, or why not."""
    try:
        result = matching.solve(instance, timings=False)
    except matching.InstanceError as exc:
        refusal = _refusal(exc, instance)
        if refusal is None:
            raise
        return refusal
    by_id = {r["id"]: r for r in [*instance["students"], *instance[f"{kind}s"]]}
    return {
        ident(pair["student"]): {
            "score": pair["score"],
            "breakdown": pair["breakdown"],
            "basis": {
                "student": basis_of(by_id[pair["student"]]),
                "partner": basis_of(by_id[pair[kind]]),
            },
        }
        for pair in result[f"{kind}_pairs"]
    }


def _proposals(
    kind: PartnerKind, pairs: list[dict[str, Any]], instance: dict[str, Any]
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
                    "student": [
                        _alternative(a, kind, kind) for a in alternatives.get("student", [])
                    ],
                    "partner": [
                        _alternative(a, "student", kind) for a in alternatives.get(kind, [])
                    ],
                },
            }
        )
    return rows


def basis_of(record: dict[str, Any]) -> dict[str, Any]:
    """The scored fields of a contract record (not its id, capacity or checks)."""
    return {name: value for name, value in record.items() if name in BASIS_FIELDS}


def _alternative(alt: dict[str, Any], kind: str, other: str) -> dict[str, Any]:
    """An alternative in database ids: who (`kind`), its score, why not (code), and where
    the student went instead (an `other` of the pair's kind) when the code says so."""
    item: dict[str, Any] = {
        "kind": kind,
        "id": ident(alt[kind]),
        "score": float(alt["score"]),
        "code": alt["code"],
    }
    if "load" in alt:
        item["load"] = int(alt["load"])
    if "matched_to" in alt:
        item["matched_to"] = {"kind": other, "id": ident(alt["matched_to"])}
    if "matched_score" in alt:
        item["matched_score"] = float(alt["matched_score"])
    return item


def _pending_fits(
    kind: PartnerKind,
    instance: dict[str, Any],
    pending: list[dict[str, Any]],
    misses: list[dict[str, Any]],
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
