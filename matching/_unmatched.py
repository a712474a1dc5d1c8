"""Why students are unmatched: the reasons, from stored score bounds when the scorer has them."""

from __future__ import annotations

import numpy as np

from . import _reasons
from ._pairs import Array, Scorer
from ._profile import ProfileScorer
from ._reasons import Reason


def reasons(scorer: Scorer, rows: Array, full: Array, kind: str) -> list[Reason]:
    """Return why each of `rows` has no partner (`Scorer.reasons`), from stored bounds if any.

    A profile scorer's stored uint8 bounds are 0 exactly where a pair is not allowed: where
    the rules, the forbidden pairs or the minimum score (the reasons' steps before "full")
    leave it out. A row with allowed targets then fails only at "full", or nowhere; only the
    rows with none need the scorer's count of every step.
    """
    codes = scorer._ub if isinstance(scorer, ProfileScorer) else None
    if codes is None:
        return scorer.reasons(rows, full)
    allowed, free = _allowed_counts(codes, rows, full)
    out = [  # the rows with no allowed target are replaced below
        _reasons.compatible(kind, a, f)
        for a, f in zip(allowed.tolist(), free.tolist(), strict=True)
    ]
    none = np.flatnonzero(allowed == 0)
    if len(none):
        for at, why in zip(none.tolist(), scorer.reasons(rows[none], full), strict=True):
            out[at] = why
    return out


def _allowed_counts(codes: Array, rows: Array, full: Array) -> tuple[Array, Array]:
    """Return each of `rows`' counts of allowed targets (``codes > 0``), and of those not full."""
    allowed, free = np.zeros(len(rows), np.intp), np.zeros(len(rows), np.intp)
    room = ~full
    step = max(1, (1 << 20) // max(codes.shape[1], 1))  # about 1 MB of codes at once
    for start in range(0, len(rows), step):
        part = slice(start, start + step)
        ok = codes[rows[part]] != 0
        allowed[part] = np.count_nonzero(ok, axis=1)
        ok &= room
        free[part] = np.count_nonzero(ok, axis=1)
    return allowed, free
