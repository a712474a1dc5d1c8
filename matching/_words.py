"""Lists of words (tags, slots, languages, areas) of many records, coded as integer arrays.

`Words` reads one list field of all records once: its sorted distinct words, and each listed
word as a (record, code) pair. Two sides then share a vocabulary by merging their distinct
words only (`columns`), and a one-hot matrix is one scatter (`one_hot`): no per-word Python
work is repeated for each side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[Any]


@dataclass(frozen=True, slots=True)
class Words:
    """One list field of many records: listed word k is ``vocab[codes[k]]`` of ``rows[k]``."""

    vocab: tuple[str, ...]  # the distinct words, sorted
    rows: Array  # (k,) intp: the record listing each word, in record then list order
    codes: Array  # (k,) intp: the word's index in `vocab`
    sizes: Array  # (n,) intp: how many words each record lists

    @classmethod
    def of(cls, lists: Sequence[Sequence[str]]) -> Words:
        """Return the coded `lists` (one list of words per record)."""
        sizes = np.fromiter(map(len, lists), dtype=np.intp, count=len(lists))
        flat = list(chain.from_iterable(lists))
        vocab = sorted(set(flat))
        index = dict(zip(vocab, range(len(vocab)), strict=True))
        codes = np.fromiter(map(index.__getitem__, flat), dtype=np.intp, count=len(flat))
        return cls(tuple(vocab), np.repeat(np.arange(len(lists)), sizes), codes, sizes)

    @classmethod
    def one(cls, values: Sequence[str | None]) -> Words:
        """Return the coded `values` of a field of one word, or none (null or empty)."""
        vocab = sorted({v for v in values if v})
        index: dict[str | None, int] = dict(zip(vocab, range(len(vocab)), strict=True))
        codes = np.fromiter(map(index.get, values, repeat(-1)), dtype=np.intp, count=len(values))
        listed = codes >= 0
        return cls(tuple(vocab), np.flatnonzero(listed), codes[listed], listed.astype(np.intp))

    def firsts(self, columns: Array, none: int) -> Array:
        """Return the column of each record's first word, `none` for a record listing none."""
        out = np.full(len(self.sizes), none, dtype=np.intp)
        listed = self.sizes > 0
        starts = np.cumsum(self.sizes) - self.sizes  # where each record's words begin
        out[listed] = columns[self.codes[starts[listed]]]
        return out


def columns(a: Words, b: Words) -> tuple[Array, Array, int]:
    """Return the columns of `a`'s and `b`'s words in their shared sorted vocabulary, its size."""
    vocab = sorted(set(a.vocab).union(b.vocab))
    index = dict(zip(vocab, range(len(vocab)), strict=True))
    a_cols, b_cols = (
        np.fromiter(map(index.__getitem__, w.vocab), dtype=np.intp, count=len(w.vocab))
        for w in (a, b)
    )
    return a_cols, b_cols, len(vocab)


def one_hot(words: Words, columns: Array, width: int) -> Array:
    """Return the ``float32`` one-hot matrix (records x `width`) of `words` at `columns`."""
    out = np.zeros((len(words.sizes), width), dtype=np.float32)
    out[words.rows, columns[words.codes]] = 1.0
    return out
