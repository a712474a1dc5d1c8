"""Pairs named in an instance: ``pinned``, ``forbidden`` and ``edges``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _check as check
from ._errors import InstanceError

Array = npt.NDArray[Any]


@dataclass(frozen=True, slots=True)
class Link:
    """A (student, mentor or project) pair by index; ``where`` is its place in the instance."""

    student: int
    target: int
    score: float
    where: str


@dataclass(frozen=True, slots=True)
class EdgeList:
    """The listed edges of one kind as arrays: student and target indices, scores."""

    students: Array  # intp
    targets: Array  # intp
    scores: Array  # float64


Split = dict[str, list[dict[str, Any]]] | None


def split_edges(value: Any) -> Split:
    """Return the edge records by kind when each is a plain object naming one kind, else None."""
    if type(value) is not list or set(map(type, value)) - {dict}:
        return None
    has = {k: np.fromiter(map(dict.__contains__, value, repeat(k)), bool, len(value))
           for k in ("mentor", "project")}  # fmt: skip
    if np.any(has["mentor"] == has["project"]):
        return None
    if np.all(has["mentor"]):
        return {"mentor": value, "project": []}
    return {k: [value[i] for i in np.flatnonzero(has[k]).tolist()] for k in has}


def parse_edges(
    top: Mapping[str, Any],
    kind: str,
    students: Mapping[str, int],
    targets: Mapping[str, int],
    split: Split,
) -> EdgeList:
    """Return the edges of `kind`, checked on whole columns with numpy.

    `split` is `split_edges` of ``top["edges"]``. When anything looks wrong the records are
    checked again one by one (`parse_links`), so the error names the first bad record with
    the same words.
    """
    fast = None if split is None else _edge_arrays(split[kind], kind, students, targets)
    if fast is not None:
        return fast
    links = parse_links(top, "edges", kind, students, targets)
    return EdgeList(
        np.array([e.student for e in links], dtype=np.intp),
        np.array([e.target for e in links], dtype=np.intp),
        np.array([e.score for e in links], dtype=np.float64),
    )


def _edge_arrays(
    mine: list[dict[str, Any]], kind: str, students: Mapping[str, int], targets: Mapping[str, int]
) -> EdgeList | None:
    """Return the edges (all of `kind`) when every record is plainly valid, else None."""
    s_idx, t_idx = (_indices(mine, field, index) for field, index in
                    (("student", students), (kind, targets)))  # fmt: skip
    scores = list(map(dict.get, mine, repeat("score")))
    if s_idx is None or t_idx is None or set(map(type, scores)) - {float, int}:
        return None
    try:
        score = np.array(scores, dtype=np.float64).reshape(-1)
    except OverflowError:  # an integer too large for a float
        return None
    if not np.all((score >= 0.0) & (score <= 1.0)):  # NaN fails too
        return None
    keys = np.sort(s_idx.astype(np.int64) * max(len(targets), 1) + t_idx)
    if np.any(keys[1:] == keys[:-1]):  # a duplicate pair
        return None
    return EdgeList(s_idx, t_idx, score)


def _indices(records: list[Any], field: str, index: Mapping[str, int]) -> Array | None:
    """Return the index of each record's ``field`` id, or None when one is not a known id."""
    values: list[Any] = list(map(dict.get, records, repeat(field)))
    try:  # only strings are keys: any other value is missing or unhashable
        return np.fromiter(map(index.__getitem__, values), np.intp, len(values))
    except (KeyError, TypeError):
        return None


def parse_links(
    top: Mapping[str, Any],
    key: str,
    kind: str,
    students: Mapping[str, int],
    targets: Mapping[str, int],
) -> tuple[Link, ...]:
    """Return the links of ``top[key]`` that name a `kind` (mentor or project)."""
    out: list[Link] = []
    seen: dict[tuple[int, int], str] = {}
    for i, rec in enumerate(check.records(top, key, required=False)):
        path = f"{key}[{i}]"
        if ("mentor" in rec) == ("project" in rec):
            raise InstanceError(path, "must name exactly one of mentor or project")
        if kind not in rec:
            continue
        link = Link(
            _ref(rec, "student", path, students),
            _ref(rec, kind, path, targets),
            _score(rec, path) if key == "edges" else 1.0,
            path,
        )
        pair = (link.student, link.target)
        if pair in seen and key != "forbidden":
            raise InstanceError(path, f"duplicate pair (also {seen[pair]})")
        seen.setdefault(pair, path)
        out.append(link)
    return tuple(out)


def _ref(rec: Mapping[str, Any], field: str, path: str, index: Mapping[str, int]) -> int:
    """Return the index of the record whose id is ``rec[field]``."""
    value = rec.get(field)
    if not isinstance(value, str):
        raise InstanceError(f"{path}.{field}", f"must be a {field} id (a string)")
    if value not in index:
        raise InstanceError(f"{path}.{field}", f"unknown {field} {value!r}")
    return index[value]


def _score(rec: Mapping[str, Any], path: str) -> float:
    """Return an edge's score in [0, 1]."""
    return check.number(rec.get("score"), f"{path}.score", low=0.0, high=1.0)
