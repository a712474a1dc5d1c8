"""Field checkers: each returns a clean value or raises `InstanceError` naming the field."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from itertools import chain, repeat
from types import NoneType
from typing import Any

from ._errors import InstanceError

MODALITIES = ("in_person", "online", "either")


def record(value: Any, path: str) -> Mapping[str, Any]:
    """Return `value` if it is a JSON object."""
    if type(value) is dict:  # decoded JSON: skips the slower abstract-class test
        return value
    if not isinstance(value, Mapping):
        raise InstanceError(path, "must be an object")
    return value


def records(parent: Mapping[str, Any], key: str, *, required: bool) -> list[Mapping[str, Any]]:
    """Return the list of objects under `key` (empty when optional and missing or null)."""
    value = parent.get(key)
    if value is None:
        if required:
            raise InstanceError(key, "is required (a list of objects)")
        return []
    if not isinstance(value, list):
        raise InstanceError(key, "must be a list of objects")
    if not set(map(type, value)) - {dict}:  # decoded JSON: no path to build
        return value
    return [record(item, f"{key}[{i}]") for i, item in enumerate(value)]


def required(rec: Mapping[str, Any], key: str, path: str) -> Any:
    """Return ``rec[key]`` or say it is missing."""
    if rec.get(key) is None:
        raise InstanceError(f"{path}.{key}", "is required")
    return rec[key]


def identifier(rec: Mapping[str, Any], path: str) -> str:
    """Return the record's non-empty string ``id``."""
    value = rec.get("id")
    if type(value) is str and value:
        return value
    value = required(rec, "id", path)
    if not isinstance(value, str) or not value:
        raise InstanceError(f"{path}.id", "must be a non-empty string")
    return value


def integer(value: Any, path: str, *, minimum: int | None = None) -> int:
    """Return `value` as an int (booleans refused), at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, int):
        bound = "" if minimum is None else f" >= {minimum}"
        raise InstanceError(path, f"must be an integer{bound}")
    if minimum is not None and value < minimum:
        raise InstanceError(path, f"must be an integer >= {minimum}")
    return value


def number(value: Any, path: str, *, low: float, high: float) -> float:
    """Return `value` as a finite float in ``[low, high]`` (booleans refused)."""
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not math.isfinite(min(max(value, -1e308), 1e308)) or not low <= value <= high:
        span = f">= {low:g}" if math.isinf(high) else f"in [{low:g}, {high:g}]"
        raise InstanceError(path, f"must be a number {span}")
    return float(value)


def boolean(rec: Mapping[str, Any], key: str, path: str, *, default: bool) -> bool:
    """Return the boolean ``rec[key]``, or `default` when missing."""
    value = rec.get(key, default)
    if not isinstance(value, bool):
        raise InstanceError(f"{path}.{key}", "must be true or false")
    return value


def strings(rec: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
    """Return a list of strings as a tuple with duplicates removed (empty when missing)."""
    value = rec.get(key)
    if value is None:
        return ()
    try:  # str.__len__ refuses anything but a string; a length of 0 is falsy
        ok = isinstance(value, list) and all(map(str.__len__, value))
    except TypeError:
        ok = False
    if not ok:
        raise InstanceError(f"{path}.{key}", "must be a list of non-empty strings")
    return tuple(dict.fromkeys(value))


def optional_string(rec: Mapping[str, Any], key: str, path: str) -> str | None:
    """Return a string field or None when missing or null."""
    value = rec.get(key)
    if value is not None and not isinstance(value, str):
        raise InstanceError(f"{path}.{key}", "must be a string or null")
    return value


def modality(rec: Mapping[str, Any], path: str) -> str:
    """Return the ``modality`` (default ``either``)."""
    value = rec.get("modality", "either")
    if value not in MODALITIES:
        raise InstanceError(f"{path}.modality", "must be one of in_person, online, either")
    return str(value)


def date(value: Any, path: str) -> dt.date:
    """Return an ISO ``YYYY-MM-DD`` date."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InstanceError(path, "must be a date YYYY-MM-DD")


def band(rec: Mapping[str, Any], path: str) -> tuple[int, int]:
    """Return the inclusive grade band ``grades: [low, high]``."""
    value = required(rec, "grades", path)
    where = f"{path}.grades"
    if not isinstance(value, list) or len(value) != 2:
        raise InstanceError(where, "must be a list [lowest, highest] of two integers")
    low, high = (integer(v, f"{where}[{i}]") for i, v in enumerate(value))
    if low > high:
        raise InstanceError(where, f"lowest grade {low} is above highest grade {high}")
    return low, high


# Whole columns: decoded JSON is checked a field of all records at a time, with C-level
# `map`s. Each returns None (or False) where a record would be refused: the caller then
# checks the records one by one with the functions above, which name the first bad field.


def column(recs: list[Any], key: str, default: Any = None) -> list[Any]:
    """Return ``rec.get(key, default)`` of each record; `recs` must all be dicts."""
    return list(map(dict.get, recs, repeat(key), repeat(default)))


def all_of(values: list[Any], *types: type) -> bool:
    """Return whether the type of every value is one of `types` exactly (no subclasses)."""
    return set(map(type, values)) <= set(types)


def identifiers(values: list[Any]) -> bool:
    """Return whether every value is a non-empty string (an ``id``)."""
    return all_of(values, str) and all(values)


def strings_column(values: list[Any]) -> list[tuple[str, ...]] | None:
    """Return `strings` of each value, or None when one is not null or non-empty strings."""
    if not all_of(values, list, NoneType):
        return None
    lists = [() if v is None else v for v in values] if None in values else values
    flat = list(chain.from_iterable(lists))
    if not (all_of(flat, str) and all(flat)):
        return None
    return list(map(tuple, map(dict.fromkeys, lists)))


def modalities(values: list[Any]) -> bool:
    """Return whether every value is a modality (see `modality`)."""
    return all_of(values, str) and set(values) <= set(MODALITIES)


def bands(values: list[Any]) -> list[tuple[int, int]] | None:
    """Return each value as `band` does, or None when one is not ``[low, high]``."""
    if not (all_of(values, list) and set(map(len, values)) <= {2}):
        return None
    if not all_of(list(chain.from_iterable(values)), int):
        return None
    out = [(low, high) for low, high in values]
    return out if all(low <= high for low, high in out) else None
