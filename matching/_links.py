"""Pairs named in an instance: ``pinned``, ``forbidden`` and ``edges``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import _check as check
from ._errors import InstanceError


@dataclass(frozen=True, slots=True)
class Link:
    """A (student, mentor or project) pair by index; ``where`` is its place in the instance."""

    student: int
    target: int
    score: float
    where: str


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
