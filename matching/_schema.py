"""Typed records parsed from an instance dict; every check names the record and field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from . import _check as check
from . import _columns
from ._columns import STATUSES
from ._criteria import DEFAULT_RULES, DEFAULT_WEIGHTS, NAMES
from ._errors import InstanceError
from ._links import EdgeList, Link, Split, parse_edges, parse_links, split_edges

Kind = Literal["mentor", "project"]
KINDS: tuple[Kind, Kind] = ("mentor", "project")


@dataclass(frozen=True, slots=True)
class Student:
    """A student's profile (only ``id`` is meaningful in edges mode)."""

    id: str
    grade: int = 0
    minor: bool = True
    interests: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    availability: tuple[str, ...] = ()
    modality: str = "either"
    languages: tuple[str, ...] = ()
    area: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """A mentor or a project; ``cleared`` is a valid background check or a supervisor check."""

    id: str
    capacity: int
    interests: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    availability: tuple[str, ...] = ()
    modality: str = "either"
    languages: tuple[str, ...] | None = None
    grades: tuple[int, int] = (0, 0)
    area: str | None = None
    cleared: bool = False
    trained: bool = True


@dataclass(frozen=True, slots=True)
class Side:
    """What one matching problem (mentors, or projects) needs besides the students."""

    kind: Kind
    targets: tuple[Target, ...]
    pinned: tuple[Link, ...]
    forbidden: tuple[Link, ...]
    edges: EdgeList | None


@dataclass(frozen=True, slots=True)
class Instance:
    """A validated instance."""

    as_of: dt.date
    min_score: float
    require_slot: bool
    require_language: bool
    require_training: bool
    weights: tuple[float, ...]
    exact: bool
    students: tuple[Student, ...]
    sides: tuple[Side, Side]


def parse(raw: Any, *, today: dt.date | None = None) -> Instance:
    """Validate `raw` (a decoded JSON object) and return an `Instance`; never mutates it."""
    top = check.record(raw, "instance")
    as_of = today or dt.date.today()
    if top.get("as_of") is not None:
        as_of = check.date(top["as_of"], "as_of")
    min_score = check.number(top.get("min_score", 0.0), "min_score", low=0.0, high=1.0)
    rules = _switches(top, "rules", dict(DEFAULT_RULES))
    exact = _switches(top, "options", {"exact": True})["exact"]
    profiles = top.get("edges") is None
    students = _students(top, profiles)
    index = _unique([s.id for s in students], "students")
    split = None if profiles else split_edges(top.get("edges"))
    sides = tuple(_side(top, kind, students, index, profiles, as_of, split) for kind in KINDS)
    return Instance(
        as_of,
        min_score,
        rules["require_common_slot"],
        rules["require_common_language"],
        rules["require_training"],
        _weights(top),
        exact,
        students,
        (sides[0], sides[1]),
    )


def _switches(top: Mapping[str, Any], key: str, known: dict[str, bool]) -> dict[str, bool]:
    """Return ``known`` updated from the object ``top[key]`` of booleans."""
    given = check.record(top.get(key) or {}, key)
    for name in given:
        if name not in known:
            raise InstanceError(f"{key}.{name}", f"unknown; known: {', '.join(known)}")
        known[name] = check.boolean(given, name, key, default=True)
    return known


def _weights(top: Mapping[str, Any]) -> tuple[float, ...]:
    """Return the criterion weights in `NAMES` order (missing ones take the default)."""
    given = check.record(top.get("weights") or {}, "weights")
    for name in given:
        if name not in DEFAULT_WEIGHTS:
            raise InstanceError(f"weights.{name}", f"unknown; known: {', '.join(NAMES)}")
    weights = tuple(
        check.number(given.get(n, DEFAULT_WEIGHTS[n]), f"weights.{n}", low=0, high=float("inf"))
        for n in NAMES
    )
    if sum(weights) <= 0:
        raise InstanceError("weights", "at least one weight must be above 0")
    return weights


def _unique(ids: list[str], key: str) -> dict[str, int]:
    """Return id -> index, refusing duplicates."""
    index = dict(zip(ids, range(len(ids)), strict=True))
    if len(index) == len(ids):
        return index
    index = {}  # a duplicate: find the first one, to name it
    for i, ident in enumerate(ids):
        if ident in index:
            first = f"{key}[{index[ident]}]"
            raise InstanceError(f"{key}[{i}].id", f"duplicate id {ident!r} (also {first})")
        index[ident] = i
    return index


def _students(top: Mapping[str, Any], profiles: bool) -> tuple[Student, ...]:
    """Parse ``students`` (checked a field at a time; one by one when one is bad)."""
    recs = check.records(top, "students", required=True)
    columns = _columns.students(recs, profiles)
    if columns is not None:
        return tuple(map(Student, *columns))
    return tuple(_student(rec, f"students[{i}]", profiles) for i, rec in enumerate(recs))


def _student(rec: Mapping[str, Any], path: str, profiles: bool) -> Student:
    """Parse one student's record."""
    ident = check.identifier(rec, path)
    if not profiles:
        return Student(ident)
    grade = check.integer(check.required(rec, "grade", path), f"{path}.grade")
    return Student(
        ident,
        grade,
        check.boolean(rec, "minor", path, default=True),
        check.strings(rec, "interests", path),
        check.strings(rec, "goals", path),
        check.strings(rec, "availability", path),
        check.modality(rec, path),
        check.strings(rec, "languages", path),
        check.optional_string(rec, "area", path),
    )


def _targets(top: Mapping[str, Any], kind: Kind, profiles: bool, as_of: dt.date) -> list[Target]:
    """Parse the mentors (or projects): checked a field at a time; one by one when one is bad."""
    key = f"{kind}s"
    recs = check.records(top, key, required=False)
    columns = _columns.targets(recs, kind, profiles, as_of)
    if columns is not None:
        return list(map(Target, *columns))
    return [_target(rec, f"{key}[{i}]", kind, profiles, as_of) for i, rec in enumerate(recs)]


def _target(
    rec: Mapping[str, Any], path: str, kind: Kind, profiles: bool, as_of: dt.date
) -> Target:
    """Parse one mentor or project (only its id and capacity in edges mode)."""
    if not profiles:  # a missing capacity is named before the id, as it always was
        cap = check.required(rec, "capacity", path)
        return Target(
            check.identifier(rec, path), check.integer(cap, f"{path}.capacity", minimum=0)
        )
    ident = check.identifier(rec, path)
    capacity = check.integer(check.required(rec, "capacity", path), f"{path}.capacity", minimum=0)
    if kind == "mentor":
        interests, goals = (check.strings(rec, k, path) for k in ("interests", "expertise"))
        languages: tuple[str, ...] | None = check.strings(rec, "languages", path)
        cleared = _background_check(rec, path, as_of)
        trained = check.boolean(rec, "trained", path, default=True)
    else:
        interests = goals = check.strings(rec, "skills", path)
        languages = check.strings(rec, "languages", path) if "languages" in rec else None
        cleared = check.boolean(rec, "supervisor_checked", path, default=False)
        trained = True
    return Target(
        ident,
        capacity,
        interests,
        goals,
        check.strings(rec, "availability", path),
        check.modality(rec, path),
        languages,
        check.band(rec, path),
        check.optional_string(rec, "area", path),
        cleared,
        trained,
    )


def _background_check(rec: Mapping[str, Any], path: str, as_of: dt.date) -> bool:
    """Return whether the mentor's background check counts on `as_of`."""
    where = f"{path}.background_check"
    bg = check.record(rec.get("background_check") or {"status": "none"}, where)
    status = bg.get("status")
    if status not in STATUSES:
        raise InstanceError(f"{where}.status", "must be one of verified, pending, none, expired")
    expires = bg.get("expires")
    expiry = None if expires is None else check.date(expires, f"{where}.expires")
    return _columns.counts(status, expiry, as_of)


def _side(
    top: Mapping[str, Any],
    kind: Kind,
    students: tuple[Student, ...],
    student_index: dict[str, int],
    profiles: bool,
    as_of: dt.date,
    split: Split = None,
) -> Side:
    """Parse the mentors (or projects) and the pins, forbidden pairs and edges about them."""
    targets = _targets(top, kind, profiles, as_of)
    index = _unique([t.id for t in targets], f"{kind}s")
    links = {
        name: parse_links(top, name, kind, student_index, index) for name in ("pinned", "forbidden")
    }
    edges = None if profiles else parse_edges(top, kind, student_index, index, split)
    _check_pins(links["pinned"], students, targets, kind)
    return Side(kind, tuple(targets), links["pinned"], links["forbidden"], edges)


def _check_pins(
    pins: tuple[Link, ...], students: tuple[Student, ...], targets: list[Target], kind: Kind
) -> None:
    """Refuse a student pinned twice or a target pinned beyond its capacity."""
    seen: dict[int, str] = {}
    load = [0] * len(targets)
    for pin in pins:
        target = targets[pin.target]
        ids: dict[str, Any] = {"student": students[pin.student].id, kind: target.id}
        if pin.student in seen:
            text = f"student already pinned to a {kind} at {seen[pin.student]}"
            raise InstanceError(pin.where, text, code="pin_twice", **ids)
        seen[pin.student] = pin.where
        load[pin.target] += 1
        if load[pin.target] > target.capacity:
            raise InstanceError(
                pin.where,
                f"{kind} {target.id!r} has capacity "
                f"{target.capacity} but {load[pin.target]} students are pinned to it",
                code="pin_over_capacity",
                **ids,
            )
