"""Building blocks for Python callers: profiles -> score matrix, score matrix -> assignment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from ._edges import EdgeScorer
from ._flow import optimum
from ._pairs import Pairs, Scorer
from ._profile import ProfileScorer
from ._schema import parse

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class ScoreMatrix:
    """Dense scores of every student with every mentor (or project) of an instance.

    Attributes
    ----------
    students, targets : tuple of str
        Row and column ids.
    scores : ndarray, shape (n_students, n_targets)
        Each pair's score; NaN where the pair is not allowed (a hard rule, a forbidden pair,
        under ``min_score``, or not a listed edge).
    breakdown : ndarray, shape (n_students, n_targets, n_criteria)
        Weighted contributions (empty last axis in edges mode); they add up to the score.
    capacity : ndarray of int, shape (n_targets,)
        Each target's capacity.
    """

    students: tuple[str, ...]
    targets: tuple[str, ...]
    scores: FloatArray
    breakdown: FloatArray
    capacity: IntArray


def score_matrix(
    instance: Mapping[str, Any], kind: Literal["mentor", "project"] = "mentor"
) -> ScoreMatrix:
    """Score every student against every mentor (or project) of `instance`.

    Dense: meant for small instances (``n_students * n_targets * 8`` bytes per criterion);
    `solve` never builds this matrix. Pins are ignored here.

    Examples
    --------
    >>> inst = {"as_of": "2026-09-01", "students": [{"id": "s1", "grade": 9,
    ...         "minor": False, "languages": ["en"], "availability": ["mon-pm"]}],
    ...         "mentors": [{"id": "m1", "capacity": 1, "grades": [9, 12],
    ...         "languages": ["en"], "availability": ["mon-pm"]}]}
    >>> m = score_matrix(inst)
    >>> m.scores.shape, round(float(m.scores[0, 0]), 4)
    ((1, 1), 0.375)
    """
    inst = parse(instance)
    side = inst.sides[0 if kind == "mentor" else 1]
    scorer: Scorer = EdgeScorer(inst, side) if side.edges is not None else ProfileScorer(inst, side)
    n, m = scorer.n_rows, scorer.n_cols
    rows, cols = (a.ravel() for a in np.meshgrid(np.arange(n), np.arange(m), indexing="ij"))
    contrib = scorer.contributions(rows, cols)
    scores = np.full(n * m, np.nan)
    allowed = scorer.scan(np.arange(n), np.full(n, -np.inf))
    scores[allowed.rows * m + allowed.cols] = allowed.scores
    capacity = np.array([t.capacity for t in side.targets], dtype=np.intp)
    return ScoreMatrix(
        tuple(s.id for s in inst.students),
        tuple(t.id for t in side.targets),
        scores.reshape(n, m),
        contrib.reshape(n, m, contrib.shape[1]),
        capacity,
    )


def assign(scores: npt.ArrayLike, capacity: npt.ArrayLike) -> IntArray:
    """Return the lexicographic optimum of a score matrix: most matches, then total score.

    Parameters
    ----------
    scores : array_like, shape (n_students, n_targets)
        Scores in [0, 1]; NaN marks a pair that is not allowed.
    capacity : array_like of int, shape (n_targets,)
        How many students each target takes (>= 0).

    Returns
    -------
    ndarray of int, shape (n_students,)
        Each student's target column, ``-1`` when unmatched.

    Examples
    --------
    >>> assign([[0.9, 0.8], [0.7, np.nan]], [1, 1]).tolist()
    [1, 0]
    """
    matrix = np.asarray(scores, dtype=np.float64)
    cap = np.asarray(capacity)
    if matrix.ndim != 2 or cap.shape != (matrix.shape[1],):
        raise ValueError("scores must be 2-D and capacity must have one entry per column")
    allowed = ~np.isnan(matrix)
    if np.any((matrix[allowed] < 0) | (matrix[allowed] > 1)):
        raise ValueError("scores must be in [0, 1] (NaN for a pair that is not allowed)")
    if cap.dtype.kind not in "iu" or np.any(cap < 0):
        raise ValueError("capacity must be integers >= 0")
    rows, cols = np.nonzero(allowed)
    pairs = Pairs(rows.astype(np.intp), cols.astype(np.intp), matrix[rows, cols])
    return optimum(pairs, cap.astype(np.int64), matrix.shape[0]).col_of
