"""The RESULT dict of the JSON contract, with the documented extra fields."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np

from . import _bounds, _explain
from ._criteria import NAMES
from ._flow import Solution
from ._pairs import Array, Scorer, Shortlist
from ._reasons import Reason
from ._rules import UNMATCHED_STEPS
from ._schema import Instance, Side


@dataclass(frozen=True, slots=True)
class SideResult:
    """What one side's part of the result is built from (None parts: no targets)."""

    side: Side
    scorer: Scorer
    shortlist: Shortlist | None
    outcome: _explain.Outcome | None
    solution: Solution | None


def assemble(inst: Instance, sides: list[SideResult]) -> dict[str, Any]:
    """Return the RESULT dict for both sides."""
    result: dict[str, Any] = {"unmatched": {}, "stats": {}}
    for part in sides:
        kind = part.side.kind
        pairs, unmatched, stats = _side(inst, part)
        result[f"{kind}_pairs"] = pairs
        result["unmatched"][kind] = unmatched
        result["stats"][kind] = stats
    solutions = [part.solution for part in sides if part.solution is not None]
    result["stats"]["exact"] = inst.exact and all(sol.exact for sol in solutions)
    engines = sorted({sol.engine for sol in solutions})
    result["stats"]["engine"] = "+".join(engines) if engines else None
    return {key: result[key] for key in ("mentor_pairs", "project_pairs", "unmatched", "stats")}


def _side(inst: Instance, part: SideResult) -> tuple[list[Any], list[Any], dict[str, Any]]:
    """Return (pairs, unmatched, stats) of one side."""
    kind, n = part.side.kind, len(inst.students)
    out, shortlist = part.outcome, part.shortlist
    if out is None or shortlist is None or part.solution is None:
        reason = {"code": UNMATCHED_STEPS["all"], "reason": f"there are no {kind}s"}
        unmatched = [{"student": s.id, **reason} for s in inst.students]
        return [], unmatched if kind == "mentor" else [], _stats(n, np.zeros(0), 0, part)
    rows = np.flatnonzero(out.col_of >= 0)
    scores = out.row_score[rows]
    pairs = _pairs(inst, part, out, shortlist, rows)
    missing = np.flatnonzero(out.col_of < 0)
    reasons = _bounds.reasons(part.scorer, missing, out.full, kind) if len(missing) else []
    unmatched = [
        _entry(inst.students[r].id, why) for r, why in zip(missing.tolist(), reasons, strict=True)
    ]
    blocking = _explain.blocking_pairs(part.scorer, shortlist, out)
    return pairs, unmatched, _stats(n, scores, blocking, part)


def _entry(student: str, why: Reason) -> dict[str, Any]:
    """Return an unmatched entry: the student, the reason's code and sentence, and its count."""
    entry: dict[str, Any] = {"student": student, "code": why.code, "reason": why.text}
    if why.compatible is not None:
        entry["compatible"] = why.compatible
    return entry


def _stats(n: int, scores: Array, blocking: int, part: SideResult) -> dict[str, Any]:
    """Return the statistics of one side."""
    total = float(np.sum(scores))
    matched = len(scores)
    stats: dict[str, Any] = {
        "students": n,
        "matched": matched,
        "total_score": total,
        "mean_score": total / matched if matched else None,
        "min_score": float(scores.min()) if matched else None,
        "blocking_pairs": blocking,
        "pinned": len(part.side.pinned),
    }
    if part.solution is not None and part.shortlist is not None:
        stats["candidate_pairs"] = len(part.shortlist.pairs)
        stats["lp_pairs"] = part.solution.lp_pairs
        stats["lp_rounds"] = part.solution.rounds
        stats["engine"] = part.solution.engine
    return stats


def _pairs(
    inst: Instance, part: SideResult, out: _explain.Outcome, shortlist: Shortlist, rows: Array
) -> list[dict[str, Any]]:
    """Return the pair dicts, in student order, with breakdowns and alternatives."""
    kind = part.side.kind
    cols = out.col_of[rows]
    breakdowns = _breakdowns(part.scorer.contributions(rows, cols))
    student_ids = np.array([s.id for s in inst.students], dtype=object)
    target_ids = np.array([t.id for t in part.side.targets], dtype=object)
    alt_rows, mine = _explain.student_alternatives(shortlist, out, target_ids, kind)
    # a pair's own alternatives are mine[first:last]: alt_rows ascend
    first, last = (
        np.searchsorted(alt_rows, rows, side=side).tolist() for side in ("left", "right")
    )
    alt_cols, theirs = _explain.target_alternatives(
        shortlist, out, student_ids, target_ids.tolist()
    )
    # its target's are the slice of theirs that the target's column bounds (shared by its pairs)
    bounds = np.searchsorted(alt_cols, np.arange(len(target_ids) + 1)).tolist()
    of_col = [theirs[a:b] for a, b in pairwise(bounds)]
    return [
        {
            "student": student,
            kind: target,
            "score": score,
            "breakdown": breakdown,
            "pinned": pin,
            "alternatives": {"student": mine[a:b], kind: of_col[c]},
        }
        for student, target, score, breakdown, pin, a, b, c in zip(
            student_ids[rows].tolist(),
            target_ids[cols].tolist(),
            out.row_score[rows].tolist(),
            breakdowns,
            out.pinned[rows].tolist(),
            first,
            last,
            cols.tolist(),
            strict=True,
        )
    ]


def _breakdowns(contrib: Array) -> list[dict[str, float]]:
    """Return each pair's contributions by criterion name (none: explicit edges)."""
    names = NAMES if contrib.shape[1] else ()
    return [dict(zip(names, parts, strict=True)) for parts in contrib.tolist()]
