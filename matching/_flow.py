"""The exact lexicographic optimum: assignment on candidate pairs, certified and priced out.

Weights are integers: ``w = C * SCALE + rint(score * SCALE)`` with ``C`` above the largest
possible number of matches, so one more match always beats any gain in (rounded) score and
integer arithmetic leaves no round-off. On the candidate pairs the optimum is found with
`scipy.sparse.csgraph.min_weight_full_bipartite_matching` (each target expanded into its
slots, each student given a private "stay unmatched" column).

Certificate: in the residual graph of the flow network (root -> student cap 1, student ->
target cap 1 with cost ``-w``, target -> root cap `capacity`) an optimal flow has no negative
cycle, so shortest distances ``d`` from the root exist (vectorised Bellman-Ford, exact in
int64); ``u = max(d_student, 0)`` and ``v = max(-d_target, 0)`` then satisfy
``u_s + v_t >= w_st`` on every candidate pair. A pair left out can improve the assignment
only if ``w_st > u_s + v_t`` (a negative reduced cost); `scan` finds every such pair
(float thresholds with a margin, then the exact integer test), they are added and the
problem is solved again until none is left. Then the potentials are valid on the residual
graph of *all* allowed pairs: no negative cycle, so the assignment is optimal over all pairs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._pairs import Array, Pairs
from ._small import solve_slots

SCALE = 1 << 30  # score resolution: scores are compared as integers rint(score * SCALE)
NEAR = 0.02  # pricing also adds pairs within this (score units) of violating: fewer rounds
MAX_ROUNDS = 50
# scan(rows, row_floor, col_price): allowed pairs of `rows` scoring at least
# row_floor[row] + col_price[col] (up to the scorer's margin; it may return more).
Scan = Callable[[Array, Array, Array], Pairs]


class NotOptimalError(RuntimeError):
    """The assignment solver returned a flow with a negative cycle (should not happen)."""


@dataclass(frozen=True, slots=True)
class Solution:
    """Each row's column (``-1`` when unmatched) and how it was found."""

    col_of: Array
    rounds: int
    lp_pairs: int
    exact: bool


def weights(scores: Array, big: int) -> Array:
    """Return the integer weights ``big * SCALE + rint(score * SCALE)`` (int64)."""
    out: Array = big * SCALE + np.rint(np.asarray(scores, dtype=np.float64) * SCALE).astype(
        np.int64
    )
    return out


def optimum(
    pairs: Pairs,
    capacity: Array,
    n_rows: int,
    *,
    row_bound: Array | None = None,
    scan: Scan | None = None,
) -> Solution:
    """Return the lexicographic optimum over `pairs` plus whatever pricing with `scan` finds.

    `pairs` must include every allowed pair except those of a row ``r`` that score at most
    ``row_bound[r]`` (``-inf``: nothing left out). Without `scan`, the optimum is over
    `pairs` only.
    """
    capacity = np.asarray(capacity, dtype=np.int64)
    pairs = pairs.select(capacity[pairs.cols] > 0)
    big = min(n_rows, int(capacity.sum())) + 1
    bound = np.full(n_rows, -np.inf) if row_bound is None else row_bound
    rounds = 0
    while True:
        rounds += 1
        w = weights(pairs.scores, big)
        col_of = assign(pairs, w, capacity, n_rows, big)
        if scan is None or rounds >= MAX_ROUNDS:
            break
        try:
            u, v = potentials(pairs, w, col_of, capacity, n_rows)
        except NotOptimalError:  # never seen; the LP solver is the safety net
            from . import _lp

            plain = None if scan is None else functools.partial(_no_price, scan, len(capacity))
            sol = _lp.optimum(pairs, capacity, n_rows, row_bound=row_bound, scan=plain)
            return Solution(sol.col_of, rounds + sol.rounds, sol.lp_pairs, sol.exact)
        new = _violators(pairs, capacity, u, v, big, bound, scan)
        if not len(new):
            break
        pairs = Pairs.union([pairs, new], len(capacity))
    return Solution(col_of, rounds, len(pairs), scan is not None and rounds < MAX_ROUNDS)


def _no_price(scan: Scan, n_cols: int, rows: Array, floor: Array) -> Pairs:
    """Call `scan` with zero column prices (the LP fallback's pricing)."""
    return scan(rows, floor, np.zeros(n_cols))


def assign(pairs: Pairs, w: Array, capacity: Array, n_rows: int, big: int) -> Array:
    """Return each row's column for the maximum total weight `w` over `pairs`."""
    col_of = np.full(n_rows, -1, dtype=np.intp)
    if not len(pairs):
        return col_of
    # costs are integers below 2**53, so float64 holds them (and their sums) exactly
    top = (big + 2) * SCALE
    return solve_slots(pairs, (top - w).astype(np.float64), float(top), capacity, n_rows)


def potentials(
    pairs: Pairs, w: Array, col_of: Array, capacity: Array, n_rows: int
) -> tuple[Array, Array]:
    """Return int64 potentials ``u >= 0`` (rows), ``v >= 0`` (columns) certifying `col_of`.

    ``u_r + v_c >= w`` on every pair, with equality on the chosen pairs. Raises
    `NotOptimalError` when the residual graph has a negative cycle.
    """
    n_cols = len(capacity)
    chosen = col_of[pairs.rows] == pairs.cols
    load = np.bincount(col_of[col_of >= 0], minlength=n_cols)
    # arcs row -> column (pairs not chosen), grouped by column
    free = ~chosen
    a_rows, a_cols, a_w = pairs.rows[free], pairs.cols[free], w[free]
    order = np.argsort(a_cols, kind="stable")
    a_rows, a_cols, a_w = a_rows[order], a_cols[order], a_w[order]
    starts = np.flatnonzero(np.r_[True, a_cols[1:] != a_cols[:-1]]) if len(a_cols) else a_cols
    seg = a_cols[starts]
    matched = np.flatnonzero(col_of >= 0)
    m_col = col_of[matched]
    m_w = np.zeros(n_rows, dtype=np.int64)
    m_w[pairs.rows[chosen]] = w[chosen]
    m_w = m_w[matched]
    inf = np.iinfo(np.int64).max // 4
    # distances from the root: root -> unmatched row (0), root -> loaded column (0)
    d_row = np.where(col_of < 0, 0, inf).astype(np.int64)
    d_col = np.where(load > 0, 0, inf).astype(np.int64)
    for _ in range(n_rows + n_cols + 2):
        if len(seg):
            best = np.minimum.reduceat(d_row[a_rows] - a_w, starts)
            best = np.minimum(d_col[seg], best)
            changed = bool(np.any(best < d_col[seg]))
            d_col[seg] = best
        else:
            changed = False
        new_rows = np.minimum(d_row[matched], d_col[m_col] + m_w)
        changed |= bool(np.any(new_rows < d_row[matched]))
        d_row[matched] = new_rows
        if not changed:
            break
    else:
        raise NotOptimalError("the residual graph has a negative cycle")
    # the root's own arcs (matched row -> root, free column -> root) must not undercut it
    if np.any(d_row[matched] < 0) or np.any(d_col[(load < capacity) & (d_col < inf)] < 0):
        raise NotOptimalError("the residual graph has a negative cycle through the root")
    u = np.maximum(np.where(d_row >= inf, 0, d_row), 0)
    v = np.maximum(-np.where(d_col >= inf, 0, d_col), 0)
    return u, v


def _violators(
    pairs: Pairs, capacity: Array, u: Array, v: Array, big: int, row_bound: Array, scan: Scan
) -> Pairs:
    """Return left-out pairs with a positive reduced cost ``w - u - v`` (and near ones)."""
    row_floor = u / SCALE - big  # a pair violates iff score > row_floor + v / SCALE
    col_price = v / SCALE
    # a left-out pair of row r scores at most row_bound[r]; v >= 0
    rows = np.flatnonzero(row_bound > row_floor - 1e-6)
    if not len(rows):
        return Pairs.empty()
    found = scan(rows, row_floor[rows] - NEAR, col_price)
    found = found.select(capacity[found.cols] > 0)
    keys = pairs.rows.astype(np.int64) * len(capacity) + pairs.cols
    new = ~np.isin(found.rows.astype(np.int64) * len(capacity) + found.cols, keys)
    reduced = weights(found.scores, big) - u[found.rows] - v[found.cols]
    if not np.any(new & (reduced > 0)):
        return Pairs.empty()
    return found.select(new & (reduced > -NEAR * SCALE))
