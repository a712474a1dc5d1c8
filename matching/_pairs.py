"""Sets of scored (student, target) pairs and the shortlist kept after a full scan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ._links import sort_keys
from ._reasons import Reason

Array = npt.NDArray[Any]


def member(values: Array, ascending: Array) -> Array:
    """Return which of `values` are in the sorted array `ascending` (``np.isin`` by bisection)."""
    if not len(ascending):
        return np.zeros(np.shape(values), dtype=bool)
    at = np.minimum(np.searchsorted(ascending, values), len(ascending) - 1)
    found: Array = ascending[at] == values
    return found


def stable_order(index: Array) -> Array:
    """Return ``np.argsort(index, kind="stable")`` of non-negative integers, fast.

    Below 2^16 the values are sorted as ``uint16``, where numpy's stable sort is a radix
    sort (linear) instead of a merge sort: the same order, 3-5x sooner.
    """
    if len(index) and index.min() >= 0 and index.max() < 1 << 16:
        index = index.astype(np.uint16)
    order: Array = np.argsort(index, kind="stable")
    return order


def first_of_each(keys: Array) -> Array:
    """Return ``np.unique(keys, return_index=True)[1]`` of non-negative int64 `keys`, fast.

    `sort_keys` gives the stable order several times sooner than the merge sort `np.unique`
    uses.
    """
    if not len(keys):
        return np.zeros(0, dtype=np.intp)
    order, ascending = sort_keys(keys)
    first: Array = order[np.r_[True, ascending[1:] != ascending[:-1]]].astype(np.intp)
    return first


def best_of_groups(groups: Array, scores: Array, skip: Array, n: int) -> Array:
    """Return indices of the best `n` entries of each group (highest scores), not skipped.

    Best first; ties are broken by the other side's index: the entries must be sorted by it
    within each group (pairs sorted by (row, col) are, both by row and by column), and every
    sort is stable. Groups come in ascending order.
    """
    keep = np.flatnonzero(~skip)
    if len(keep) and np.any(groups[keep][1:] < groups[keep][:-1]):
        keep = keep[stable_order(groups[keep])]
    grouped = groups[keep]  # ascending; within a group in the given order
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]]) if len(keep) else keep
    counts = np.diff(np.r_[starts, len(keep)])
    width = int(counts.max(initial=0))
    if len(starts) * width > 4 * len(keep) + (1 << 20):  # a few very long groups: sort all
        by_score = keep[np.argsort(-scores[keep], kind="stable")]
        order = by_score[stable_order(groups[by_score])]
        first = np.searchsorted(groups[order], groups[order], side="left")
        return order[np.arange(len(order)) - first < n]
    group_of = np.repeat(np.arange(len(starts)), counts)
    padded = np.full((len(starts), width), np.inf)  # -scores, one row per group
    padded[group_of, np.arange(len(keep)) - starts[group_of]] = -scores[keep]
    # the first n of a stable sort of each row: the first lowest, N times over
    # (argmin takes the first of equal values); a taken entry becomes padding (+inf), and
    # an entry found at +inf is padding: the group has no more
    top = np.zeros((len(starts), min(n, width)), dtype=np.intp)
    valid = np.zeros(top.shape, dtype=bool)
    groups_at = np.arange(len(starts))
    for rank in range(top.shape[1]):
        top[:, rank] = np.argmin(padded, axis=1)
        valid[:, rank] = padded[groups_at, top[:, rank]] < np.inf
        padded[groups_at, top[:, rank]] = np.inf
    best: Array = keep[(starts[:, None] + top)[valid]]
    return best


@dataclass(frozen=True, slots=True)
class Pairs:
    """Scored pairs sorted by (row, col), without duplicates; rows are students."""

    rows: Array  # intp
    cols: Array  # intp
    scores: Array  # float64

    @classmethod
    def empty(cls) -> Pairs:
        """Return a set of no pairs."""
        none = np.zeros(0, dtype=np.intp)
        return cls(none, none.copy(), np.zeros(0))

    @classmethod
    def union(cls, parts: list[Pairs], n_cols: int) -> Pairs:
        """Return the sorted union of `parts` (a pair's score is the same in every part)."""
        rows = np.concatenate([p.rows for p in parts])
        cols = np.concatenate([p.cols for p in parts])
        scores = np.concatenate([p.scores for p in parts])
        first = first_of_each(rows.astype(np.int64) * n_cols + cols)
        return cls(rows[first], cols[first], scores[first])

    def select(self, keep: Array) -> Pairs:
        """Return the pairs where the boolean `keep` is true."""
        return Pairs(self.rows[keep], self.cols[keep], self.scores[keep])

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True, slots=True)
class Shortlist:
    """The best pairs of every row and of every column, and bounds on all the others.

    Every feasible pair missing from `pairs` scores at most ``row_bound[row]`` and at most
    ``col_bound[col]`` (``-inf`` when nothing was left out).
    """

    pairs: Pairs
    row_bound: Array
    col_bound: Array


class Scorer(Protocol):
    """What the solver and the explanations need from profile scoring or explicit edges."""

    n_rows: int
    n_cols: int

    def shortlist(self, k_row: int, k_col: int) -> Shortlist:
        """Return each row's best `k_row` and each column's best `k_col` allowed pairs."""

    def scan(
        self, rows: Array, floor: Array, col_price: Array | None = None, cols: Array | None = None
    ) -> Pairs:
        """Return every allowed pair of `rows` scoring at least ``floor`` (one per row).

        With `col_price`, the threshold of pair (r, c) is ``floor[r] + col_price[c]``; with
        `cols` (sorted), only pairs of those columns.
        """

    def contributions(self, rows: Array, cols: Array) -> Array:
        """Return each pair's weighted criterion contributions, shape ``(k, criteria)``."""

    def score(self, rows: Array, cols: Array) -> Array:
        """Return each pair's score (NaN for a pair that is not even listed)."""

    def problem(self, row: int, col: int) -> Reason | None:
        """Return the hard rule a pair breaks (code and words), or None."""

    def reasons(self, rows: Array, full: Array) -> list[Reason]:
        """Return why each of `rows` has no partner, given which columns are `full`."""
