"""Profiles encoded as numpy arrays: one-hot tag matrices and small per-record vectors.

Tags, slots and languages become ``float32`` one-hot matrices (from `_words`: the students'
words are coded once, `code_students`, and serve both sides). For dense blocks of students x
targets, `Tags` (in `_tags`) counts shared tags by adding a few rows (or popcounts bit sets
for lists of pairs), and `Table` holds, for each category of students, a criterion's
weighted values against every target: a block then gathers rows instead of broadcasting
arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from ._criteria import MODALITY_CODES, MODALITY_SCORE, NAMES, grade, inverse_size, language
from ._rules import RULES
from ._schema import Student, Target
from ._words import Words, columns, one_hot

Array = npt.NDArray[Any]
TABLE_CELLS = 1 << 22  # a larger category table is built block by block
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


@dataclass(frozen=True, slots=True)
class Coded:
    """Students (or targets) coded without the other side: what `encode` needs of them.

    Their words, and the `Features` vectors that do not depend on the other side; the
    students' `Coded` serves the mentors and the projects alike.
    """

    interests: Words
    goals: Words
    slots: Words
    langs: Words
    areas: Words  # one word (the area) or none per record
    vectors: dict[str, Array]


def code_students(students: Sequence[Student]) -> Coded:
    """Return what `encode` needs of `students` (the same for mentors and for projects)."""
    grades = np.array([s.grade for s in students], dtype=np.float64).reshape(-1)
    return Coded(
        Words.of([s.interests for s in students]),
        Words.of([s.goals for s in students]),
        Words.of([s.availability for s in students]),
        Words.of([s.languages for s in students]),
        Words.one([s.area for s in students]),
        {
            "modality": _modalities(students),
            "low": grades,
            "high": grades,
            "cleared": np.array([not s.minor for s in students], dtype=bool).reshape(-1),
            "any_language": np.zeros(len(students), dtype=bool),
            "eligible": np.ones(len(students), dtype=bool),
        },
    )


def _code_targets(targets: Sequence[Target], require_training: bool) -> Coded:
    """Return what `encode` needs of `targets`."""
    band = np.array([t.grades for t in targets], dtype=np.float64).reshape(-1, 2)
    return Coded(
        Words.of([t.interests for t in targets]),
        Words.of([t.goals for t in targets]),
        Words.of([t.availability for t in targets]),
        Words.of([t.languages or () for t in targets]),
        Words.one([t.area for t in targets]),
        {
            "first_lang": np.zeros(len(targets), dtype=np.intp),
            "modality": _modalities(targets),
            "low": band[:, 0],
            "high": band[:, 1],
            "cleared": np.array([t.cleared for t in targets], dtype=bool).reshape(-1),
            "any_language": np.array([t.languages is None for t in targets], dtype=bool),
            "eligible": np.array([t.trained or not require_training for t in targets], bool),
        },
    )


def encode(
    students: Sequence[Student],
    targets: Sequence[Target],
    require_training: bool = False,
    *,
    coded: Coded | None = None,
) -> tuple[Features, Features]:
    """Return the features of `students` and of `targets` over shared vocabularies.

    `coded` is ``code_students(students)`` when the caller has it (both sides share it).
    """
    s = code_students(students) if coded is None else coded
    t = _code_targets(targets, require_training)
    s_out, t_out = dict(s.vectors), dict(t.vectors)
    for name in ("interests", "goals", "slots", "langs"):
        a, b = getattr(s, name), getattr(t, name)
        a_cols, b_cols, width = columns(a, b)
        width += name == "langs"  # languages: a last column of zeros, the first of none
        s_out[name], t_out[name] = one_hot(a, a_cols, width), one_hot(b, b_cols, width)
        if name == "langs":
            s_out["first_lang"] = a.firsts(a_cols, width - 1)
            continue
        for out in (s_out, t_out):
            out[f"inv_{name}"] = inverse_size(out[name].sum(axis=1, dtype=np.float64))
    a_cols, b_cols, _ = columns(s.areas, t.areas)
    # no area never equals anything: the students' and the targets' "none" codes differ
    s_out["area"] = s.areas.firsts(a_cols, -1).astype(np.int32)
    t_out["area"] = t.areas.firsts(b_cols, -2).astype(np.int32)
    return Features(**s_out), Features(**t_out)


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
        unique, codes = _unique_rows(keys)
        self.keys, self.codes, self._build = unique, codes.reshape(-1), build
        self._whole = build(unique) if len(unique) * n_cols <= TABLE_CELLS else None

    def rows(self, rows: Array) -> tuple[Array, Array]:
        """Return a table and the index of the row of it for each student of `rows`."""
        codes = self.codes[rows]
        if self._whole is not None:
            return self._whole, codes
        local, index = np.unique(codes, return_inverse=True)
        return self._build(self.keys[local]), index.reshape(-1)


def _unique_rows(keys: Array) -> tuple[Array, Array]:
    """Return ``np.unique(keys, axis=0, return_inverse=True)``, faster for integer rows.

    Integer rows are numbered in mixed radix (the first column most significant, each
    column's values shifted to start at 0), so sorting the numbers sorts the rows.
    """
    if keys.ndim == 2 and np.can_cast(keys.dtype, np.int64) and len(keys):
        low, high = keys.min(axis=0).astype(np.int64), keys.max(axis=0).astype(np.int64)
        spans = [int(h) - int(lo) + 1 for lo, h in zip(low, high, strict=True)]
        if math.prod(spans) < 1 << 62:  # the numbers fit in int64
            number = np.zeros(len(keys), dtype=np.int64)
            for j, span in enumerate(spans):
                number *= span
                number += keys[:, j] - low[j]
            _, first, codes = np.unique(number, return_index=True, return_inverse=True)
            return keys[first], codes
    unique, codes = np.unique(keys, axis=0, return_inverse=True)
    return unique, codes


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
