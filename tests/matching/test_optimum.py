"""The optimum against brute force and an independent dense formulation."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from scipy.optimize import linear_sum_assignment

import matching
from matching import _dense

from .conftest import brute_force, edge_instances, make_mentor, make_student, profile_instances

SETTINGS = settings(
    deadline=None,
    max_examples=40,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(params=["scipy-lsa", "whole-graph", "shortlist-with-pricing"])
def solver(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run each optimum test on every exact path (small sides take scipy's by default)."""
    if request.param != "scipy-lsa":
        monkeypatch.setattr(_dense, "MAX_STUDENTS", 0)
    if request.param == "shortlist-with-pricing":
        solve_module = sys.modules["matching._solve"]
        monkeypatch.setattr(solve_module, "WHOLE_GRAPH_CELLS", 0)
        # explicit edges: a shortlist of each student's best edge and each mentor's best
        # `capacity` students, so that pricing must find the rest
        monkeypatch.setattr(solve_module, "K_ROW_EDGES", 1)
        monkeypatch.setattr(solve_module, "K_COL_EXTRA", 0)
    return str(request.param)


def _dense_optimum(scores: np.ndarray, capacity: np.ndarray) -> tuple[int, float]:
    """Return (matched, total) by linear_sum_assignment on the capacity-expanded matrix."""
    n = scores.shape[0]
    big = n + 1.0
    expanded = np.repeat(scores, capacity, axis=1)
    cost = np.where(np.isnan(expanded), 1e9, -(big + np.nan_to_num(expanded)))
    dummies = np.full((n, n), 1e9)
    np.fill_diagonal(dummies, 0.0)
    rows, cols = linear_sum_assignment(np.hstack([cost, dummies]))
    real = cols < expanded.shape[1]
    return int(real.sum()), float(expanded[rows[real], cols[real]].sum())


def _result_figures(inst: dict[str, Any]) -> tuple[int, float]:
    stats = matching.solve(inst, timings=False)["stats"]["mentor"]
    return stats["matched"], stats["total_score"]


@SETTINGS
@given(inst=edge_instances())
def test_edges_match_brute_force(inst: dict[str, Any], solver: str) -> None:
    m = matching.score_matrix(inst)
    matched, total = brute_force(m.scores, m.capacity)
    got = _result_figures(inst)
    assert got[0] == matched and got[1] == pytest.approx(total, abs=1e-9)


@SETTINGS
@given(inst=profile_instances(max_students=6, max_mentors=3))
def test_profiles_match_brute_force(inst: dict[str, Any], solver: str) -> None:
    m = matching.score_matrix(inst)
    matched, total = brute_force(m.scores, m.capacity)
    got = _result_figures(inst)
    assert got[0] == matched and got[1] == pytest.approx(total, abs=1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_medium_matches_dense_assignment(seed: int, solver: str) -> None:
    rng = np.random.default_rng(seed)
    slots, tags = ["mon-am", "tue-pm", "wed-pm", "sat-am"], ["a", "b", "c", "d", "e", "f"]

    def some(items: list[str]) -> list[str]:
        return list(rng.choice(items, size=int(rng.integers(1, 4)), replace=False))

    students = [
        make_student(
            f"s{i}",
            grade=int(rng.integers(8, 13)),
            interests=some(tags),
            availability=some(slots),
            minor=bool(rng.random() < 0.7),
        )
        for i in range(120)
    ]
    mentors = [
        make_mentor(
            f"m{j}",
            capacity=int(rng.integers(1, 4)),
            interests=some(tags),
            availability=some(slots),
            grades=[8, int(rng.integers(9, 13))],
        )
        for j in range(30)
    ]
    inst = {"as_of": "2026-09-01", "students": students, "mentors": mentors, "min_score": 0.3}
    m = matching.score_matrix(inst)
    matched, total = _dense_optimum(m.scores, m.capacity)
    got = _result_figures(inst)
    assert got[0] == matched and got[1] == pytest.approx(total, abs=1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_medium_edges_match_dense_assignment(seed: int, solver: str) -> None:
    rng = np.random.default_rng(seed)
    n, m = 150, 40
    scores = np.where(rng.random((n, m)) < 0.3, rng.choice([0.2, 0.5, 0.7, 0.9], (n, m)), np.nan)
    capacity = rng.integers(1, 4, m)
    inst = {
        "min_score": 0.3,
        "students": [{"id": f"s{i}"} for i in range(n)],
        "mentors": [{"id": f"m{j}", "capacity": int(c)} for j, c in enumerate(capacity)],
        "edges": [
            {"student": f"s{i}", "mentor": f"m{j}", "score": float(scores[i, j])}
            for i, j in zip(*np.nonzero(~np.isnan(scores)), strict=True)
        ],
    }
    allowed = np.where(scores >= 0.3, scores, np.nan)
    matched, total = _dense_optimum(allowed, capacity)
    result = matching.solve(inst, timings=False)["stats"]["mentor"]
    assert result["matched"] == matched and result["total_score"] == pytest.approx(total, abs=1e-9)
    if solver == "shortlist-with-pricing":  # pricing did add pairs
        assert result["lp_rounds"] > 1 and result["lp_pairs"] > result["candidate_pairs"]


@SETTINGS
@given(edge_instances(max_students=5, max_mentors=3))
def test_assign_building_block(inst: dict[str, Any]) -> None:
    m = matching.score_matrix(inst)
    col_of = matching.assign(m.scores, m.capacity)
    taken = col_of[col_of >= 0]
    assert np.all(np.bincount(taken, minlength=len(m.capacity)) <= m.capacity)
    total = float(sum(m.scores[i, c] for i, c in enumerate(col_of) if c >= 0))
    matched, best = brute_force(m.scores, m.capacity)
    assert len(taken) == matched and total == pytest.approx(best, abs=1e-9)
