"""Scoring from profiles: dense ``float32`` blocks of students x targets, exact pairs in float64.

A block is scored a few rows (a tile) at a time with row gathers and in-place arithmetic: tag
counts add a few ``uint8`` rows (`Tags`), and what depends on a student only through a small
category (modality, languages, grade, area and check) comes from per-target tables (`Table`),
where a broken hard rule is `NOT_ALLOWED`. The scores are bit for bit the weighted criteria
added in `NAMES` order, as plain broadcast arithmetic gives them. Blocks of about
`BLOCK_CELLS` cells (their bounds decide which of equal scores a selection keeps) run in a
thread pool: numpy releases the GIL.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

from . import _reasons, _topk
from ._criteria import MODALITY_SCORE, grade, language, overlap
from ._features import Array, Coded, Counts, Features, category_tables, encode, size_tables
from ._pairs import Pairs, Shortlist, best_of_groups, member
from ._reasons import Reason
from ._rules import RULES, rule_names
from ._schema import Instance, Side
from ._tags import Tags
from ._topk import MARGIN

BLOCK_CELLS = 1 << 21
# scored at once: 2^17 cells fit a core's cache better (6 % less CPU), but the scorer's two
# threads then hold the GIL so often between short numpy calls that they gain little
TILE_CELLS = 1 << 18
# The shortlist scan keeps a uint8 upper bound of every score when students x targets is at
# most this many cells (1 byte each: 833 MB at 50,000 x 16,666), so later scans (pricing)
# test bounds, not rescore.
STORE_CELLS = 1 << 30
PILOT_STRIDE = 16  # every 16th student is scored first, for the columns' floors
T = TypeVar("T")


class ProfileScorer:
    """Scores the students of `instance` against the mentors or projects of `side`."""

    def __init__(
        self,
        instance: Instance,
        side: Side,
        *,
        threads: int | None = None,
        coded: Coded | None = None,
    ) -> None:
        """Encode the profiles (`coded`: the students' words, when another side coded them)."""
        self.instance, self.side = instance, side
        self.n_rows, self.n_cols = len(instance.students), len(side.targets)
        self.s, self.t = encode(
            instance.students, side.targets, instance.require_training, coded=coded
        )
        self._tT = [
            np.ascontiguousarray(a.T)
            for a in (self.t.interests, self.t.goals, self.t.slots, self.t.langs)
        ]
        weights = np.array(instance.weights, dtype=np.float64)
        self.w64 = weights / weights.sum()
        self.w32 = self.w64.astype(np.float32)
        matrices = (self.s.interests, self.s.goals, self.s.slots, self.s.langs)
        self._tags = [Tags(a, b) for a, b in zip(matrices, self._tT, strict=True)]
        self._sizes = size_tables(self.s, self.t)
        self._tables = category_tables(self.s, self.t, self.w32, instance.require_language)
        forbidden = sorted((f.student, f.target) for f in side.forbidden)
        self._forbidden = np.array(forbidden, dtype=np.intp).reshape(-1, 2)
        self._rows_per_block = int(np.clip(BLOCK_CELLS // max(self.n_cols, 1), 8, 4096))
        self._threads = threads or min(2, os.cpu_count() or 1)
        self._ub: Array | None = None  # uint8 score bounds, kept by `shortlist`

    @property
    def bounds(self) -> Array | None:
        """The stored ``uint8`` score bounds, students x targets (`_topk.codes`), or None.

        Kept by `shortlist` when the instance is small enough (`STORE_CELLS`); 0 exactly
        where a pair is not allowed.
        """
        return self._ub

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

    def _rule_names(self) -> list[str]:
        """Return the hard rules in use, in order."""
        inst = self.instance
        return rule_names(inst.require_language, inst.require_training, inst.require_slot)

    def _rules(self, s: Features, t: Features, c: Counts) -> list[tuple[str, Array]]:
        """Return (rule, mask of pairs passing it) for each hard rule in use, in order."""
        return [(name, RULES[name].test(s, t, c)) for name in self._rule_names()]

    def _criteria(self, s: Features, t: Features, c: Counts) -> list[Array]:
        """Return the float64 criteria values of pairs in `NAMES` order."""
        return [
            overlap(c.interests, s.inv_interests, t.inv_interests),
            c.goals * s.inv_goals,
            overlap(c.slots, s.inv_slots, t.inv_slots),
            MODALITY_SCORE[s.modality, t.modality],
            language(c.first, c.langs, t.any_language),
            grade(s.low, t.low, t.high),
            s.area == t.area,
        ]

    def _tiles(self, rows: Array) -> Iterator[tuple[slice, Array, Array]]:
        """Yield (positions in `rows`, scores, shared slots) of a few rows x all targets.

        Scores are ``-1`` where a pair is not allowed. The arrays are reused by the next tile.
        `rows` must be sorted.
        """
        step = max(1, TILE_CELLS // max(self.n_cols, 1))
        shape = (min(step, len(rows)), self.n_cols)
        acc, tmp, cnt = (np.empty(shape, np.float32) for _ in "atc")
        work = (np.empty(shape, np.uint8), np.empty(shape, np.uint8))
        w, (interests, goals, slots, _) = self.w32, self._tags
        inv_goals = self.s.inv_goals[rows].astype(np.float32)[:, None]
        (mi, i_idx), (ms, s_idx) = (table.rows(rows) for table in self._sizes)
        tails = [table.rows(rows) for table in self._tables]
        f_rows, f_cols = self._forbidden_in(rows)
        threshold = np.float32(self.instance.min_score - MARGIN)
        for lo in range(0, len(rows), step):
            part = slice(lo, min(lo + step, len(rows)))
            n = part.stop - lo
            a, t, c, wk = acc[:n], tmp[:n], cnt[:n], (work[0][:n], work[1][:n])
            interests.count(rows[part], a, wk)
            a *= np.take(mi, i_idx[part], axis=0, out=t, mode="clip")
            a *= w[0]
            goals.count(rows[part], t, wk)
            t *= inv_goals[part]
            t *= w[1]
            a += t
            slots.count(rows[part], c, wk)
            t = np.take(ms, s_idx[part], axis=0, out=t, mode="clip")
            t *= c
            t *= w[2]
            a += t
            for table, index in tails:
                a += np.take(table, index[part], axis=0, out=t, mode="clip")
            np.greater_equal(a, threshold, out=t)  # 1: kept, 0: not allowed
            if self.instance.require_slot:
                np.minimum(t, c, out=t)
            a *= t
            t -= 1
            a += t
            inside = (f_rows >= lo) & (f_rows < part.stop)
            a[f_rows[inside] - lo, f_cols[inside]] = -1.0
            yield part, a, c

    def _forbidden_in(self, rows: Array) -> tuple[Array, Array]:
        """Return block positions (row, col) of the forbidden pairs among sorted `rows`."""
        f_rows, f_cols = self._forbidden[:, 0], self._forbidden[:, 1]
        inside = member(f_rows, rows)
        return np.searchsorted(rows, f_rows[inside]), f_cols[inside]

    # -- the Scorer protocol ------------------------------------------------------------
    def shortlist(self, k_row: int, k_col: int) -> Shortlist:
        """Return each row's best `k_row` and each column's best `k_col` allowed pairs.

        A column's best are taken by score, then by row (the lowest first), among the pairs
        reaching its `_col_floor`: the same pairs whatever the blocks.
        """
        blocks = self._blocks(np.arange(self.n_rows))
        store = self.n_rows * self.n_cols <= STORE_CELLS
        ub = np.zeros((self.n_rows, self.n_cols), np.uint8) if store else None
        floor = self._col_floor(k_col)

        def top(rows: Array) -> list[Array]:
            # each row's best (rows, cols, next best) and the pairs above the columns' floors
            # (rows, cols, scores)
            found: list[list[Array]] = [[] for _ in range(6)]
            for part, score, _ in self._tiles(rows):
                if ub is not None:  # rows are a contiguous range
                    _topk.codes(score, ub[rows[part.start] : rows[part.stop - 1] + 1])
                r, c, bound = _topk.row_top(np.negative(score), k_row)
                high, c_high = _topk.where(score >= floor)
                got = (r + part.start, c, bound, high + part.start, c_high, score[high, c_high])
                for into, array in zip(found, got, strict=True):
                    into.append(array)
            out = [np.concatenate(x) for x in found]
            out[0], out[3] = rows[out[0]], rows[out[3]]
            if len(out[4]) > (k_col + 1) * self.n_cols:  # many ties at the floors
                # each column's best k_col + 1 of the block: they hold its best of all
                best = best_of_groups(out[4], out[5], np.zeros(len(out[4]), bool), k_col + 1)
                out[3:] = [a[np.sort(best)] for a in out[3:]]  # still by row
            return out

        parts = list(self._map(top, blocks))
        self._ub = ub
        rows, cols, bounds, n_rows, n_cols, n_scores = (
            np.concatenate(x) for x in zip(*parts, strict=True)
        )
        c_rows, c_cols, c_bound = self._col_top(n_rows, n_cols, n_scores, k_col)
        found = Pairs.union(
            [Pairs(np.r_[rows, c_rows], np.r_[cols, c_cols], np.zeros(len(rows) + len(c_rows)))],
            self.n_cols,
        )
        pairs = self._exact(found.rows, found.cols, None)
        return Shortlist(pairs, _topk.upper_bounds(bounds), _topk.upper_bounds(c_bound))

    def _col_floor(self, k_col: int) -> Array:
        """Return a float32 floor per column that each column's best ``k_col + 1`` reach.

        The ``(k_col + 1)``-th best score of the column among every `PILOT_STRIDE`-th row
        (0 when there are fewer allowed): the column's ``k_col + 1`` best among all rows score
        at least that, so only pairs at or above it need to be kept while scanning.
        """
        sample = np.arange(0, self.n_rows, PILOT_STRIDE)
        if len(sample) <= k_col:
            return np.zeros(self.n_cols, np.float32)
        scores = np.concatenate([score.copy() for _, score, _ in self._tiles(sample)])
        floor: Array = np.maximum(-np.partition(-scores, k_col, axis=0)[k_col], 0)
        return floor

    def _col_top(
        self, rows: Array, cols: Array, scores: Array, k_col: int
    ) -> tuple[Array, Array, Array]:
        """Return (rows, cols) of each column's best `k_col` of the kept pairs, and the next.

        Best by score, then by row; the next best is the bound on what a column left out
        (``-1``: nothing left out).
        """
        best = best_of_groups(cols, scores, np.zeros(len(cols), dtype=bool), k_col + 1)
        grouped = cols[best]
        rank = np.arange(len(best)) - np.searchsorted(grouped, grouped)
        bound = np.full(self.n_cols, -1.0, dtype=np.float32)
        bound[grouped[rank == k_col]] = scores[best[rank == k_col]]
        keep = best[rank < k_col]
        return rows[keep], cols[keep], bound

    def _exact(self, rows: Array, cols: Array, floor: Array | None) -> Pairs:
        """Return the pairs with their float64 scores, dropping those below the minimum."""
        scores = self.score(rows, cols)
        keep = scores >= self.instance.min_score
        if floor is not None:
            keep &= scores >= floor
        return Pairs(rows[keep], cols[keep], scores[keep])

    def scan(
        self, rows: Array, floor: Array, col_price: Array | None = None, cols: Array | None = None
    ) -> Pairs:
        """Return every allowed pair of `rows` scoring at least ``floor`` (one per row).

        With `col_price`, the threshold of pair (r, c) is ``floor[r] + col_price[c]``; with
        `cols` (sorted), only pairs of those columns.
        """
        order = np.argsort(rows, kind="stable")
        rows, floor = rows[order], np.asarray(floor, dtype=np.float64)[order]
        low = floor - MARGIN
        blocks = self._blocks(np.arange(len(rows)))
        ub = self._ub if self._ub is None or cols is None else self._ub[:, cols]
        price = col_price if col_price is None or cols is None else col_price[cols]

        def keep(pos: Array) -> tuple[Array, Array]:
            if ub is not None:  # stored bounds: a superset, filtered exactly below
                step = max(1, 4 * TILE_CELLS // max(ub.shape[1], 1))  # one byte per cell
                return _topk.stored(ub, rows, pos, low, price, step)
            found = []
            for part, score, _ in self._tiles(rows[pos]):
                some = score if cols is None else score[:, cols]
                if price is None:
                    ok = some >= low[pos[part], None]
                else:  # float64 thresholds: prices can be large
                    ok = some >= low[pos[part], None] + price[None, :]
                r, c = _topk.where(ok & (some >= 0))
                found.append((pos[r + part.start], c))
            return _topk.concat(found)

        pos, at = _topk.concat(list(self._map(keep, blocks)))
        at = at if cols is None else cols[at]
        if col_price is None:
            return self._exact(rows[pos], at, floor[pos])
        pairs = self._exact(rows[pos], at, None)
        where = np.searchsorted(rows, pairs.rows)
        return pairs.select(pairs.scores >= floor[where] + col_price[pairs.cols] - MARGIN)

    def contributions(self, rows: Array, cols: Array) -> Array:
        """Return the float64 weighted contributions, shape ``(len(rows), 7)``."""
        out = np.zeros((len(self.w64), len(rows)))  # one row per criterion: contiguous
        for start in range(0, len(rows), 1 << 15):
            part = slice(start, start + (1 << 15))
            crit = self._criteria(*self._pair_parts(rows[part], cols[part]))
            for j, (w, c) in enumerate(zip(self.w64, crit, strict=True)):
                np.multiply(w, c, out=out[j, part])
        return out.T

    def score(self, rows: Array, cols: Array) -> Array:
        """Return each pair's score: its contributions added in criterion order."""
        contrib = self.contributions(rows, cols).T
        total = np.zeros(len(rows))
        for row in contrib:
            total += row
        return total

    def problem(self, row: int, col: int) -> Reason | None:
        """Return the hard rule that the pair breaks (code and words), or None."""
        for name, mask in self._rules(*self._pair_parts(np.array([row]), np.array([col]))):
            if not mask[0]:
                return _reasons.broken(
                    name, self.instance.students[row], self.side.targets[col], self.side.kind
                )
        return None

    def reasons(self, rows: Array, full: Array) -> list[Reason]:
        """Return why each of `rows` has no partner, given which columns are `full`."""
        order = np.argsort(rows, kind="stable")
        rows = rows[order]
        names = ["all", *self._rule_names(), "forbidden", "min_score", "full"]
        by_rule = dict(zip(("modality", "language", "grade", "check"), self._tables, strict=True))
        eligible = self.t.expanded(0)

        def counts(block_rows: Array) -> Array:
            rules = {name: table.rows(block_rows) for name, table in by_rule.items()}
            f_rows, f_cols = self._forbidden_in(block_rows)
            out = np.zeros((len(block_rows), len(names)), np.intp)
            for part, score, slots in self._tiles(block_rows):
                cum = np.ones(score.shape, dtype=bool)
                out[part, 0] = self.n_cols
                for j, name in enumerate(names[1:], 1):
                    if name in rules:
                        table, index = rules[name]
                        cum &= table[index[part]] >= 0  # NOT_ALLOWED where the rule fails
                    elif name in RULES:  # slot, training: no category table
                        cum &= RULES[name].test(None, eligible, Counts(*[slots] * 5))
                    elif name == "forbidden":
                        inside = (f_rows >= part.start) & (f_rows < part.stop)
                        cum[f_rows[inside] - part.start, f_cols[inside]] = False
                    else:
                        cum &= score >= 0 if name == "min_score" else ~full[None, :]
                    out[part, j] = np.count_nonzero(cum, axis=1)
            return out

        table = np.concatenate(
            [np.zeros((0, len(names)), np.intp), *self._map(counts, self._blocks(rows))]
        )
        students, out = self.instance.students, [Reason("", "")] * len(rows)
        for i, r in enumerate(rows):
            out[order[i]] = _reasons.profile(
                self.side.kind, students[r], names, table[i], self.instance.min_score
            )
        return out

    def _pair_parts(self, rows: Array, cols: Array) -> tuple[Features, Features, Counts]:
        """Return the features (without tag matrices) and the counts of pairs (rows[i], cols[i])."""
        interests, goals, slots, langs = (tags.pairs(rows, cols) for tags in self._tags)
        first = self._tT[3][self.s.first_lang[rows], cols].astype(np.float64)
        s, t = self.s.take(rows, tags=False), self.t.take(cols, tags=False)
        return s, t, Counts(interests, goals, slots, langs, first)
