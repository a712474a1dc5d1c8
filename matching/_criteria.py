"""The scoring criteria: plain-words descriptions, default weights and their arithmetic.

Every function here works on numpy arrays that broadcast against each other, so the same
code scores a dense block of students x mentors (``float32``, arrays shaped ``(n, 1)`` and
``(1, m)``) and a list of pairs (``float64``, arrays shaped ``(k,)``).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["CRITERIA", "DEFAULT_RULES", "DEFAULT_WEIGHTS", "NAMES"]

Array = npt.NDArray[Any]

CRITERIA: MappingProxyType[str, str] = MappingProxyType(
    {
        "interests": "Shared interests: the interests both list, divided by the length of the "
        "shorter list (for a project, its skills stand for its interests). 1 when one list "
        "contains the other, 0 when they share none.",
        "goals": "Goals met: the share of the student's goals that are in the mentor's expertise "
        "(for a project, in its skills). 0 when the student lists no goals.",
        "availability": "Common free time: the weekly slots both are free, divided by the "
        "length of the shorter list of slots. 1 when one schedule fits inside the other.",
        "modality": "Way of meeting: 1 when both prefer the same way (in person, online, or "
        "both either), 0.5 when one of them is flexible ('either'), 0 when they cannot meet.",
        "language": "Language: 1 when the mentor speaks the student's first-listed language, "
        "0.5 when they share only another language, 0 otherwise. A project that lists no "
        "languages counts as 1.",
        "grade": "Grade fit: 1 when the student's grade is the middle of the mentor's or "
        "project's grade band, falling to 0.5 at the band's edges (outside the band is a hard "
        "rule, never matched).",
        "area": "Same area: 1 when both give the same area, 0 otherwise.",
    }
)
"""Name -> plain-words description of each criterion, in breakdown order."""

NAMES: tuple[str, ...] = tuple(CRITERIA)

DEFAULT_WEIGHTS: MappingProxyType[str, float] = MappingProxyType(
    {"interests": 3.0, "goals": 3.0, "availability": 2.0, "modality": 1.0,
     "language": 1.0, "grade": 1.0, "area": 1.0}
)  # fmt: skip
"""Criterion weights used when an instance gives none (a missing name takes its default)."""

DEFAULT_RULES: MappingProxyType[str, bool] = MappingProxyType(
    {"require_common_slot": True, "require_common_language": True, "require_training": False}
)
"""Hard rules that an instance's ``rules`` may switch off."""

IN_PERSON, ONLINE, EITHER = 0, 1, 2
MODALITY_CODES = {"in_person": IN_PERSON, "online": ONLINE, "either": EITHER}
# Rows: student modality, columns: mentor modality.
MODALITY_SCORE = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.5, 0.5, 1.0]])


def inverse_size(sizes: Array) -> Array:
    """Return ``1 / max(size, 1)``; with ``max`` it gives ``1 / min(a, b)`` of two sizes."""
    return 1.0 / np.maximum(sizes, 1.0)


def overlap(count: Array, inv_a: Array, inv_b: Array) -> Array:
    """Return ``count / min(size_a, size_b)`` from the inverse sizes (0 when count is 0)."""
    return count * np.maximum(inv_a, inv_b)


def language(first_hit: Array, shared: Array, any_language: Array) -> Array:
    """Return 1 for the first language, 0.5 for another shared one, 1 for any-language."""
    value = 0.5 * (first_hit + (shared > 0))
    return np.where(any_language, 1.0, value).astype(value.dtype, copy=False)


def grade(grade_: Array, low: Array, high: Array) -> Array:
    """Return the grade fit: 1 at the band's middle, 0.5 at its edges."""
    middle = (low + high) * 0.5
    half = np.maximum((high - low) * 0.5, 0.5)
    return np.clip(1.0 - 0.5 * np.abs(grade_ - middle) / half, 0.0, 1.0)
