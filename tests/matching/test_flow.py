"""The large-instance path (assignment on a shortlist, potentials, pricing) is exact."""

from __future__ import annotations

import itertools
import sys
from typing import Any

import numpy as np
import pytest

from matching import _dense, _flow, _profile
from matching._pairs import Pairs
from matching._schema import parse

from .conftest import make_mentor, make_student
from .test_optimum import _dense_optimum
from .test_optimum import test_medium_matches_dense_assignment as _medium

_solve = sys.modules["matching._solve"]  # `matching._solve` the attribute is the function


@pytest.fixture
def tiny_shortlist(monkeypatch: pytest.MonkeyPatch) -> None:
    """Force the large-instance path with a shortlist so small that pricing must work."""
    monkeypatch.setattr(_solve, "WHOLE_GRAPH_CELLS", 0)
    monkeypatch.setattr(_dense, "MAX_STUDENTS", 0)
    monkeypatch.setattr(_solve, "K_ROW", 1)
    monkeypatch.setattr(_solve, "K_COL_EXTRA", 0)
    monkeypatch.setattr(_flow, "NEAR", 0.0)


@pytest.mark.parametrize("seed", range(4))
def test_forced_large_path_matches_dense(seed: int, tiny_shortlist: None) -> None:
    _medium(seed, "flow")  # the same instances, now through pricing from a 1-per-row list


def test_pricing_rounds_happen(tiny_shortlist: None, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    real = _flow.optimum

    def spy(*args: Any, **kwargs: Any) -> _flow.Solution:
        sol = real(*args, **kwargs)
        seen.append(sol.rounds)
        return sol

    monkeypatch.setattr(_flow, "optimum", spy)
    _medium(0, "flow")
    assert seen and max(seen) > 1, "the 1-per-row shortlist must need pricing"


@pytest.mark.parametrize("seed", range(6))
def test_potentials_certify_the_optimum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = 40, 9
    allowed = rng.random((n, m)) < 0.5
    rows, cols = np.nonzero(allowed)
    pairs = Pairs(rows.astype(np.intp), cols.astype(np.intp), rng.random(len(rows)).round(2))
    capacity = rng.integers(0, 4, size=m).astype(np.int64)
    pairs = pairs.select(capacity[pairs.cols] > 0)
    big = min(n, int(capacity.sum())) + 1
    w = _flow.weights(pairs.scores, big)
    col_of = _flow.assign(pairs, capacity, n)
    u, v = _flow.potentials(pairs, w, col_of, capacity, n)
    slack = u[pairs.rows] + v[pairs.cols] - w
    assert np.all(slack >= 0) and np.all(u >= 0) and np.all(v >= 0)
    chosen = col_of[pairs.rows] == pairs.cols
    assert np.all(slack[chosen] == 0)
    assert np.all(u[col_of < 0] == 0)  # complementary slackness: the bound is tight
    load = np.bincount(col_of[col_of >= 0], minlength=m)
    assert np.all(v[load < capacity] == 0)
    dense = np.full((n, m), np.nan)
    dense[pairs.rows, pairs.cols] = pairs.scores
    matched, total = _dense_optimum(dense, capacity)
    assert (col_of >= 0).sum() == matched
    assert pairs.scores[chosen].sum() == pytest.approx(total, abs=1e-9)


def test_potentials_refuse_an_assignment_that_is_not_optimal() -> None:
    # row 0 could take column 1 and free column 0 for row 1: one more match
    pairs = Pairs(np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([0.9, 0.8, 0.7]))
    capacity = np.array([1, 1])
    w = _flow.weights(pairs.scores, 3)
    with pytest.raises(_flow.NotOptimalError):
        _flow.potentials(pairs, w, np.array([0, -1]), capacity, 2)
    u, v = _flow.potentials(pairs, w, np.array([1, 0]), capacity, 2)
    assert np.all(u[pairs.rows] + v[pairs.cols] >= w)


def test_potentials_refuse_a_swap_that_would_gain() -> None:
    # both matched, each to the other's better column: a negative cycle between the columns
    pairs = Pairs(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.array([0.9, 0.1, 0.1, 0.9]))
    w = _flow.weights(pairs.scores, 3)
    with pytest.raises(_flow.NotOptimalError, match="negative cycle"):
        _flow.potentials(pairs, w, np.array([1, 0]), np.array([1, 1]), 2)
    u, v = _flow.potentials(pairs, w, np.array([0, 1]), np.array([1, 1]), 2)
    assert np.all(u[pairs.rows] + v[pairs.cols] >= w)


def test_pricing_that_does_not_converge_is_not_called_exact(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_flow, "MAX_ROUNDS", 1)
    pairs = Pairs(np.array([0]), np.array([0]), np.array([0.5]))
    sol = _flow.optimum(pairs, np.array([1, 1]), 1, row_bound=np.array([0.9]), scan=_no_scan)
    assert sol.col_of.tolist() == [0] and not sol.exact
    assert _flow.optimum(pairs, np.array([1, 1]), 1).exact  # nothing left out


def _no_scan(rows: Any, floor: Any, price: Any) -> Pairs:
    return Pairs.empty()


@pytest.mark.parametrize("seed", range(2))
def test_forced_large_path_without_stored_bounds(
    seed: int, tiny_shortlist: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_profile, "STORE_CELLS", 0)  # pricing rescores every block
    _medium(seed, "flow")


@pytest.mark.parametrize("seed", range(3))
def test_scan_on_stored_bounds_equals_rescoring(seed: int) -> None:
    rng = np.random.default_rng(seed)
    tags, slots = list("abcdef"), ["mon-am", "tue-pm", "wed-pm", "sat-am"]

    def some(items: list[str]) -> list[str]:
        return list(rng.choice(items, size=int(rng.integers(1, 4)), replace=False))

    students = [
        make_student(
            f"s{i}", grade=int(rng.integers(8, 13)), interests=some(tags), availability=some(slots)
        )
        for i in range(60)
    ]
    mentors = [
        make_mentor(
            f"m{j}",
            interests=some(tags),
            availability=some(slots),
            grades=[8, int(rng.integers(9, 13))],
        )
        for j in range(20)
    ]
    inst = parse({"as_of": "2026-09-01", "students": students, "mentors": mentors})
    side = inst.sides[0]
    stored, plain = _profile.ProfileScorer(inst, side), _profile.ProfileScorer(inst, side)
    stored.shortlist(2, 3)
    assert stored._ub is not None and plain._ub is None
    rows = np.sort(rng.choice(60, 40, replace=False))
    floor = rng.uniform(-0.2, 1.0, 40)
    price = rng.uniform(-0.3, 0.3, 20)
    for args in ((rows, floor), (rows, floor, price), (rows, np.full(40, -np.inf))):
        a, b = stored.scan(*args), plain.scan(*args)
        assert np.array_equal(a.rows, b.rows) and np.array_equal(a.cols, b.cols)
        assert np.array_equal(a.scores, b.scores)
        cols = np.sort(rng.choice(20, 7, replace=False))
        whole = a.select(np.isin(a.cols, cols))
        for scorer in (stored, plain):  # only those columns, the same pairs
            some = scorer.scan(*args, *((None,) if len(args) == 2 else ()), cols)
            assert np.array_equal(some.rows, whole.rows) and np.array_equal(some.cols, whole.cols)
            assert np.array_equal(some.scores, whole.scores)


def test_later_rounds_on_the_pairs_near_tight_stay_exact(
    tiny_shortlist: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    solved: list[int] = []  # pairs given to each assignment solve
    smaller: list[bool] = []  # per optimum: a solve on fewer pairs than the one before
    assign, optimum = _flow.assign, _flow.optimum

    def spy_assign(pairs: Pairs, *args: Any) -> Any:
        solved.append(len(pairs))
        return assign(pairs, *args)

    def spy_optimum(*args: Any, **kwargs: Any) -> _flow.Solution:
        solved.clear()
        sol = optimum(*args, **kwargs)
        smaller.append(any(b < a for a, b in itertools.pairwise(solved)))  # pairs only grow
        return sol

    monkeypatch.setattr(_flow, "assign", spy_assign)
    monkeypatch.setattr(_flow, "optimum", spy_optimum)
    monkeypatch.setattr(_flow, "FEW_NEW", 1.0)  # every round after the first: the near pairs
    monkeypatch.setattr(_flow, "WORKING", 0.01)  # so close that known pairs come back
    for seed in range(4):
        _medium(seed, "flow")  # the optimum, still
    assert any(smaller), "a round on the pairs near tight"


@pytest.mark.parametrize("seed", range(4))
def test_pricing_that_reads_only_where_thresholds_fell_stays_exact(
    seed: int, tiny_shortlist: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    partial: list[bool] = []
    real = _profile.ProfileScorer.scan

    def spy(self: _profile.ProfileScorer, rows: Any, *args: Any) -> Pairs:
        partial.append(len(rows) < self.n_rows or len(args) > 2)
        return real(self, rows, *args)

    monkeypatch.setattr(_profile.ProfileScorer, "scan", spy)
    monkeypatch.setattr(_flow, "RESCAN_SHARE", 2.0)  # never a whole scan after the first
    _medium(seed, "flow")
    assert any(partial), "a partial pricing scan"


def test_pricing_reads_again_the_columns_whose_price_fell() -> None:
    scores = np.full((4, 3), 0.9)
    reads: list[tuple[int, int]] = []

    def scan(rows: Any, floor: Any, price: Any, cols: Any = None) -> Pairs:
        cols = np.arange(3) if cols is None else cols
        reads.append((len(rows), len(cols)))
        r, c = np.nonzero(scores[np.ix_(rows, cols)] >= floor[:, None] + price[None, cols])
        return Pairs(rows[r], cols[c], scores[rows[r], cols[c]])

    pricing = _flow._Pricing(scan, np.ones(3, np.int64), 1, np.full(4, np.inf))
    u = np.full(4, int(1.5 * _flow.SCALE))  # row floors 0.5
    v = np.full(3, int(0.6 * _flow.SCALE))  # thresholds 1.1: nothing violates
    assert not len(pricing.violators(Pairs.empty(), u, v))
    v[2] = 0  # column 2's threshold falls to 0.5: its four pairs violate
    found = pricing.violators(Pairs.empty(), u, v)
    assert found.cols.tolist() == [2, 2, 2, 2] and found.rows.tolist() == [0, 1, 2, 3]
    assert reads == [(4, 3), (4, 1)]  # the second scan read that column only
