"""Invariants of `matching.solve` on hypothesis-generated instances."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings

import matching

from .conftest import edge_instances, frozen, profile_instances

SETTINGS = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])


def _check_invariants(inst: dict[str, Any], result: dict[str, Any]) -> None:
    """Assert capacity, nobody twice, allowed pairs only, and breakdown sums."""
    matrix = matching.score_matrix(inst)
    index = {s: i for i, s in enumerate(matrix.students)}
    cols = {t: j for j, t in enumerate(matrix.targets)}
    pairs = result["mentor_pairs"]
    students = [p["student"] for p in pairs]
    assert len(students) == len(set(students))
    load = Counter(p["mentor"] for p in pairs)
    for mentor, n in load.items():
        assert n <= matrix.capacity[cols[mentor]]
    for p in pairs:
        value = matrix.scores[index[p["student"]], cols[p["mentor"]]]
        if not p["pinned"]:
            assert not np.isnan(value), "an assigned pair must be allowed"
            assert p["score"] >= inst.get("min_score", 0.0)
            assert p["score"] == value
        if p["breakdown"]:
            assert abs(sum(p["breakdown"].values()) - p["score"]) < 1e-12
        for alt in p["alternatives"]["student"]:
            assert alt["mentor"] != p["mentor"]
    forbidden = {(f["student"], f["mentor"]) for f in inst.get("forbidden", [])}
    assert not forbidden & {(p["student"], p["mentor"]) for p in pairs}
    unmatched = {u["student"] for u in result["unmatched"]["mentor"]}
    assert unmatched | set(students) == set(index) and not unmatched & set(students)
    assert all(u["reason"] for u in result["unmatched"]["mentor"])
    stats = result["stats"]["mentor"]
    assert stats["matched"] == len(pairs)
    assert abs(stats["total_score"] - sum(p["score"] for p in pairs)) < 1e-9


@SETTINGS
@given(profile_instances())
def test_profile_invariants(inst: dict[str, Any]) -> None:
    before = frozen(inst)
    result = matching.solve(inst, timings=False)
    assert inst == before, "solve must not mutate its input"
    _check_invariants(inst, result)
    again = matching.solve(frozen(inst), timings=False)
    assert json.dumps(again) == json.dumps(result)


@SETTINGS
@given(edge_instances())
def test_edge_invariants(inst: dict[str, Any]) -> None:
    before = frozen(inst)
    result = matching.solve(inst, timings=False)
    assert inst == before
    _check_invariants(inst, result)


@SETTINGS
@given(profile_instances(max_students=6, max_mentors=3))
def test_pins_are_kept(inst: dict[str, Any]) -> None:
    first = matching.solve(inst, timings=False)["mentor_pairs"]
    if not first:
        return
    pin = {"student": first[0]["student"], "mentor": first[0]["mentor"]}
    pinned = inst | {"pinned": [pin]}
    result = matching.solve(pinned, timings=False)
    chosen = {(p["student"], p["mentor"]): p["pinned"] for p in result["mentor_pairs"]}
    assert chosen[(pin["student"], pin["mentor"])] is True
    _check_invariants(pinned, result)
