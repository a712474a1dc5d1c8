"""Scoring from profiles: dense ``float32`` blocks of students x targets, exact pairs in float64.

Blocks of rows are scored in a thread pool (numpy and BLAS release the GIL); a block is about
`BLOCK_CELLS` cells so memory stays flat whatever the instance size.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from . import _reasons, _topk
from ._criteria import MODALITY_SCORE, grade, language, overlap
from ._features import Array, Features, encode
from ._pairs import Pairs, Shortlist
from ._schema import Instance, Side

BLOCK_CELLS = 1 << 21
MARGIN = 1e-5  # bounds |float32 score - float64 score| with room to spare
# The shortlist scan keeps a uint8 upper bound of every score when students x targets is at
# most this many cells (1 byte each), so later scans (pricing) test bounds, not rescore.
STORE_CELLS = 1 << 28
_STEPS = 254  # code 0: not allowed; 1..254: score <= (code - 1) / 254; 255: no bound
_UB = np.concatenate([[-np.inf], np.arange(_STEPS) / _STEPS, [np.inf]])
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Counts:
    """Shared interests, goals, slots and languages, and first-language hits."""

    interests: Array
    goals: Array
    slots: Array
    langs: Array
    first: Array


class ProfileScorer:
    """Scores the students of `instance` against the mentors or projects of `side`."""

    def __init__(self, instance: Instance, side: Side, *, threads: int | None = None) -> None:
        self.instance, self.side = instance, side
        self.n_rows, self.n_cols = len(instance.students), len(side.targets)
        self.s, self.t = encode(instance.students, side.targets)
        self._t32 = self.t.expanded(0)
        self._tT = [
            np.ascontiguousarray(a.T)
            for a in (self.t.interests, self.t.goals, self.t.slots, self.t.langs)
        ]
        weights = np.array(instance.weights, dtype=np.float64)
        self.w64 = weights / weights.sum()
        self.w32 = self.w64.astype(np.float32)
        forbidden = sorted((f.student, f.target) for f in side.forbidden)
        self._forbidden = np.array(forbidden, dtype=np.intp).reshape(-1, 2)
        self._rows_per_block = int(np.clip(BLOCK_CELLS // max(self.n_cols, 1), 8, 4096))
        self._threads = threads or min(2, os.cpu_count() or 1)
        self._ub: Array | None = None  # uint8 score bounds, kept by `shortlist`

    # -- dense blocks -------------------------------------------------------------------
    def _blocks(self, rows: Array) -> list[Array]:
        """Split sorted `rows` into blocks."""
        return np.array_split(rows, max(1, -(-len(rows) // self._rows_per_block)))

    def _map(self, fn: Callable[[Array], T], blocks: list[Array]) -> Iterator[T]:
        """Map `fn` over `blocks` in order, in threads when there is more than one block."""
        if len(blocks) < 2 or self._threads < 2:
            yield from map(fn, blocks)
            return
        with ThreadPoolExecutor(self._threads) as pool:
            yield from pool.map(fn, blocks)

    def _block_parts(self, rows: Array) -> tuple[Features, Features, _Counts]:
        """Return broadcastable features and counts for `rows` x all targets."""
        sub = self.s.take(rows)
        ti, tg, ts, tl = self._tT
        counts = _Counts(
            sub.interests @ ti, sub.goals @ tg, sub.slots @ ts, sub.langs @ tl, tl[sub.first_lang]
        )
        return sub.expanded(1), self._t32, counts

    def _rules(self, s: Features, t: Features, c: _Counts) -> list[tuple[str, Array]]:
        """Return (rule, mask of pairs passing it) for each hard rule in use, in order."""
        rules = [
            ("grade", (s.low >= t.low) & (s.low <= t.high)),
            ("modality", MODALITY_SCORE[s.modality, t.modality] > 0),
        ]
        if self.instance.require_language:
            rules.append(("language", (c.langs > 0) | t.any_language))
        rules.append(("check", s.cleared | t.cleared))
        if self.instance.require_slot:
            rules.append(("slot", c.slots > 0))
        return rules

    def _criteria(self, s: Features, t: Features, c: _Counts, dtype: Any) -> list[Array]:
        """Return the criteria values in `NAMES` order."""
        return [
            overlap(c.interests, s.inv_interests, t.inv_interests),
            c.goals * s.inv_goals,
            overlap(c.slots, s.inv_slots, t.inv_slots),
            MODALITY_SCORE.astype(dtype)[s.modality, t.modality],
            language(c.first, c.langs, t.any_language),
            grade(s.low, t.low, t.high),
            s.area == t.area,
        ]

    def _block(self, rows: Array) -> Array:
        """Return the ``float32`` scores of `rows` x all targets, ``-1`` where not allowed."""
        s, t, c = self._block_parts(rows)
        score = np.zeros((len(rows), self.n_cols), dtype=np.float32)
        for w, crit in zip(self.w32, self._criteria(s, t, c, np.float32), strict=True):
            if w:
                score += w * crit
        ok = np.logical_and.reduce([mask for _, mask in self._rules(s, t, c)])
        ok &= score >= self.instance.min_score - MARGIN
        score[~ok] = -1.0
        score[self._forbidden_in(rows)] = -1.0
        return score

    def _forbidden_in(self, rows: Array) -> tuple[Array, Array]:
        """Return block positions (row, col) of the forbidden pairs among sorted `rows`."""
        f_rows, f_cols = self._forbidden[:, 0], self._forbidden[:, 1]
        inside = np.isin(f_rows, rows)
        return np.searchsorted(rows, f_rows[inside]), f_cols[inside]

    # -- the Scorer protocol ------------------------------------------------------------
    def shortlist(self, k_row: int, k_col: int) -> Shortlist:
        """Return each row's best `k_row` and each column's best `k_col` allowed pairs."""
        blocks = self._blocks(np.arange(self.n_rows))
        store = self.n_rows * self.n_cols <= STORE_CELLS
        ub = np.zeros((self.n_rows, self.n_cols), np.uint8) if store else None

        def top(rows: Array) -> tuple[Array, Array, Array, tuple[Array, Array]]:
            block = self._block(rows)
            if ub is not None:  # rows are a contiguous range
                ub[rows[0] : rows[-1] + 1] = _codes(block)
            r, c, bound = _topk.row_top(block, k_row)
            return rows[r], c, bound, _topk.col_top(block, rows, k_col)

        rows, cols, bounds, col_best = [], [], [], None
        for r, c, bound, ctop in self._map(top, blocks):
            rows.append(r)
            cols.append(c)
            bounds.append(bound)
            col_best = _topk.merge_col_top(col_best, ctop, k_col)
        empty = (np.zeros((0, self.n_cols), np.float32), np.zeros((0, self.n_cols), np.intp))
        self._ub = ub
        c_rows, c_cols, c_bound = _topk.split_col_top(col_best or empty, k_col)
        all_rows, all_cols = np.concatenate([*rows, c_rows]), np.concatenate([*cols, c_cols])
        found = Pairs.union([Pairs(all_rows, all_cols, np.zeros(len(all_rows)))], self.n_cols)
        pairs = self._exact(found.rows, found.cols, None)
        return Shortlist(pairs, _bound(np.concatenate(bounds)), _bound(c_bound))

    def _exact(self, rows: Array, cols: Array, floor: Array | None) -> Pairs:
        """Return the pairs with their float64 scores, dropping those below the minimum."""
        scores = self.score(rows, cols)
        keep = scores >= self.instance.min_score
        if floor is not None:
            keep &= scores >= floor
        return Pairs(rows[keep], cols[keep], scores[keep])

    def scan(self, rows: Array, floor: Array, col_price: Array | None = None) -> Pairs:
        """Return every allowed pair of `rows` scoring at least ``floor`` (one per row).

        With `col_price`, the threshold of pair (r, c) is ``floor[r] + col_price[c]``.
        """
        order = np.argsort(rows, kind="stable")
        rows, floor = rows[order], np.asarray(floor, dtype=np.float64)[order]
        blocks = self._blocks(np.arange(len(rows)))

        def keep(pos: Array) -> tuple[Array, Array]:
            if self._ub is not None:  # stored bounds: a superset, filtered exactly below
                codes = self._ub[rows[pos]]
                thr = floor[pos, None] - MARGIN
                if col_price is not None:
                    thr = thr + col_price[None, :]
                r, c = np.nonzero((codes > 0) & (_UB[codes] >= thr))
                return pos[r], c
            block = self._block(rows[pos])
            if col_price is None:
                ok = block >= floor[pos, None] - MARGIN
            else:  # float64 thresholds: prices can be large
                ok = block >= (floor[pos, None] - MARGIN) + col_price[None, :]
            r, c = np.nonzero(ok & (block >= 0))
            return pos[r], c

        found = list(self._map(keep, blocks))
        pos = np.concatenate([p for p, _ in found] or [np.zeros(0, np.intp)])
        cols = np.concatenate([c for _, c in found] or [np.zeros(0, np.intp)])
        if col_price is None:
            return self._exact(rows[pos], cols, floor[pos])
        pairs = self._exact(rows[pos], cols, None)
        at = np.searchsorted(rows, pairs.rows)
        return pairs.select(pairs.scores >= floor[at] + col_price[pairs.cols] - MARGIN)

    def contributions(self, rows: Array, cols: Array) -> Array:
        """Return the float64 weighted contributions, shape ``(len(rows), 7)``."""
        out = np.zeros((len(rows), len(self.w64)))
        for start in range(0, len(rows), 1 << 15):
            part = slice(start, start + (1 << 15))
            s, t = self.s.take(rows[part]), self.t.take(cols[part])
            crit = self._criteria(s, t, _pair_counts(s, t), np.float64)
            out[part] = np.stack([w * c for w, c in zip(self.w64, crit, strict=True)], axis=1)
        return out

    def score(self, rows: Array, cols: Array) -> Array:
        """Return each pair's score: its contributions added in criterion order."""
        contrib = self.contributions(rows, cols)
        total = np.zeros(len(rows))
        for j in range(contrib.shape[1]):
            total += contrib[:, j]
        return total

    def problem(self, row: int, col: int) -> str | None:
        """Return the hard rule that the pair breaks, in words, or None."""
        s, t = self.s.take(np.array([row])), self.t.take(np.array([col]))
        for name, mask in self._rules(s, t, _pair_counts(s, t)):
            if not mask[0]:
                return _reasons.broken(
                    name, self.instance.students[row], self.side.targets[col], self.side.kind
                )
        return None

    def reasons(self, rows: Array, full: Array) -> list[str]:
        """Return why each of `rows` has no partner, given which columns are `full`."""
        order = np.argsort(rows, kind="stable")
        rows = rows[order]

        def counts(block_rows: Array) -> tuple[list[str], Array]:
            s, t, c = self._block_parts(block_rows)
            allowed = np.ones((len(block_rows), self.n_cols), dtype=bool)
            steps = [("all", allowed.copy()), *self._rules(s, t, c)]
            allowed[self._forbidden_in(block_rows)] = False
            steps += [
                ("forbidden", allowed),
                ("min_score", self._block(block_rows) >= 0),
                ("full", ~full[None, :]),
            ]
            cum = np.ones((len(block_rows), self.n_cols), dtype=bool)
            out = []
            for _, mask in steps:
                cum &= mask
                out.append(cum.sum(axis=1))
            return [name for name, _ in steps], np.stack(out, axis=1)

        found = list(self._map(counts, self._blocks(rows)))
        names = found[0][0] if found else []
        table = np.concatenate([t for _, t in found]) if found else np.zeros((0, 0))
        students, out = self.instance.students, [""] * len(rows)
        for i, r in enumerate(rows):
            out[order[i]] = _reasons.profile(
                self.side.kind, students[r], names, table[i], self.instance.min_score
            )
        return out


def _pair_counts(s: Features, t: Features) -> _Counts:
    """Return the counts of pairs (row i of `s` with row i of `t`)."""

    def dot(a: Array, b: Array) -> Array:
        out: Array = np.einsum("ij,ij->i", a, b).astype(np.float64)
        return out

    first = t.langs[np.arange(len(t.langs)), s.first_lang].astype(np.float64)
    return _Counts(
        dot(s.interests, t.interests),
        dot(s.goals, t.goals),
        dot(s.slots, t.slots),
        dot(s.langs, t.langs),
        first,
    )


def _codes(block: Array) -> Array:
    """Return uint8 codes whose `_UB` value is at least each float64 score (0: not allowed)."""
    code = np.ceil((block + np.float32(2 * MARGIN)) * np.float32(_STEPS)) + 1
    out: Array = np.where(block >= 0, np.clip(code, 1, _STEPS + 1), 0).astype(np.uint8)
    return out


def _bound(values: Array) -> Array:
    """Turn ``float32`` next-best scores into float64 upper bounds (``-inf``: none left)."""
    out: Array = np.where(values >= 0, values.astype(np.float64) + MARGIN, -np.inf)
    return out
