"""Chunked top-k selection over dense score blocks (``-1`` marks a pair that is not allowed)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[Any]


def row_top(block: Array, k: int) -> tuple[Array, Array, Array]:
    """Return (rows, cols) of each row's best `k` allowed entries and each row's next best."""
    n, m = block.shape
    if m <= k:
        cols = np.broadcast_to(np.arange(m), (n, m))
        bound = np.full(n, -1.0, dtype=block.dtype)
    else:
        part = np.argpartition(-block, k, axis=1)[:, : k + 1]
        cols, bound = part[:, :k], np.take_along_axis(block, part[:, k : k + 1], axis=1)[:, 0]
    keep = np.take_along_axis(block, cols, axis=1) >= 0
    rows = np.broadcast_to(np.arange(n)[:, None], cols.shape)
    return rows[keep], cols[keep], bound


def col_top(block: Array, row_ids: Array, k: int) -> tuple[Array, Array]:
    """Return the best ``k + 1`` (values, row ids) of each column, shape ``(<= k + 1, m)``."""
    if block.shape[0] > k + 1:
        part = np.argpartition(-block, k, axis=0)[: k + 1]
        return np.take_along_axis(block, part, axis=0), row_ids[part]
    ids = np.broadcast_to(row_ids[:, None], block.shape)
    return block, ids


def merge_col_top(
    best: tuple[Array, Array] | None, new: tuple[Array, Array], k: int
) -> tuple[Array, Array]:
    """Merge two per-column top lists and keep the best ``k + 1`` of each column."""
    if best is None:
        return new
    values = np.concatenate([best[0], new[0]])
    ids = np.concatenate([best[1], new[1]])
    return col_top_of(values, ids, k)


def col_top_of(values: Array, ids: Array, k: int) -> tuple[Array, Array]:
    """Return the best ``k + 1`` rows of (values, ids) per column."""
    if values.shape[0] <= k + 1:
        return values, ids
    part = np.argpartition(-values, k, axis=0)[: k + 1]
    return np.take_along_axis(values, part, axis=0), np.take_along_axis(ids, part, axis=0)


def split_col_top(best: tuple[Array, Array], k: int) -> tuple[Array, Array, Array]:
    """Return (rows, cols) of each column's best `k` allowed entries and the next best."""
    values, ids = best
    m = values.shape[1]
    if values.shape[0] <= k:
        bound = np.full(m, -1.0, dtype=values.dtype)
        top = np.arange(values.shape[0])[:, None].repeat(m, axis=1)
    else:
        order = np.argsort(-values, axis=0, kind="stable")
        top, nxt = order[:k], order[k]
        bound = values[nxt, np.arange(m)]
    vals = np.take_along_axis(values, top, axis=0)
    rows = np.take_along_axis(ids, top, axis=0)
    cols = np.broadcast_to(np.arange(m), top.shape)
    keep = vals >= 0
    return rows[keep], cols[keep], bound
