"""Pairs named in an instance: ``pinned``, ``forbidden`` and ``edges``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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
    """The listed edges of one kind as arrays: student and target indices, scores.

    Sorted by (student, target), without duplicates (a duplicate is refused).
    """

    students: Array  # intp
    targets: Array  # intp
    scores: Array  # float64


Split = dict[str, list[dict[str, Any]]] | None


def split_edges(value: Any) -> Split:
    """Return the edge records by kind when each is a plain object naming one kind, else None.

    When every record has three fields, a record without ``mentor`` is taken as a project
    edge: one of its fields is then missing, and `parse_edges` finds that record by record.
    """
    if type(value) is not list or set(map(type, value)) - {dict}:
        return None
    if all(map(dict.__contains__, value, repeat("mentor"))):
        if set(map(len, value)) <= {3}:  # student, mentor, score: no project
            return {"mentor": value, "project": []}
        if not any(map(dict.__contains__, value, repeat("project"))):
            return {"mentor": value, "project": []}
        return None
    mentor = np.fromiter(map(dict.__contains__, value, repeat("mentor")), bool, len(value))
    if set(map(len, value)) <= {3}:
        project = ~mentor
    else:
        project = np.fromiter(map(dict.__contains__, value, repeat("project")), bool, len(value))
        if np.any(mentor == project):
            return None
    return {k: [value[i] for i in np.flatnonzero(has).tolist()]
            for k, has in (("mentor", mentor), ("project", project))}  # fmt: skip


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
    s_idx = np.array([e.student for e in links], dtype=np.intp)
    t_idx = np.array([e.target for e in links], dtype=np.intp)
    order = np.lexsort((t_idx, s_idx))
    scores = np.array([e.score for e in links], dtype=np.float64)
    return EdgeList(s_idx[order], t_idx[order], scores[order])


def _edge_arrays(
    mine: list[dict[str, Any]], kind: str, students: Mapping[str, int], targets: Mapping[str, int]
) -> EdgeList | None:
    """Return the edges (all of `kind`), sorted, when every record is plainly valid, else None."""
    s_idx, t_idx = (_indices(mine, field, index) for field, index in
                    (("student", students), (kind, targets)))  # fmt: skip
    scores = list(map(dict.get, mine, repeat("score")))
    if s_idx is None or t_idx is None or set(map(type, scores)) - {float, int}:
        return None
    try:
        score = np.fromiter(scores, np.float64, len(scores))
    except OverflowError:  # an integer too large for a float
        return None
    if not np.all((score >= 0.0) & (score <= 1.0)):  # NaN fails too
        return None
    order, keys = sort_keys(s_idx.astype(np.int64) * max(len(targets), 1) + t_idx)
    if np.any(keys[1:] == keys[:-1]):  # a duplicate pair
        return None
    return EdgeList(s_idx[order], t_idx[order], score[order])


def sort_keys(keys: Array) -> tuple[Array, Array]:
    """Return the stable sorting order of non-negative int64 `keys` and the sorted keys.

    Each key is tagged with its position in its low bits (``key << b | i``: all distinct, so
    numpy's fast unstable sort gives the stable order) when that fits in int64, several
    times sooner than a stable sort; otherwise a stable argsort.
    """
    n = len(keys)
    bits = max(n.bit_length(), 1)
    if not n or (keys.min() >= 0 and int(keys.max()).bit_length() + bits < 63):
        tagged = np.sort((keys << bits) | np.arange(n, dtype=np.int64))
        order: Array = (tagged & ((1 << bits) - 1)).astype(np.intp)
        return order, tagged >> bits
    order = np.argsort(keys, kind="stable")
    return order, keys[order]


def _indices(records: list[Any], field: str, index: Mapping[str, int]) -> Array | None:
    """Return the index of each record's ``field`` id, or None when one is not a known id."""
    values: Iterator[Any] = map(dict.get, records, repeat(field))
    try:  # only strings are keys: any other value is missing or unhashable
        return np.fromiter(map(index.__getitem__, values), np.intp, len(records))
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
