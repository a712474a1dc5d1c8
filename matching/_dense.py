"""The exact lexicographic optimum of a school-size side: scipy's linear assignment.

Every allowed pair goes into a dense matrix of students x target *slots* (each target
repeated as many times as it has free places, at most as many as the students it can take).
An allowed pair weighs ``w = C * SCALE + q`` with ``q = rint(score * SCALE)`` and
``C = min(students, slots) + 1`` (the same integers as the flow path, `_flow.weights`): one
more match is worth more than any gain in score, so the maximum-weight assignment is the
lexicographic optimum (most matched, then the largest total). A pair that is not allowed
weighs 0 and means "unmatched". The weights are integers below ``2^43``, exact in float64,
and so are the solver's sums of a few of them. `scipy.optimize.linear_sum_assignment`
(shortest augmenting paths, Jonker-Volgenant style) solves it exactly and deterministically.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._flow import Solution, weights
from ._pairs import Array, Pairs

ENGINE = "scipy_lsa"
# The sides this engine solves (`_solve` asks `fits`): at most this many students to match,
# and at most this many cells students x slots (an upper bound taken before scoring).
MAX_STUDENTS = 2_000
MAX_CELLS = 8_000_000  # 64 MB of float64


def __getattr__(name: str) -> Any:
    """Import scipy's solver on first use: ``scipy.optimize`` costs 0.3-0.45 s to import.

    Only this engine (school-size sides) needs it, so ``import matching`` and every larger
    run leave it out; ``_dense.linear_sum_assignment`` is the solver once imported.
    """
    if name != "linear_sum_assignment":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from scipy.optimize import linear_sum_assignment

    globals()[name] = linear_sum_assignment
    return linear_sum_assignment


def solver() -> Any:
    """Return scipy's `linear_sum_assignment` (``_dense.linear_sum_assignment``), imported once."""
    return globals().get("linear_sum_assignment") or __getattr__("linear_sum_assignment")


def fits(n_students: int, free: Array) -> bool:
    """Return whether a side with `n_students` to match and `free` places is solved here."""
    slots = int(np.minimum(free, n_students).sum())
    return n_students <= MAX_STUDENTS and n_students * slots <= MAX_CELLS


def slot_matrix(pairs: Pairs, capacity: Array) -> tuple[Array, Array, Array]:
    """Return (weights, row of each matrix row, target of each slot column) of `pairs`."""
    rows, r_idx = _used(pairs.rows)
    cols, c_idx = _used(pairs.cols)
    slots = np.minimum(capacity[cols], np.bincount(c_idx, minlength=len(cols)))
    big = min(len(rows), int(slots.sum())) + 1
    compact = np.zeros((len(rows), len(cols)))
    compact[r_idx, c_idx] = weights(pairs.scores, big)
    return np.repeat(compact, slots, axis=1), rows, np.repeat(cols, slots)


def _used(index: Array) -> tuple[Array, Array]:
    """Return the distinct values of `index`, sorted, and each entry's position among them."""
    present = np.zeros(int(index.max(initial=-1)) + 1, dtype=np.intp)
    present[index] = 1
    position = np.cumsum(present) - 1
    return np.flatnonzero(present), position[index]


def optimum(pairs: Pairs, capacity: Array, n_rows: int) -> Solution:
    """Return the lexicographic optimum over every pair of `pairs` (all the allowed pairs)."""
    capacity = np.asarray(capacity, dtype=np.int64)
    pairs = pairs.select(capacity[pairs.cols] > 0)
    col_of = np.full(n_rows, -1, dtype=np.intp)
    if len(pairs):
        matrix, rows, owner = slot_matrix(pairs, capacity)
        row_ind, col_ind = solver()(matrix, maximize=True)
        real = matrix[row_ind, col_ind] > 0
        col_of[rows[row_ind[real]]] = owner[col_ind[real]]
    return Solution(col_of, 1, len(pairs), True, ENGINE)
