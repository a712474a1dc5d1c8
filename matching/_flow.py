"""The exact lexicographic optimum: assignment on candidate pairs, certified and priced out.

Scores are compared as integers ``q = rint(score * SCALE)``, so there is no round-off. On
the candidate pairs the optimum is a maximum flow of minimum cost ``-q`` in the network
root -> student (capacity 1) -> target (capacity 1) -> sink (capacity `capacity`): the most
students matched, then the largest total. OR-Tools' `SimpleMinCostFlow` (cost scaling,
integer, capacities on arcs) solves it; it took 0.15-0.2 s where
`scipy.sparse.csgraph.min_weight_full_bipartite_matching` on the slot-expanded graph took
1.5-1.9 s, with the same optimum (10,000 students, `benchmarks/solvers.py`).

The certificate uses the weights ``w = C * SCALE + q`` with ``C`` above the largest possible
number of matches, so one more match always beats any gain in score: the lexicographic
optimum is the maximum-weight assignment for `w`.

Certificate: in the residual graph of the flow network (root -> student cap 1, student ->
target cap 1 with cost ``-w``, target -> root cap `capacity`) an optimal flow has no negative
cycle, so shortest distances ``d`` from the root exist (vectorised Bellman-Ford, exact in
int64); ``u = max(d_student, 0)`` and ``v = max(-d_target, 0)`` then satisfy
``u_s + v_t >= w_st`` on every candidate pair. A pair left out can improve the assignment
only if ``w_st > u_s + v_t`` (a negative reduced cost); `scan` finds every such pair
(float thresholds with a margin, then the exact integer test), they are added and the
problem is solved again until none is left. Then the potentials are valid on the residual
graph of *all* allowed pairs: no negative cycle, so the assignment is optimal over all pairs.

Two savings keep that proof. Once a round adds few pairs, the next solves only the known
pairs within `WORKING` of tight at the last potentials (the rest are tested against the new
potentials like any priced pair, and come back if they violate). And a pricing scan after the
first reads only the rows and columns whose threshold fell by more than ``NEAR / 2`` since the
last whole scan (`_Pricing`): no other pair it did not find can violate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from ortools.graph.python import min_cost_flow

from ._pairs import Array, Pairs, member, stable_order

SCALE = 1 << 30  # score resolution: scores are compared as integers rint(score * SCALE)
NEAR = 0.02  # pricing also adds pairs within this (score units) of violating: fewer rounds
MAX_ROUNDS = 50
FEW_NEW = 0.02  # a round that adds fewer pairs than this share of the known ones ...
WORKING = 0.05  # ... is followed by one on the known pairs within this of tight
RESCAN_SHARE = 0.5  # a partial pricing scan reading more than this share of cells reads all
EPS = 1e-6  # room for the float thresholds of the pricing scans (scores are in [0, 1])


class Scan(Protocol):
    """`Scorer.scan`: the allowed pairs of `rows` (and `cols`) reaching ``floor + col_price``."""

    def __call__(
        self, rows: Array, floor: Array, col_price: Array | None = None, cols: Array | None = None
    ) -> Pairs: ...


class NotOptimalError(RuntimeError):
    """The flow solver failed, or returned a flow with a negative cycle (should not happen)."""


@dataclass(frozen=True, slots=True)
class Solution:
    """Each row's column (``-1`` when unmatched) and how it was found.

    `exact`: proven optimal over every allowed pair (false in approximate mode, or if pricing
    ever stopped at `MAX_ROUNDS`).
    """

    col_of: Array
    rounds: int
    lp_pairs: int
    exact: bool
    engine: str = "ortools_flow"


def weights(scores: Array, big: int) -> Array:
    """Return the integer weights ``big * SCALE + rint(score * SCALE)`` (int64)."""
    out: Array = big * SCALE + _quantised(scores)
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
    `pairs` only. Once a round adds few pairs, the next solves only the known pairs within
    `WORKING` of tight (the others are tested against its potentials like priced pairs).
    """
    capacity = np.asarray(capacity, dtype=np.int64)
    pairs = pairs.select(capacity[pairs.cols] > 0)
    big = min(n_rows, int(capacity.sum())) + 1
    bound = np.full(n_rows, -np.inf) if row_bound is None else row_bound
    pricing = None if scan is None else _Pricing(scan, capacity, big, bound)
    lp, rounds, proven = pairs, 0, row_bound is None  # nothing left out: no pricing needed
    while True:
        rounds += 1
        col_of = assign(lp, capacity, n_rows)
        if pricing is None or rounds >= MAX_ROUNDS:
            break
        u, v = potentials(lp, weights(lp.scores, big), col_of, capacity, n_rows)
        new = pricing.violators(pairs, u, v)
        left_out = len(pairs) - len(lp)  # known pairs this round did not solve
        pairs = Pairs.union([pairs, new], len(capacity)) if len(new) else pairs
        reduced = weights(pairs.scores, big) - u[pairs.rows] - v[pairs.cols]
        if not len(new) and not (left_out and np.any(reduced > 0)):
            proven = True
            break
        # near the optimum, the known pairs far from tight are left out of the next solve
        # (those that violate are within WORKING: they stay in)
        few = len(new) < FEW_NEW * len(pairs)
        lp = pairs.select(reduced > -WORKING * SCALE) if few else pairs
    return Solution(col_of, rounds, len(pairs), proven)


def assign(pairs: Pairs, capacity: Array, n_rows: int) -> Array:
    """Return each row's column (``-1``: unmatched): the most rows matched, then the top total.

    `pairs` must be sorted by (row, col) without duplicates, as `Pairs` are; ties are broken
    the same way for the same pairs (the solver is deterministic).
    """
    col_of = np.full(n_rows, -1, dtype=np.intp)
    if not len(pairs):
        return col_of
    n_cols = len(capacity)
    source, sink = n_rows + n_cols, n_rows + n_cols + 1
    rows = np.arange(n_rows)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(n_rows, source), pairs.rows, n_rows + np.arange(n_cols)]),
        np.concatenate([rows, n_rows + pairs.cols, np.full(n_cols, sink)]),
        np.concatenate([np.ones(n_rows + len(pairs), np.int64), capacity]).astype(np.int64),
        np.concatenate(
            [np.zeros(n_rows, np.int64), -_quantised(pairs.scores), np.zeros(n_cols, np.int64)]
        ),
    )
    flow.set_node_supply(source, n_rows)
    flow.set_node_supply(sink, -n_rows)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise NotOptimalError(f"the flow solver stopped with status {status}")
    used = flow.flows(n_rows + np.arange(len(pairs))) > 0
    col_of[pairs.rows[used]] = pairs.cols[used]
    return col_of


def _quantised(scores: Array) -> Array:
    """Return the integer scores ``rint(score * SCALE)`` (int64)."""
    out: Array = np.rint(np.asarray(scores, dtype=np.float64) * SCALE).astype(np.int64)
    return out


def potentials(
    pairs: Pairs, w: Array, col_of: Array, capacity: Array, n_rows: int
) -> tuple[Array, Array]:
    """Return int64 potentials ``u >= 0`` (rows), ``v >= 0`` (columns) certifying `col_of`.

    ``u_r + v_c >= w`` on every pair, with equality on the chosen pairs. Raises
    `NotOptimalError` when the residual graph has a negative cycle.

    A matched row's only way in is from its column (the chosen pair, reversed), so its
    distance is its column's plus the chosen weight: Bellman-Ford runs on the columns alone,
    each sweep relaxing only the arcs out of the columns whose distance fell in the last.
    """
    n_cols = len(capacity)
    chosen = col_of[pairs.rows] == pairs.cols
    load = np.bincount(col_of[col_of >= 0], minlength=n_cols)
    m_w = np.zeros(n_rows, dtype=np.int64)
    m_w[pairs.rows[chosen]] = w[chosen]
    inf = np.iinfo(np.int64).max // 4
    d_col = np.where(load > 0, 0, inf).astype(np.int64)  # root -> loaded column: 0
    rows, cols, weight = pairs.rows[~chosen], pairs.cols[~chosen], w[~chosen]
    start = col_of[rows]  # the column a row is reached from; -1: unmatched, from the root
    root = start < 0
    np.minimum.at(d_col, cols[root], -weight[root])  # root -> unmatched row -> column
    arcs = (start[~root], cols[~root], (m_w[rows] - weight)[~root])  # column -> row -> column
    d_col = _shortest(d_col, *arcs, n_cols)
    matched = np.flatnonzero(col_of >= 0)
    d_row = np.where(col_of < 0, 0, inf).astype(np.int64)
    reached = d_col[col_of[matched]] < inf
    d_row[matched[reached]] = d_col[col_of[matched[reached]]] + m_w[matched[reached]]
    # the root's own arcs (matched row -> root, free column -> root) must not undercut it
    if np.any(d_row[matched] < 0) or np.any(d_col[(load < capacity) & (d_col < inf)] < 0):
        raise NotOptimalError("the residual graph has a negative cycle through the root")
    u = np.maximum(np.where(d_row >= inf, 0, d_row), 0)
    v = np.maximum(-np.where(d_col >= inf, 0, d_col), 0)
    return u, v


def _shortest(dist: Array, src: Array, dst: Array, cost: Array, n: int) -> Array:
    """Return Bellman-Ford distances from `dist` over arcs ``src -> dst`` of `cost` (n nodes).

    Each sweep relaxes the arcs out of the nodes whose distance fell in the last one.
    Raises `NotOptimalError` on a negative cycle (no convergence in ``n + 1`` sweeps).
    """
    order = stable_order(src)
    src, dst, cost = src[order], dst[order], cost[order]
    first = np.searchsorted(src, np.arange(n + 1))  # node i's arcs: first[i]:first[i + 1]
    changed = np.flatnonzero(dist < np.iinfo(np.int64).max // 4)
    for _ in range(n + 2):
        if not len(changed):
            return dist
        count = first[changed + 1] - first[changed]
        # the positions of those nodes' arcs, run after run
        at = np.repeat(first[changed] - np.cumsum(count) + count, count) + np.arange(count.sum())
        new = dist.copy()
        np.minimum.at(new, dst[at], dist[src[at]] + cost[at])
        changed, dist = np.flatnonzero(new < dist), new
    raise NotOptimalError("the residual graph has a negative cycle")


class _Pricing:
    """Pricing scans that read again only where the thresholds fell since the last whole scan.

    A whole scan at row floors ``f`` and column prices ``p`` finds every allowed pair scoring
    at least ``f[r] - NEAR + p[c]``; a pair it did not find violates later potentials
    (``f'``, ``p'``) only if ``(f'[r] - f[r]) + (p'[c] - p[c]) < -NEAR``, so only if its row's
    floor or its column's price fell by more than ``NEAR / 2``. Later scans read those rows
    whole and those columns of the other rows. Found pairs that were not added stay pending
    and are tested again every round.
    """

    def __init__(self, scan: Scan, capacity: Array, big: int, row_bound: Array) -> None:
        self.scan, self.capacity, self.big, self.row_bound = scan, capacity, big, row_bound
        self.base: tuple[Array, Array, Array] | None = None  # floors, prices, rows scanned
        self.pending = Pairs.empty()

    def violators(self, known: Pairs, u: Array, v: Array) -> Pairs:
        """Return pairs outside `known` with a positive reduced cost ``w - u - v`` (and near ones).

        Nothing when none is positive: the potentials then hold for every allowed pair.
        """
        row_floor = u / SCALE - self.big  # a pair violates iff score > row_floor + v / SCALE
        found = Pairs.union([self._scan(row_floor, v / SCALE), self.pending], len(self.capacity))
        found = found.select(self.capacity[found.cols] > 0)
        keys = known.rows.astype(np.int64) * len(self.capacity) + known.cols
        new = ~member(found.rows.astype(np.int64) * len(self.capacity) + found.cols, keys)
        reduced = weights(found.scores, self.big) - u[found.rows] - v[found.cols]
        add = new & (reduced > -NEAR * SCALE)  # the violators and the near ones ...
        if not np.any(new & (reduced > 0)):  # ... unless none violates
            add[:] = False
        self.pending = found.select(new & ~add)
        return found.select(add)

    def _scan(self, row_floor: Array, price: Array) -> Pairs:
        """Return the pairs the scans find at these thresholds (a whole scan, or the changes)."""
        rows = self.row_bound > row_floor - EPS  # a row's left-out pairs score <= its bound
        if self.base is not None:
            floor, old_price, scanned = self.base
            whole = rows & (~scanned | (row_floor - floor < EPS - NEAR / 2))
            cols = np.flatnonzero(price - old_price < EPS - NEAR / 2)
            rest = rows & ~whole
            cells = np.count_nonzero(whole) * len(price) + np.count_nonzero(rest) * len(cols)
            if cells < RESCAN_SHARE * np.count_nonzero(rows) * len(price):  # else a new base
                at, other = np.flatnonzero(whole), np.flatnonzero(rest)
                parts = [Pairs.empty()]
                if len(at):
                    parts.append(self.scan(at, row_floor[at] - NEAR, price))
                if len(cols) and len(other):
                    parts.append(self.scan(other, row_floor[other] - NEAR, price, cols))
                return Pairs.union(parts, len(price))
        self.base = row_floor, price, rows
        at = np.flatnonzero(rows)
        return self.scan(at, row_floor[at] - NEAR, price) if len(at) else Pairs.empty()
