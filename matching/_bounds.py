"""Explanations read from a profile scorer's stored uint8 score bounds, when it keeps them.

The bounds (`_topk.codes`) are 0 exactly where a pair is not allowed, and otherwise at least
the pair's float64 score: why students are unmatched, and which pairs may block, need no
rescoring of whole rows.
"""

from __future__ import annotations

import numpy as np

from . import _reasons, _topk
from ._pairs import Array, Pairs, Scorer
from ._profile import ProfileScorer
from ._reasons import Reason
from ._topk import MARGIN, STEPS, UB

STEP_BYTES = 1 << 20  # bounds read at once


def reasons(scorer: Scorer, rows: Array, full: Array, kind: str) -> list[Reason]:
    """Return why each of `rows` has no partner (`Scorer.reasons`), from stored bounds if any.

    A bound is 0 where the rules, the forbidden pairs or the minimum score (the reasons'
    steps before "full") leave a pair out. A row with allowed targets then fails only at
    "full", or nowhere; only the rows with none need the scorer's count of every step.
    """
    codes = _stored(scorer)
    if codes is None:
        return scorer.reasons(rows, full)
    allowed, free = _allowed_counts(codes, rows, full)
    # one Reason per distinct (allowed, free), shared by the rows that have it; the rows
    # with no allowed target are replaced below
    width = len(full) + 1
    unique, inverse = np.unique(allowed * width + free, return_inverse=True)
    shared = np.empty(len(unique), dtype=object)
    shared[:] = [_reasons.compatible(kind, k // width, k % width) for k in unique.tolist()]
    out: list[Reason] = shared[inverse.reshape(-1)].tolist()
    none = np.flatnonzero(allowed == 0)
    if len(none):
        for at, why in zip(none.tolist(), scorer.reasons(rows[none], full), strict=True):
            out[at] = why
    return out


def _allowed_counts(codes: Array, rows: Array, full: Array) -> tuple[Array, Array]:
    """Return each of `rows`' counts of allowed targets (``codes > 0``), and of those not full."""
    allowed, free = np.zeros(len(rows), np.intp), np.zeros(len(rows), np.intp)
    room = ~full
    step = max(1, STEP_BYTES // max(codes.shape[1], 1))
    for start in range(0, len(rows), step):
        part = slice(start, start + step)
        ok = codes[rows[part]] != 0
        allowed[part] = np.count_nonzero(ok, axis=1)
        ok &= room
        free[part] = np.count_nonzero(ok, axis=1)
    return allowed, free


def candidates(scorer: Scorer, rows: Array, row_low: Array, col_low: Array) -> Pairs | None:
    """Return the allowed pairs of sorted `rows` whose bound reaches both of their floors.

    The floors are ``row_low`` (per row of `rows`) and ``col_low`` (per column), so every
    allowed pair scoring above both is among them; the scores are exact, and at least the
    minimum score, as a scan's. None when the scorer keeps no bounds.
    """
    codes = _stored(scorer)
    if codes is None or not isinstance(scorer, ProfileScorer):
        return None
    need_row, need_col = _need(row_low), _need(col_low)
    step = max(1, STEP_BYTES // max(codes.shape[1], 1))
    found = []
    for start in range(0, len(rows), step):
        block = codes[rows[start : start + step]]
        ok = block >= need_row[start : start + step, None]
        ok &= block >= need_col
        r, c = _topk.where(ok)
        found.append((r + start, c))
    pos, cols = _topk.concat(found)
    scores = scorer.score(rows[pos], cols)
    keep = scores >= scorer.instance.min_score
    return Pairs(rows[pos[keep]], cols[keep], scores[keep])


def _need(low: Array) -> Array:
    """Return the least code whose bound reaches each ``low - MARGIN``, and at least 1."""
    need: Array = np.searchsorted(UB, low - MARGIN, side="left")
    return np.clip(need, 1, STEPS + 1).astype(np.uint8)


def _stored(scorer: Scorer) -> Array | None:
    """Return the scorer's stored bounds, students x targets, or None."""
    return scorer.bounds if isinstance(scorer, ProfileScorer) else None
