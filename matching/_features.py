"""Profiles encoded as numpy arrays: one-hot tag matrices and small per-record vectors.

Tags, slots and languages become ``float32`` one-hot matrices, so the number of shared tags
of a block of students with every mentor is one matrix product (BLAS), exact for counts
below 2**24.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from ._criteria import MODALITY_CODES, inverse_size
from ._schema import Student, Target

Array = npt.NDArray[Any]


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

    def take(self, index: Array) -> Features:
        """Return the features of rows `index`."""
        return Features(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

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


def _vocabulary(*groups: Sequence[tuple[str, ...]]) -> dict[str, int]:
    """Return word -> column over all tag lists, in sorted order (deterministic)."""
    words = sorted({w for group in groups for tags in group for w in tags})
    return {w: i for i, w in enumerate(words)}


def _one_hot(lists: Sequence[tuple[str, ...]], vocab: dict[str, int], extra: int = 0) -> Array:
    """Return the ``float32`` one-hot matrix of `lists` over `vocab`."""
    rows = np.repeat(np.arange(len(lists)), [len(t) for t in lists])
    cols = np.fromiter((vocab[w] for t in lists for w in t), dtype=np.intp, count=len(rows))
    out = np.zeros((len(lists), len(vocab) + extra), dtype=np.float32)
    out[rows, cols] = 1.0
    return out


def encode(students: Sequence[Student], targets: Sequence[Target]) -> tuple[Features, Features]:
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
    )
    return s_feat, t_feat


def _modalities(records: Sequence[Student | Target]) -> Array:
    """Return the modality codes."""
    return np.array([MODALITY_CODES[r.modality] for r in records], dtype=np.int8).reshape(-1)
