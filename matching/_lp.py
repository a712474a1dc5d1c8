"""The exact lexicographic optimum: a transportation LP on candidate pairs, priced out.

Maximise ``sum((C + score) * x)`` with ``C`` above the largest possible number of matches,
so one more match always beats any gain in score: the optimum has the most matches, then
the largest total score. The constraint matrix (each student at most once, each target at
most its capacity) is totally unimodular, so HiGHS's dual simplex ends on an integral vertex;
we check that and fall back to `scipy.optimize.milp` if it ever is not.

Only candidate pairs enter the LP. The LP duals ``u`` (students) and ``v`` (targets) prove
the optimum over *all* pairs when no left-out pair has a positive reduced cost
``C + score - u - v``; left-out pairs are bounded by their row's next-best score, so only
rows whose bound could beat ``u - C`` are rescanned, and violators are added until none is
left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ._pairs import Array, Pairs

TOLERANCE = 1e-9
NEAR = 0.05  # a rescanned row also brings pairs this close to violating: fewer rounds
IPM_FROM = 5000  # interior point + crossover is faster than dual simplex on larger LPs
_HIGHS = {"dual_feasibility_tolerance": 1e-10, "primal_feasibility_tolerance": 1e-10}
Scan = Callable[[Array, Array], Pairs]


@dataclass(frozen=True, slots=True)
class Solution:
    """Each row's column (``-1`` when unmatched) and how it was found."""

    col_of: Array
    rounds: int
    lp_pairs: int
    exact: bool


def optimum(
    pairs: Pairs,
    capacity: Array,
    n_rows: int,
    *,
    row_bound: Array | None = None,
    scan: Scan | None = None,
) -> Solution:
    """Return the lexicographic optimum over `pairs` plus whatever `scan` finds.

    `pairs` must include every allowed pair except those of a row ``r`` that score at most
    ``row_bound[r]``; `scan(rows, floor)` returns the allowed pairs of `rows` scoring at least
    `floor`. Without `scan`, the optimum is over `pairs` only.
    """
    pairs = pairs.select(capacity[pairs.cols] > 0)
    big = float(min(n_rows, int(capacity.sum()))) + 1.0
    rounds = 0
    while True:
        rounds += 1
        x, u, v = _solve(pairs, capacity, n_rows, big)
        if scan is None or row_bound is None:
            break
        new = _violators(pairs, capacity, u, v, big, row_bound, scan)
        if not len(new):
            break
        pairs = Pairs.union([pairs, new], len(capacity))
    col_of = np.full(n_rows, -1, dtype=np.intp)
    chosen = x > 0.5
    col_of[pairs.rows[chosen]] = pairs.cols[chosen]
    return Solution(col_of, rounds, len(pairs), scan is not None)


def _violators(
    pairs: Pairs, capacity: Array, u: Array, v: Array, big: float, row_bound: Array, scan: Scan
) -> Pairs:
    """Return left-out pairs whose reduced cost ``big + score - u - v`` is positive."""
    rows = np.flatnonzero(big + row_bound - u > TOLERANCE)
    if not len(rows):
        return Pairs.empty()
    found = scan(rows, u[rows] - big - NEAR)
    reduced = big + found.scores - u[found.rows] - v[found.cols]
    keys = pairs.rows.astype(np.int64) * len(capacity) + pairs.cols
    new = ~np.isin(found.rows.astype(np.int64) * len(capacity) + found.cols, keys)
    new &= capacity[found.cols] > 0
    if not np.any(new & (reduced > TOLERANCE)):
        return Pairs.empty()
    return found.select(new & (reduced > -NEAR))


def _solve(pairs: Pairs, capacity: Array, n_rows: int, big: float) -> tuple[Array, Array, Array]:
    """Solve the LP on `pairs`; return (x, row duals, column duals), all >= 0."""
    n_pairs, n_cols = len(pairs), len(capacity)
    if n_pairs == 0:
        return np.zeros(0), np.zeros(n_rows), np.zeros(n_cols)
    index = np.arange(n_pairs)
    matrix = sp.csr_array(
        (
            np.ones(2 * n_pairs),
            (np.concatenate([pairs.rows, n_rows + pairs.cols]), np.concatenate([index, index])),
        ),
        shape=(n_rows + n_cols, n_pairs),
    )
    cost = -(big + pairs.scores)
    limit = np.concatenate([np.ones(n_rows), capacity.astype(np.float64)])
    import scipy.optimize as so  # slow import: large instances only

    method = "highs-ipm" if n_pairs >= IPM_FROM else "highs-ds"
    res = so.linprog(cost, A_ub=matrix, b_ub=limit, bounds=(0, None), method=method, options=_HIGHS)
    if res.status != 0:
        raise RuntimeError(f"HiGHS failed on the matching LP: {res.message}")
    duals = -np.asarray(res.ineqlin.marginals)
    x = np.asarray(res.x)
    if np.abs(x - np.round(x)).max() > 1e-6:
        x = _integral(cost, matrix, limit)
    return x, duals[:n_rows], duals[n_rows:]


def _integral(cost: Array, matrix: sp.csr_array, limit: Array) -> Array:
    """Return an integral optimum with `scipy.optimize.milp` (the LP value is the same)."""
    import scipy.optimize as so  # slow import: large instances only

    res = so.milp(
        cost,
        constraints=so.LinearConstraint(matrix, -np.inf, limit),
        integrality=np.ones(len(cost)),
        bounds=so.Bounds(0, 1),
    )
    if res.status != 0:
        raise RuntimeError(f"HiGHS failed on the integral matching: {res.message}")
    return np.round(np.asarray(res.x))
