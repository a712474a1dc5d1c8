"""Explicit scores (``edges`` mode): only listed pairs are feasible, with the listed scores."""

from __future__ import annotations

import numpy as np

from . import _reasons
from ._pairs import Array, Pairs, Shortlist, best_of_groups, member
from ._reasons import Reason
from ._schema import Instance, Side


class EdgeScorer:
    """The `Scorer` of an instance in edges mode, for the mentors or projects of `side`."""

    def __init__(self, instance: Instance, side: Side) -> None:
        self.instance, self.side = instance, side
        self.n_rows, self.n_cols = len(instance.students), len(side.targets)
        edges = side.edges  # sorted by (student, target), no duplicates: as `Pairs` are
        self._listed = (
            Pairs(edges.students, edges.targets, edges.scores)
            if edges is not None
            else Pairs.empty()
        )
        self._keys = self._key(self._listed.rows, self._listed.cols)
        forbidden = [self._key(f.student, f.target) for f in side.forbidden]
        self._open = ~member(self._keys, np.sort(np.array(forbidden, dtype=np.int64)))
        self._high = self._listed.scores >= instance.min_score
        self._allowed = self._listed.select(self._open & self._high)

    def _key(self, rows: Array | int, cols: Array | int) -> Array:
        """Return the sort key of pairs."""
        return np.asarray(rows, dtype=np.int64) * self.n_cols + cols

    def shortlist(self, k_row: int, k_col: int) -> Shortlist:
        """Return each row's best `k_row` and each column's best `k_col` allowed edges.

        The bounds are the best score each row (column) leaves out, ``-inf`` when none.
        """
        p = self._allowed
        skip = np.zeros(len(p), dtype=bool)
        keep = skip.copy()
        keep[best_of_groups(p.rows, p.scores, skip, k_row)] = True
        keep[best_of_groups(p.cols, p.scores, skip, k_col)] = True
        row_bound, col_bound = np.full(self.n_rows, -np.inf), np.full(self.n_cols, -np.inf)
        np.maximum.at(row_bound, p.rows[~keep], p.scores[~keep])
        np.maximum.at(col_bound, p.cols[~keep], p.scores[~keep])
        return Shortlist(p.select(keep), row_bound, col_bound)

    def scan(
        self, rows: Array, floor: Array, col_price: Array | None = None, cols: Array | None = None
    ) -> Pairs:
        """Return every allowed edge of `rows` scoring at least ``floor`` (one per row).

        With `col_price`, the threshold of pair (r, c) is ``floor[r] + col_price[c]``; with
        `cols`, only edges to those columns.
        """
        at = np.full(self.n_rows, np.inf)
        at[rows] = floor
        pairs = self._allowed
        if cols is not None:
            pairs = pairs.select(member(pairs.cols, cols))
        price = 0.0 if col_price is None else col_price[pairs.cols]
        return pairs.select(pairs.scores >= at[pairs.rows] + price)

    def contributions(self, rows: Array, cols: Array) -> Array:
        """Return no criteria: an explicit score has no breakdown."""
        return np.zeros((len(rows), 0))

    def score(self, rows: Array, cols: Array) -> Array:
        """Return each pair's listed score, NaN when the pair is not listed."""
        keys = self._key(rows, cols)
        at = np.clip(np.searchsorted(self._keys, keys), 0, max(len(self._keys) - 1, 0))
        found = (self._keys[at] == keys) if len(self._keys) else np.zeros(len(keys), bool)
        return np.where(found, self._listed.scores[at] if len(self._keys) else 0.0, np.nan)

    def problem(self, row: int, col: int) -> Reason | None:
        """Return why the pair is not feasible, or None when it is listed."""
        if np.isnan(self.score(np.array([row]), np.array([col]))[0]):
            student, target = self.instance.students[row], self.side.targets[col]
            return Reason("not_listed_edge", f"{student.id} and {target.id} are not a listed edge")
        return None

    def reasons(self, rows: Array, full: Array) -> list[Reason]:
        """Return why each of `rows` has no partner, from counts of its edges."""
        listed = self._listed.rows
        steps = [np.ones(len(listed), bool), self._open, self._open & self._high]
        steps.append(steps[-1] & ~full[self._listed.cols])
        table = np.stack([np.bincount(listed[m], minlength=self.n_rows) for m in steps], axis=1)
        kind, low = self.side.kind, self.instance.min_score
        return [_reasons.edges(kind, table[r], low) for r in rows.tolist()]
