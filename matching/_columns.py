"""Records checked a field of all records at a time: the fast path of `_schema`.

Each function returns the fields of well-formed records as columns, in the order of the
`Student` (or `Target`) fields, or None when some record would be refused: `_schema` then
checks the records one by one, which names the first bad record and field. A column is
accepted only where the record-by-record check accepts every value and returns it as is.
"""

from __future__ import annotations

import datetime as dt
from types import NoneType
from typing import Any

from . import _check as check
from ._errors import InstanceError

STATUSES = ("verified", "pending", "none", "expired")
_ABSENT = object()  # a project's `languages` key is missing (not null: that is no language)
Columns = list[list[Any]]


def students(recs: list[Any], profiles: bool) -> Columns | None:
    """Return the `Student` fields of `recs` as columns (only ids in edges mode)."""
    if not check.all_of(recs, dict):
        return None
    ids = check.column(recs, "id")
    if not check.identifiers(ids):
        return None
    if not profiles:
        return [ids]
    grades, minors = check.column(recs, "grade"), check.column(recs, "minor", True)
    tags = [
        check.strings_column(check.column(recs, k))
        for k in ("interests", "goals", "availability", "languages")
    ]
    modalities, areas = check.column(recs, "modality", "either"), check.column(recs, "area")
    if not (check.all_of(grades, int) and check.all_of(minors, bool)):
        return None
    if not (check.modalities(modalities) and check.all_of(areas, str, NoneType)):
        return None
    interests, goals, slots, languages = tags
    if interests is None or goals is None or slots is None or languages is None:
        return None
    return [ids, grades, minors, interests, goals, slots, modalities, languages, areas]


def targets(recs: list[Any], kind: str, profiles: bool, as_of: dt.date) -> Columns | None:
    """Return the `Target` fields of the mentors or projects `recs` as columns."""
    if not check.all_of(recs, dict):
        return None
    ids, capacities = check.column(recs, "id"), check.column(recs, "capacity")
    if not (check.identifiers(ids) and check.all_of(capacities, int)):
        return None
    if min(capacities, default=0) < 0:
        return None
    if not profiles:
        return [ids, capacities]
    own = _mentors(recs, as_of) if kind == "mentor" else _projects(recs)
    slots = check.strings_column(check.column(recs, "availability"))
    modalities, areas = check.column(recs, "modality", "either"), check.column(recs, "area")
    bands = check.bands(check.column(recs, "grades"))
    if own is None or slots is None or bands is None:
        return None
    if not (check.modalities(modalities) and check.all_of(areas, str, NoneType)):
        return None
    interests, goals, languages, cleared, trained = own
    return [
        ids,
        capacities,
        interests,
        goals,
        slots,
        modalities,
        languages,
        bands,
        areas,
        cleared,
        trained,
    ]


def _mentors(recs: list[Any], as_of: dt.date) -> Columns | None:
    """Return the mentors' interests, goals, languages, cleared and trained columns."""
    interests, goals, languages = (
        check.strings_column(check.column(recs, k)) for k in ("interests", "expertise", "languages")
    )
    cleared = _cleared(check.column(recs, "background_check"), as_of)
    trained = check.column(recs, "trained", True)
    if interests is None or goals is None or languages is None or cleared is None:
        return None
    return [interests, goals, languages, cleared, trained] if check.all_of(trained, bool) else None


def _projects(recs: list[Any]) -> Columns | None:
    """Return the projects' interests and goals (both their skills), languages, cleared, trained."""
    skills = check.strings_column(check.column(recs, "skills"))
    given = check.column(recs, "languages", _ABSENT)
    listed = check.strings_column([None if v is _ABSENT else v for v in given])
    cleared = check.column(recs, "supervisor_checked", False)
    if skills is None or listed is None or not check.all_of(cleared, bool):
        return None
    languages = [None if v is _ABSENT else tags for v, tags in zip(given, listed, strict=True)]
    return [skills, skills, languages, cleared, [True] * len(recs)]


def _cleared(checks: list[Any], as_of: dt.date) -> list[bool] | None:
    """Return whether each background check counts on `as_of` (see `_schema`)."""
    out = []
    for value in checks:
        bg = value or {"status": "none"}
        if type(bg) is not dict or bg.get("status") not in STATUSES:
            return None
        expires = bg.get("expires")
        try:
            expiry = None if expires is None else check.date(expires, "")
        except InstanceError:
            return None
        out.append(counts(bg["status"], expiry, as_of))
    return out


def counts(status: str, expiry: dt.date | None, as_of: dt.date) -> bool:
    """Return whether a background check of this status and expiry counts on `as_of`."""
    return status == "verified" and (expiry is None or expiry >= as_of)
