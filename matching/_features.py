"""Profiles encoded as numpy arrays: one-hot tag matrices and small per-record vectors.

Tags, slots and languages become ``float32`` one-hot matrices. For dense blocks of students x
targets, `Tags` counts shared tags by adding a few rows (or popcounts bit sets for lists of
pairs), and `Table` holds, for each category of students, a criterion's weighted values
against every target: a block then gathers rows instead of broadcasting arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from ._criteria import MODALITY_CODES, MODALITY_SCORE, NAMES, grade, inverse_size, language
from ._rules import RULES
from ._schema import Student, Target

Array = npt.NDArray[Any]
TABLE_CELLS = 1 << 22  # a larger category table is built block by block
GATHER_TAGS = 8  # students listing at most this many tags are counted by row gathers
NOT_ALLOWED = np.float32(-(2.0**100))  # a sum of a few stays finite and far below any score


@dataclass(frozen=True, slots=True)
class Features:
    """Arrays describing students, or mentors, or projects (one row per record)."""

    interests: Array  # (n, V) float32 one-hot
    goals: Array
    slots: Array
    langs: Array  # (n, L + 1): the extra last column is all zeros
    inv_interests: Array  # (n,) 1 / max(size, 1)
    inv_goals: Array
    inv_slots: Array
    first_lang: Array  # (n,) column of the first language, L when none
    modality: Array  # (n,) int8 code
    low: Array  # (n,) grade band (a student's grade twice)
    high: Array
    area: Array  # (n,) int code; no area never equals anything
    cleared: Array  # (n,) bool: an adult student / a checked mentor or project
    any_language: Array  # (n,) bool: a project that lists no languages
    eligible: Array  # (n,) bool: every student; a target unless training is required and missing

    def take(self, index: Array, *, tags: bool = True) -> Features:
        """Return the features of rows `index` (without `tags`: tag matrices of no rows)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = value[index] if tags or value.ndim == 1 else value[:0]
        return Features(**out)

    def expanded(self, axis: int) -> Features:
        """Return ``float32`` features whose vectors have a new `axis` for broadcasting."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value.ndim == 1:
                value = np.expand_dims(value, axis)
                value = value.astype(np.float32) if value.dtype == np.float64 else value
            out[f.name] = value
        return Features(**out)


@dataclass(frozen=True, slots=True)
class Counts:
    """Shared interests, goals, slots and languages, and first-language hits, of pairs."""

    interests: Array
    goals: Array
    slots: Array
    langs: Array
    first: Array


def _vocabulary(*groups: Sequence[tuple[str, ...]]) -> dict[str, int]:
    """Return word -> column over all tag lists, in sorted order (deterministic)."""
    words = sorted(set(chain.from_iterable(chain.from_iterable(groups))))
    return {w: i for i, w in enumerate(words)}


def _one_hot(lists: Sequence[tuple[str, ...]], vocab: dict[str, int], extra: int = 0) -> Array:
    """Return the ``float32`` one-hot matrix of `lists` over `vocab`."""
    rows = np.repeat(np.arange(len(lists)), [len(t) for t in lists])
    words = chain.from_iterable(lists)
    cols = np.fromiter(map(vocab.__getitem__, words), dtype=np.intp, count=len(rows))
    out = np.zeros((len(lists), len(vocab) + extra), dtype=np.float32)
    out[rows, cols] = 1.0
    return out


def encode(
    students: Sequence[Student], targets: Sequence[Target], require_training: bool = False
) -> tuple[Features, Features]:
    """Return the features of `students` and of `targets` over shared vocabularies."""
    s_tags = [s.interests for s in students], [s.goals for s in students]
    t_tags = [t.interests for t in targets], [t.goals for t in targets]
    s_slots, t_slots = [s.availability for s in students], [t.availability for t in targets]
    s_langs, t_langs = [s.languages for s in students], [t.languages or () for t in targets]
    vocab = [_vocabulary(a, b) for a, b in zip(s_tags, t_tags, strict=True)]
    slot_vocab, lang_vocab = _vocabulary(s_slots, t_slots), _vocabulary(s_langs, t_langs)
    areas = _vocabulary(
        [(s.area,) for s in students if s.area], [(t.area,) for t in targets if t.area]
    )

    def common(
        tags: Sequence[Sequence[tuple[str, ...]]],
        slots: Sequence[tuple[str, ...]],
        langs: Sequence[tuple[str, ...]],
    ) -> dict[str, Array]:
        one_hot = [_one_hot(t, v) for t, v in zip(tags, vocab, strict=True)]
        one_hot += [_one_hot(slots, slot_vocab), _one_hot(langs, lang_vocab, extra=1)]
        names = ("interests", "goals", "slots", "langs")
        out = dict(zip(names, one_hot, strict=True))
        for name in names[:3]:
            out[f"inv_{name}"] = inverse_size(out[name].sum(axis=1, dtype=np.float64))
        return out

    def codes(values: Sequence[str | None], none: int) -> Array:
        return np.array([areas[v] if v else none for v in values], dtype=np.int32).reshape(-1)

    first = [lang_vocab[s.languages[0]] if s.languages else len(lang_vocab) for s in students]
    grades = np.array([s.grade for s in students], dtype=np.float64).reshape(-1)
    s_feat = Features(
        **common(s_tags, s_slots, s_langs),
        first_lang=np.array(first, dtype=np.intp).reshape(-1),
        modality=_modalities(students),
        low=grades,
        high=grades,
        area=codes([s.area for s in students], -1),
        cleared=np.array([not s.minor for s in students], dtype=bool).reshape(-1),
        any_language=np.zeros(len(students), dtype=bool),
        eligible=np.ones(len(students), dtype=bool),
    )
    band = np.array([t.grades for t in targets], dtype=np.float64).reshape(-1, 2)
    t_feat = Features(
        **common(t_tags, t_slots, t_langs),
        first_lang=np.zeros(len(targets), dtype=np.intp),
        modality=_modalities(targets),
        low=band[:, 0],
        high=band[:, 1],
        area=codes([t.area for t in targets], -2),
        cleared=np.array([t.cleared for t in targets], dtype=bool).reshape(-1),
        any_language=np.array([t.languages is None for t in targets], dtype=bool),
        eligible=np.array([t.trained or not require_training for t in targets], dtype=bool),
    )
    return s_feat, t_feat


def _modalities(records: Sequence[Student | Target]) -> Array:
    """Return the modality codes."""
    return np.array([MODALITY_CODES[r.modality] for r in records], dtype=np.int8).reshape(-1)


class _Keys:
    """The few feature arrays of a category of students that a rule's test reads."""

    def __init__(self, **arrays: Array) -> None:
        self.__dict__.update(arrays)


class Table:
    """``float32`` values against every target for each category of students.

    A criterion that depends on the student only through a small category (a grade, a
    modality, a language list) then costs a block one row gather, not broadcast arithmetic.
    The table is kept whole when small; otherwise each block builds the rows it needs.
    """

    def __init__(self, keys: Array, build: Callable[[Array], Array], n_cols: int) -> None:
        unique, codes = np.unique(keys, axis=0, return_inverse=True)
        self.keys, self.codes, self._build = unique, codes.reshape(-1), build
        self._whole = build(unique) if len(unique) * n_cols <= TABLE_CELLS else None

    def rows(self, rows: Array) -> tuple[Array, Array]:
        """Return a table and the index of the row of it for each student of `rows`."""
        codes = self.codes[rows]
        if self._whole is not None:
            return self._whole, codes
        local, index = np.unique(codes, return_inverse=True)
        return self._build(self.keys[local]), index.reshape(-1)


def size_tables(s: Features, t: Features) -> tuple[Table, Table]:
    """Return the tables of ``max(1 / size, 1 / size)`` for shared interests and slots."""
    t32 = t.expanded(0)

    def build(name: str) -> Callable[[Array], Array]:
        def rows(keys: Array) -> Array:
            out: Array = np.maximum(keys.astype(np.float32)[:, None], getattr(t32, name))
            return out

        return rows

    n = len(t.low)
    return (
        Table(s.inv_interests, build("inv_interests"), n),
        Table(s.inv_slots, build("inv_slots"), n),
    )


def category_tables(
    s: Features, t: Features, weights: Array, require_language: bool
) -> list[Table]:
    """Return the weighted modality, language, grade and area criteria as tables.

    An entry is `NOT_ALLOWED` where a hard rule fails: the modality, the common language
    (when required), the grade band, the background check and the training (when required).
    """
    t32, tl = t.expanded(0), np.ascontiguousarray(t.langs.T)
    w = {name: weights[i] for i, name in enumerate(NAMES)}
    modality = MODALITY_SCORE.astype(np.float32)

    def by_modality(keys: Array) -> Array:
        value = modality[keys[:, None], t.modality[None, :]]
        passes = RULES["modality"].test(_Keys(modality=keys[:, None]), t32, None)
        return np.where(passes, w["modality"] * value, NOT_ALLOWED)

    def by_language(keys: Array) -> Array:
        shared = keys[:, 1:].astype(np.float32) @ tl
        value: Array = w["language"] * language(tl[keys[:, 0]], shared, t32.any_language)
        if not require_language:
            return value
        passes = RULES["language"].test(None, t32, _Keys(langs=shared))
        return np.where(passes, value, NOT_ALLOWED)

    def by_grade(keys: Array) -> Array:
        g = keys.astype(np.float32)[:, None]
        value = w["grade"] * grade(g, t32.low, t32.high)
        return np.where(RULES["grade"].test(_Keys(low=g), t32, None), value, NOT_ALLOWED)

    def by_area(keys: Array) -> Array:
        value = w["area"] * (keys[:, :1] == t32.area)
        cleared = _Keys(cleared=keys[:, 1:].astype(bool))
        passes = RULES["check"].test(cleared, t32, None) & RULES["training"].test(None, t32, None)
        return np.where(passes, value, NOT_ALLOWED)

    n = len(t.low)
    languages = np.column_stack([s.first_lang, s.langs.astype(np.intp)])
    return [
        Table(s.modality, by_modality, n),
        Table(languages, by_language, n),
        Table(s.low, by_grade, n),
        Table(np.column_stack([s.area, s.cleared]), by_area, n),
    ]


class Tags:
    """Shared tags of students with every target, counted by adding rows of the targets' matrix.

    Students list few tags, so adding a few ``uint8`` rows beats a BLAS product (and keeps
    the BLAS thread pool out of the scorer's own threads); long lists fall back to the
    product. Counts are sums of zeros and ones: exact in any order and type.
    """

    def __init__(self, students: Array, targets_t: Array) -> None:
        present = students != 0
        self.students, self.targets_t, self.sizes = students, targets_t, present.sum(axis=1)
        pad = np.zeros((1, targets_t.shape[1]), np.uint8)
        self.table = np.concatenate([targets_t.astype(np.uint8), pad])  # last row: padding
        width = int(self.sizes.max(initial=0))
        at = np.argsort(~present, axis=1, kind="stable")[:, :width]
        self.at = np.where(np.take_along_axis(present, at, axis=1), at, len(targets_t))
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
