"""Exact optimum of a small problem over *all* its allowed pairs, without an LP.

Each target is expanded into `capacity` slots and each student gets a private "unmatched"
column; `scipy.sparse.csgraph.min_weight_full_bipartite_matching` then minimises
``sum(2 - score)`` over matched pairs plus ``2 * n + 5`` per unmatched student, whose optimum
is the most matches, then the largest total score. No pricing is needed: every allowed pair
is in the graph. It also spares importing `scipy.optimize` on small instances.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from ._pairs import Array, Pairs

MAX_CELLS = 1_500_000  # students x targets up to which the whole allowed graph is solved


def optimum(pairs: Pairs, capacity: Array, n_rows: int) -> Array:
    """Return each row's column (``-1`` when unmatched) for the lexicographic optimum."""
    pairs = pairs.select(capacity[pairs.cols] > 0)
    return solve_slots(pairs, 2.0 - pairs.scores, 2.0 * n_rows + 5, capacity, n_rows)


def solve_slots(
    pairs: Pairs, pair_cost: Array, unmatched_cost: float, capacity: Array, n_rows: int
) -> Array:
    """Minimise `pair_cost` over `pairs` with each column expanded into `capacity` slots.

    Every row also has a private "unmatched" column costing `unmatched_cost`, so a full
    matching always exists. Returns each row's column, ``-1`` when unmatched.
    """
    start = np.concatenate([[0], np.cumsum(capacity)])
    n_slots = int(start[-1])
    repeat = capacity[pairs.cols]
    first = np.cumsum(repeat) - repeat
    slot = (
        np.repeat(start[pairs.cols], repeat)
        + np.arange(int(repeat.sum()))
        - np.repeat(first, repeat)
    )
    rows = np.concatenate([np.repeat(pairs.rows, repeat), np.arange(n_rows)])
    cols = np.concatenate([slot, n_slots + np.arange(n_rows)])
    cost = np.concatenate(
        [
            np.repeat(np.asarray(pair_cost, dtype=np.float64), repeat),
            np.full(n_rows, unmatched_cost),
        ]
    )
    graph = sp.csr_array((cost, (rows, cols)), shape=(n_rows, n_slots + n_rows))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    owner = np.repeat(np.arange(len(capacity)), capacity)
    col_of = np.full(n_rows, -1, dtype=np.intp)
    real = col_ind < n_slots
    col_of[row_ind[real]] = owner[col_ind[real]]
    return col_of
