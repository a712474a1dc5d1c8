"""Top-k selection and uint8 score bounds over dense blocks of scores.

`row_top` takes tiles of negated scores (``1`` marks a pair that is not allowed): the arrays
`numpy.argpartition` always saw. Among equal scores of a row it keeps whichever the partition
picks: the same row's scores always give the same pairs. (Each column's best are chosen
from the pairs above a floor, by score then row: `ProfileScorer.shortlist`.)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[Any]
MARGIN = 1e-5  # bounds |float32 score - float64 score| with room to spare
STEPS = 254  # uint8 codes: 0 not allowed; 1..254: score <= (code - 1) / 254; 255: no bound
UB = np.concatenate([[-np.inf], np.arange(STEPS) / STEPS, [np.inf]])
UB_ALLOWED = np.where(np.arange(STEPS + 2) > 0, UB, np.nan)  # NaN: fails every test


def row_top(neg: Array, k: int) -> tuple[Array, Array, Array]:
    """Return (rows, cols) of each row's best `k` allowed entries and each row's next best."""
    n, m = neg.shape
    if m <= k:
        cols = np.broadcast_to(np.arange(m), (n, m))
        bound = np.full(n, -1.0, dtype=neg.dtype)
    else:
        part = np.argpartition(neg, k, axis=1)[:, : k + 1]
        cols, bound = part[:, :k], -np.take_along_axis(neg, part[:, k : k + 1], axis=1)[:, 0]
    keep = np.take_along_axis(neg, cols, axis=1) <= 0
    rows = np.broadcast_to(np.arange(n)[:, None], cols.shape)
    return rows[keep], cols[keep], bound


def codes(score: Array, out: Array) -> None:
    """Write uint8 codes whose `UB` value is at least each float64 score (0: not allowed).

    Scores are ``-1`` or at least 0, so clipping at 0 alone sends ``-1`` to code 0.
    """
    code = score + np.float32(2 * MARGIN)
    code *= np.float32(STEPS)
    np.ceil(code, out=code)
    code += 1
    np.clip(code, 0, STEPS + 1, out=code)
    np.copyto(out, code, casting="unsafe")


def stored(
    ub: Array, rows: Array, pos: Array, low: Array, price: Array | None, step: int
) -> tuple[Array, Array]:
    """Return (pos, cols) of the pairs of ``rows[pos]`` whose stored bound reaches the threshold.

    The threshold of (r, c) is ``low[r]`` (plus ``price[c]``): a pair is kept when ``code > 0``
    and ``UB[code] >= threshold``, which is ``code >= need[r]`` without prices. With prices,
    `_need` first finds a superset in code units. Rows are taken `step` at a time.
    """
    finite_prices = price is not None and bool(np.isfinite(price).all())
    found = []
    for start in range(0, len(pos), step):
        at = pos[start : start + step]
        r, c = _stored_rows(ub[rows[at]], low[at], price, finite_prices)
        found.append((at[r], c))
    return concat(found)


def _stored_rows(
    codes: Array, low: Array, price: Array | None, finite_prices: bool
) -> tuple[Array, Array]:
    """Return (rows, cols) of the stored `codes` that pass the thresholds of `stored`."""
    if price is None:  # the first code whose bound reaches each row's threshold
        need = np.clip(np.searchsorted(UB, low, side="left"), 1, STEPS + 1)
        return where(codes >= need.astype(np.uint8)[:, None])
    near = _need(STEPS * low, STEPS * price) if finite_prices else None
    if near is None:
        return where(UB_ALLOWED[codes] >= low[:, None] + price[None, :])
    r, c = where((codes >= near) | (codes == STEPS + 1))  # 255: no bound, passes any
    keep = UB_ALLOWED[codes[r, c]] >= low[r] + price[c]
    return r[keep], c[keep]


def _need(a: Array, b: Array) -> Array | None:
    """Return ``a[r] + b[c]`` in ``float32``, less than 1/2 above its exact value (or None).

    Code ``k`` passes ``UB[k] >= low + price`` only if ``k >= 1 + a + b`` (``a = 254 * low``,
    ``b = 254 * price``), so ``k >= need`` keeps a superset of the codes up to 254. Adding
    ``a`` and ``b`` relative to the least finite ``a`` of the rows, and clipping ``b`` where
    every row's decision is the same, keeps the terms small; None when they are not.
    """
    finite = np.isfinite(a)
    if not (finite | (a == -np.inf)).all():
        return None
    low = float(a[finite].min()) if finite.any() else 0.0
    spread = float(a[finite].max()) - low if finite.any() else 0.0
    if spread > 2**20 or abs(low) > 2**40:
        return None
    cols = np.clip(b + low, -spread - 2, STEPS + 1).astype(np.float32)
    need: Array = (a - low).astype(np.float32)[:, None] + cols
    return need


def where(mask: Array) -> tuple[Array, Array]:
    """Return the (rows, cols) of a 2-d mask's true entries (``np.nonzero``, but faster)."""
    r, c = np.divmod(np.flatnonzero(mask), mask.shape[1])
    return r, c


def concat(found: list[tuple[Array, Array]]) -> tuple[Array, Array]:
    """Concatenate (positions, cols) parts."""
    none = np.zeros(0, np.intp)
    return np.concatenate([none, *(p for p, _ in found)]), np.concatenate(
        [none, *(c for _, c in found)]
    )


def upper_bounds(values: Array) -> Array:
    """Turn ``float32`` next-best scores into float64 upper bounds (``-inf``: none left)."""
    out: Array = np.where(values >= 0, values.astype(np.float64) + MARGIN, -np.inf)
    return out
