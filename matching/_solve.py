"""`solve`: validate, score, solve and explain each side (mentors, then projects)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _dense, _explain, _flow, _result
from ._edges import EdgeScorer
from ._errors import InstanceError
from ._features import Coded, code_students
from ._flow import Solution
from ._pairs import Array, Scorer, Shortlist
from ._profile import ProfileScorer
from ._schema import Instance, Side, parse

K_ROW = 8  # each student's best mentors kept as candidates
K_ROW_EDGES = 12  # the same with explicit edges (cheap to price, so fewer rounds pay)
K_COL_EXTRA = 4  # each mentor keeps its best (capacity + this) students
WHOLE_GRAPH_CELLS = 1_500_000  # students x targets up to which every allowed pair is solved


@dataclass
class Clock:
    """Seconds spent per phase."""

    phases: dict[str, float] = field(
        default_factory=lambda: dict.fromkeys(("validate", "score", "solve", "explain"), 0.0)
    )
    _last: float = field(default_factory=time.perf_counter)

    def lap(self, phase: str) -> None:
        """Add the time since the last lap to `phase`."""
        now = time.perf_counter()
        self.phases[phase] += now - self._last
        self._last = now

    def skip(self) -> None:
        """Leave the time since the last lap out of every phase."""
        self._last = time.perf_counter()


def solve(instance: Mapping[str, Any], *, timings: bool = True) -> dict[str, Any]:
    """Return the RESULT dict for `instance` (see `matching.solve`)."""
    clock = Clock()
    inst = parse(instance)
    # the students' words are coded once for both sides
    coded = code_students(inst.students) if any(s.edges is None for s in inst.sides) else None
    clock.lap("validate")
    sides = [_solve_side(inst, side, clock, coded) for side in inst.sides]
    result = _result.assemble(inst, sides)
    clock.lap("explain")
    seconds = sum(clock.phases.values())
    result["stats"]["seconds"] = round(seconds, 4) if timings else 0.0
    if timings:
        result["stats"]["timings"] = {k: round(v, 4) for k, v in clock.phases.items()}
    return result


def _scorer(inst: Instance, side: Side, coded: Coded | None) -> Scorer:
    """Return the scorer for the side: from profiles, or from explicit edges."""
    if side.edges is not None:
        return EdgeScorer(inst, side)
    return ProfileScorer(inst, side, coded=coded)


def _solve_side(
    inst: Instance, side: Side, clock: Clock, coded: Coded | None
) -> _result.SideResult:
    """Solve one side and gather what its part of the result needs."""
    scorer = _scorer(inst, side, coded)
    capacity = np.array([t.capacity for t in side.targets], dtype=np.int64)
    pinned_col = _check_pins(scorer, inst, side)
    clock.lap("validate")
    if not side.targets:
        return _result.SideResult(side, scorer, None, None, None)
    k_col = int(capacity.max(initial=0)) + K_COL_EXTRA
    shortlist = scorer.shortlist(K_ROW if side.edges is None else K_ROW_EDGES, k_col)
    clock.lap("score")
    solution = _optimum(scorer, shortlist, capacity, pinned_col, inst.exact, clock)
    col_of = np.where(pinned_col >= 0, pinned_col, solution.col_of)
    clock.lap("solve")
    outcome = _explain.Outcome.of(scorer, col_of, pinned_col >= 0, capacity)
    clock.lap("explain")
    return _result.SideResult(side, scorer, shortlist, outcome, solution)


def _optimum(
    scorer: Scorer,
    shortlist: Shortlist,
    capacity: Array,
    pinned_col: Array,
    exact: bool,
    clock: Clock,
) -> Solution:
    """Solve for the students who are not pinned, in the capacity the pins leave."""
    free = capacity - np.bincount(pinned_col[pinned_col >= 0], minlength=len(capacity))
    active = pinned_col < 0
    if exact and _dense.fits(int(np.count_nonzero(active)), free):  # school size: scipy
        # scipy is imported on first use: a cost of the process (as `import matching` is),
        # left out of the timings
        clock.lap("solve")
        _dense.solver()
        clock.skip()
        rows = np.flatnonzero(active)
        return _dense.optimum(scorer.scan(rows, np.full(len(rows), -np.inf)), free, scorer.n_rows)
    if exact and scorer.n_rows * scorer.n_cols <= WHOLE_GRAPH_CELLS:  # no pricing needed
        rows = np.flatnonzero(active)
        allowed = scorer.scan(rows, np.full(len(rows), -np.inf))
        return _flow.optimum(allowed, free, scorer.n_rows)
    pairs = shortlist.pairs.select(active[shortlist.pairs.rows])
    bound = np.where(active, shortlist.row_bound, -np.inf)
    if exact and not np.any(np.isfinite(bound)):  # nothing left out (edges): no pricing
        return _flow.optimum(pairs, free, scorer.n_rows)
    scan = scorer.scan if exact else None
    return _flow.optimum(pairs, free, scorer.n_rows, row_bound=bound, scan=scan)


def _check_pins(scorer: Scorer, inst: Instance, side: Side) -> Array:
    """Return each student's pinned column (-1 if none); refuse pins that break a rule."""
    forbidden = {(f.student, f.target): f.where for f in side.forbidden}
    pinned_col = np.full(scorer.n_rows, -1, dtype=np.intp)
    for pin in side.pinned:
        ids = {"student": inst.students[pin.student].id, side.kind: side.targets[pin.target].id}
        problem = scorer.problem(pin.student, pin.target)
        if problem is not None:
            text = f"pinned pair breaks a hard rule: {problem.text}"
            raise InstanceError(pin.where, text, code="pin_breaks_rule", rule=problem.code, **ids)
        if (pin.student, pin.target) in forbidden:
            where = forbidden[(pin.student, pin.target)]
            text = f"pinned pair is also forbidden at {where}"
            raise InstanceError(pin.where, text, code="pin_forbidden", **ids)
        pinned_col[pin.student] = pin.target
    return pinned_col
