"""Shared tags of students and targets, counted from one-hot matrices (see `Tags`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[Any]
GATHER_TAGS = 8  # students listing at most this many tags are counted by row gathers


class Tags:
    """Shared tags of students with every target, counted by adding rows of the targets' matrix.

    Students list few tags, so adding a few ``uint8`` rows beats a BLAS product (and keeps
    the BLAS thread pool out of the scorer's own threads); long lists fall back to the
    product. Counts are sums of zeros and ones: exact in any order and type.
    """

    def __init__(self, students: Array, targets_t: Array) -> None:
        # Each student's tag columns, ascending, then the padding row: `flatnonzero` lists a
        # row's columns in order, and a tag's place in its row is its rank minus the row's start.
        rows, cols = np.divmod(np.flatnonzero(students != 0), max(students.shape[1], 1))
        self.students, self.targets_t = students, targets_t
        self.sizes = np.bincount(rows, minlength=len(students))
        pad = np.zeros((1, targets_t.shape[1]), np.uint8)
        self.table = np.concatenate([targets_t.astype(np.uint8), pad])  # last row: padding
        width = int(self.sizes.max(initial=0))
        starts = np.cumsum(self.sizes) - self.sizes
        self.at = np.full((len(students), width), len(targets_t), dtype=np.intp)
        self.at[rows, np.arange(len(rows)) - starts[rows]] = cols
        self.gather = width <= GATHER_TAGS
        self.bits = _bits(students), _bits(targets_t.T)

    def count(self, rows: Array, out: Array, work: tuple[Array, Array]) -> Array:
        """Write the ``float32`` counts of students `rows` x all targets into `out`.

        `work` is two ``uint8`` arrays shaped like `out`.
        """
        if not self.gather:
            return np.matmul(self.students[rows], self.targets_t, out=out)
        total, part = work
        at = self.at[rows, : int(self.sizes[rows].max(initial=0))]
        if at.shape[1] == 0:
            total.fill(0)
        for j in range(at.shape[1]):
            np.take(self.table, at[:, j], axis=0, out=part if j else total, mode="clip")
            if j:
                total += part
        np.copyto(out, total)
        return out

    def pairs(self, rows: Array, cols: Array) -> Array:
        """Return the float64 counts of pairs (rows[i], cols[i]): popcounts of bit sets."""
        shared = np.bitwise_count(self.bits[0][rows] & self.bits[1][cols])
        out: Array = shared.sum(axis=1, dtype=np.float64)
        return out


def _bits(one_hot: Array) -> Array:
    """Return each row of a one-hot matrix as a bit set, shape ``(n, words)`` uint64."""
    n, width = one_hot.shape
    words = -(-width // 64)
    padded = np.zeros((n, words * 64), dtype=bool)
    padded[:, :width] = one_hot != 0
    packed = np.packbits(padded.reshape(n, words, 64), axis=2, bitorder="little")
    return np.ascontiguousarray(packed).view(np.uint64).reshape(n, words)
