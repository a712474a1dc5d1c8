"""The profile scans equal dense broadcast arithmetic bit for bit, and stay within MARGIN."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import _bounds, _explain, _features, _profile, _reasons, _tags, _topk
from matching._criteria import MODALITY_SCORE, NAMES, grade, language, overlap
from matching._schema import parse

from .conftest import make_mentor, make_student, profile_instances

SETTINGS = settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
Array = np.ndarray


def _scorer(raw: dict[str, Any]) -> _profile.ProfileScorer:
    inst = parse(raw)
    return _profile.ProfileScorer(inst, inst.sides[0], threads=1)


def _dense_counts(sc: _profile.ProfileScorer, rows: Array) -> _features.Counts:
    """Return the counts of `rows` x all targets as one-hot matrix products."""
    sub = sc.s.take(rows)
    tt = [a.T for a in (sc.t.interests, sc.t.goals, sc.t.slots, sc.t.langs)]
    return _features.Counts(
        sub.interests @ tt[0],
        sub.goals @ tt[1],
        sub.slots @ tt[2],
        sub.langs @ tt[3],
        tt[3][sub.first_lang],
    )


def _dense(sc: _profile.ProfileScorer, rows: Array) -> tuple[Array, Array]:
    """Return the ``float32`` block (-1: not allowed) and the rule masks, by broadcasting."""
    s, t, counts = sc.s.take(rows).expanded(1), sc.t.expanded(0), _dense_counts(sc, rows)
    crit = [
        overlap(counts.interests, s.inv_interests, t.inv_interests),
        counts.goals * s.inv_goals,
        overlap(counts.slots, s.inv_slots, t.inv_slots),
        MODALITY_SCORE.astype(np.float32)[s.modality, t.modality],
        language(counts.first, counts.langs, t.any_language),
        grade(s.low, t.low, t.high),
        s.area == t.area,
    ]
    score = np.zeros((len(rows), sc.n_cols), np.float32)
    for w, c in zip(sc.w32, crit, strict=True):
        if w:
            score += w * c
    rules = np.logical_and.reduce([m for _, m in sc._rules(s, t, counts)])
    ok = rules & (score >= sc.instance.min_score - _profile.MARGIN)
    score[~ok] = -1.0
    score[sc._forbidden_in(rows)] = -1.0
    return score, rules


def _tiled(sc: _profile.ProfileScorer, rows: Array) -> Array:
    return np.concatenate(
        [np.zeros((0, sc.n_cols), np.float32)] + [s.copy() for _, s, _ in sc._tiles(rows)]
    )


@st.composite
def weighted(draw: st.DrawFn) -> dict[str, Any]:
    """Profile instances, sometimes with unusual weights (zeros, odd ratios)."""
    inst = draw(profile_instances(max_students=12, max_mentors=6))
    if draw(st.booleans()):
        values = st.sampled_from([0.0, 0.3, 1.0, 2.5, 7.0])
        weights = {name: draw(values) for name in NAMES}
        weights["interests"] = draw(st.sampled_from([0.1, 3.0]))  # the sum stays above 0
        inst["weights"] = weights
    return inst


@SETTINGS
@given(weighted())
def test_tiles_equal_broadcast_arithmetic_and_float64(raw: dict[str, Any]) -> None:
    sc = _scorer(raw)
    rows = np.arange(sc.n_rows)
    block, rules = _dense(sc, rows)
    assert np.array_equal(_tiled(sc, rows).view(np.int32), block.view(np.int32))
    r, c = np.divmod(np.arange(block.size), max(sc.n_cols, 1))
    exact = sc.score(r, c).reshape(block.shape)
    allowed = block >= 0  # float32 within MARGIN of float64; nothing allowed is lost
    assert np.all(np.abs(block[allowed] - exact[allowed]) <= _profile.MARGIN / 10)
    forbidden = np.zeros_like(allowed)
    forbidden[sc._forbidden_in(rows)] = True
    assert not np.any(rules & ~forbidden & ~allowed & (exact >= sc.instance.min_score))


def _benchmark(n: int, **extra: Any) -> dict[str, Any]:
    """Return `n` varied students, ``n / 3`` mentors and some forbidden pairs."""
    rng = np.random.default_rng(n)
    tags, slots = [f"t{i}" for i in range(12)], [f"d{i}" for i in range(8)]
    langs, areas = ["en", "es", "fr", "ar"], ["north", "south", "east", None]

    def some(items: list[Any], low: int, high: int) -> list[Any]:
        return list(rng.choice(items, size=int(rng.integers(low, high)), replace=False))

    def common() -> dict[str, Any]:
        return {
            "interests": some(tags, 0, 5),
            "availability": some(slots, 0, 5),
            "modality": str(rng.choice(["in_person", "online", "either"])),
            "languages": some(langs, 1, 3),
            "area": areas[int(rng.integers(4))],
        }

    students = [
        make_student(
            f"s{i}", grade=int(rng.integers(6, 13)), minor=bool(rng.random() < 0.7),
            goals=some(tags, 0, 3), **common(),
        )
        for i in range(n)
    ]  # fmt: skip
    mentors = []
    for j in range(n // 3):
        low = int(rng.integers(6, 12))
        status = str(rng.choice(["verified", "verified", "pending"]))
        mentors.append(
            make_mentor(
                f"m{j}", expertise=some(tags, 1, 4), grades=[low, int(rng.integers(low, 13))],
                background_check={"status": status, "expires": "2027-06-30"}, **common(),
            )
        )  # fmt: skip
    forbidden = [
        {"student": f"s{i}", "mentor": f"m{(7 * i) % len(mentors)}"} for i in range(0, n, 5)
    ]
    return {
        "as_of": "2026-09-01", "min_score": 0.2, "students": students, "mentors": mentors,
        "forbidden": forbidden,
    } | extra  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "patch"),
    [
        ({}, {}),
        ({"rules": {"require_common_slot": False}, "min_score": 0.0}, {"TILE_CELLS": 1000}),
        ({"weights": {"goals": 0, "area": 2.5, "language": 0}}, {"TABLE_CELLS": 0}),
        ({"rules": {"require_common_language": False}}, {"GATHER_TAGS": 0}),
    ],
)
def test_tiles_on_benchmark_profiles(
    extra: dict[str, Any], patch: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in patch.items():  # small tiles, per-block tables, BLAS counts
        module = next(m for m in (_features, _tags, _profile) if hasattr(m, name))
        monkeypatch.setattr(module, name, value)
    sc = _scorer(_benchmark(300, **extra))
    for rows in (np.arange(300), np.array([3, 4, 50, 299])):
        block, _ = _dense(sc, rows)
        assert np.array_equal(_tiled(sc, rows).view(np.int32), block.view(np.int32))


def _reference_shortlist(sc: _profile.ProfileScorer, k_row: int, k_col: int) -> tuple[Any, ...]:
    """The shortlist by its definition, on the dense matrix.

    Rows: each block's row partition, as first written. Columns: each column's best `k_col`
    by score, then by row (lowest first), whatever the blocks; the bound is the next one.
    """
    rows_found, cols_found, bounds, codes, blocks = [], [], [], [], []
    for rows in sc._blocks(np.arange(sc.n_rows)):
        block, _ = _dense(sc, rows)
        blocks.append(block)
        part = np.argpartition(-block, k_row, axis=1)[:, : k_row + 1]
        cols, bound = part[:, :k_row], np.take_along_axis(block, part[:, k_row:], axis=1)[:, 0]
        keep = np.take_along_axis(block, cols, axis=1) >= 0
        rows_found.append(np.broadcast_to(rows[:, None], cols.shape)[keep])
        cols_found.append(cols[keep])
        bounds.append(bound)
        code = np.ceil((block + np.float32(2e-5)) * np.float32(254)) + 1
        codes.append(np.where(block >= 0, np.clip(code, 1, 255), 0).astype(np.uint8))
    dense = np.concatenate(blocks)
    order = np.argsort(-dense, axis=0, kind="stable")  # by score, then by row
    m = sc.n_cols
    c_bound = dense[order[k_col], np.arange(m)]
    vals = np.take_along_axis(dense, order[:k_col], axis=0)
    c_rows = order[:k_col][vals >= 0]
    c_cols = np.broadcast_to(np.arange(m), vals.shape)[vals >= 0]
    pairs = (np.concatenate([*rows_found, c_rows]), np.concatenate([*cols_found, c_cols]))
    return pairs, np.concatenate(bounds), c_bound, np.concatenate(codes)


@pytest.mark.parametrize("stride", [16, 3, 1000])
@pytest.mark.parametrize("alike", [False, True])
def test_shortlist_equals_the_dense_reference(
    monkeypatch: pytest.MonkeyPatch, stride: int, alike: bool
) -> None:
    monkeypatch.setattr(_profile, "BLOCK_CELLS", 4000)  # many blocks, ties in every column
    monkeypatch.setattr(_profile, "PILOT_STRIDE", stride)  # the columns' floors: any works
    inst = _benchmark(400)
    if alike:  # every student alike (the one with the most allowed pairs): all tie
        allowed = _scorer(inst).scan(np.arange(400), np.full(400, -np.inf))
        model = inst["students"][int(np.bincount(allowed.rows).argmax())]
        inst["students"] = [dict(model, id=f"s{i}") for i in range(400)]
    sc = _scorer(inst)
    (rows, cols), row_bound, col_bound, codes = _reference_shortlist(sc, 3, 4)
    got = sc.shortlist(3, 4)
    expected = sc._exact(*np.divmod(np.unique(rows * sc.n_cols + cols), sc.n_cols), None)
    assert np.array_equal(got.pairs.rows, expected.rows)
    assert np.array_equal(got.pairs.cols, expected.cols)
    assert np.array_equal(got.pairs.scores, expected.scores)
    assert np.array_equal(got.row_bound, _topk.upper_bounds(row_bound))
    assert np.array_equal(got.col_bound, _topk.upper_bounds(col_bound))
    assert sc._ub is not None and np.array_equal(sc._ub, codes)


def test_codes_match_their_definition() -> None:
    rng = np.random.default_rng(0)
    block = rng.random((50, 60), dtype=np.float32) * np.float32(1.01)
    block[rng.random(block.shape) < 0.3] = -1.0
    block[0, :4] = [0.0, 1.0, 253 / 254, -1.0]
    out = np.empty(block.shape, np.uint8)
    _topk.codes(block, out)
    code = np.ceil((block + np.float32(2e-5)) * np.float32(254)) + 1
    assert np.array_equal(out, np.where(block >= 0, np.clip(code, 1, 255), 0).astype(np.uint8))
    allowed = block >= 0
    assert np.all(_topk.UB[out[allowed]] >= block[allowed].astype(np.float64) + _profile.MARGIN)


@pytest.mark.parametrize("scale", [0.0, 1.0, 1e4, 1e13, np.inf])
def test_stored_bounds_scan_finds_exactly_the_bound_test(scale: float) -> None:
    rng = np.random.default_rng(int(min(scale, 99)))
    ub = rng.integers(0, 256, (30, 70)).astype(np.uint8)
    rows = np.sort(rng.choice(30, 20, replace=False))
    pos = np.arange(20)
    low = rng.uniform(-0.3, 1.1, 20) - scale
    low[:2] = [-np.inf, 0.5]
    price = rng.uniform(-0.2, 0.2, 70) + (scale if np.isfinite(scale) else 0.0)
    if not np.isfinite(scale):
        price[3] = np.inf
    for p in (None, price):
        with np.errstate(invalid="ignore"):  # -inf + inf
            thr = low[:, None] + (0.0 if p is None else p[None, :])
            expected = np.nonzero((ub[rows] > 0) & (_topk.UB[ub[rows]] >= thr))
            got = _topk.stored(ub, rows, pos, low, p, 7)
        assert np.array_equal(got[0], expected[0]) and np.array_equal(got[1], expected[1])


def test_reasons_counts_equal_dense_masks() -> None:
    raw = _benchmark(200, min_score=0.35)
    sc = _scorer(raw)
    rows = np.arange(0, 200, 7)[::-1]
    full = np.arange(sc.n_cols) % 3 == 0
    block, _ = _dense(sc, np.sort(rows))
    s, t = sc.s.take(np.sort(rows)).expanded(1), sc.t.expanded(0)
    rules = sc._rules(s, t, _dense_counts(sc, np.sort(rows)))
    steps = [np.ones(block.shape, bool)] + [m for _, m in rules]
    allowed = np.ones(block.shape, bool)
    allowed[sc._forbidden_in(np.sort(rows))] = False
    steps += [allowed, block >= 0, ~full[None, :]]
    cum, table = np.ones(block.shape, bool), []
    for mask in steps:
        cum &= mask
        table.append(cum.sum(axis=1))
    names = ["all", *sc._rule_names(), "forbidden", "min_score", "full"]
    students = sc.instance.students
    expected = [
        _reasons.profile("mentor", students[r], names, row, 0.35)
        for r, row in zip(np.sort(rows), np.stack(table, axis=1), strict=True)
    ]
    order = np.argsort(rows)
    got = sc.reasons(rows, full)
    assert [got[i] for i in order] == expected


@pytest.mark.parametrize("training", [False, True])
def test_reasons_from_stored_bounds_equal_the_scorers(training: bool) -> None:
    raw = _benchmark(200, min_score=0.35, rules={"require_training": training})
    sc = _scorer(raw)
    sc.shortlist(4, 6)  # stores the score bounds
    assert sc._ub is not None
    rows = np.arange(0, 200, 3)[::-1]
    full = np.arange(sc.n_cols) % 3 != 0
    got = _bounds.reasons(sc, rows, full, "mentor")
    assert got == sc.reasons(rows, full)
    codes = {why.code for why in got}  # rows with and without compatible mentors
    assert "all_compatible_full" in codes and len(codes) > 2
    free = _bounds.reasons(sc, rows, np.zeros(sc.n_cols, bool), "mentor")
    assert free == sc.reasons(rows, np.zeros(sc.n_cols, bool))
    assert "left_unmatched_approximate" in {why.code for why in free}


def test_blocking_pairs_from_stored_bounds_equal_a_rescan() -> None:
    sc = _scorer(_benchmark(240, min_score=0.2))
    shortlist = sc.shortlist(2, 3)  # short: many rows are rescanned
    rng = np.random.default_rng(3)
    col_of = np.full(sc.n_rows, -1)
    pairs = shortlist.pairs
    pick = np.flatnonzero(rng.random(len(pairs)) < 0.3)
    col_of[pairs.rows[pick]] = pairs.cols[pick]  # one of each row's picks (the last)
    capacity = rng.integers(1, 4, sc.n_cols)
    out = _explain.Outcome.of(sc, col_of, rng.random(sc.n_rows) < 0.1, capacity)
    assert out.full.any() and (col_of < 0).any()
    stored = _explain.blocking_pairs(sc, shortlist, out)
    sc._ub = None  # every row's pairs rescored by the scans
    assert stored == _explain.blocking_pairs(sc, shortlist, out) > 0


def test_pair_contributions_equal_one_hot_products() -> None:
    sc = _scorer(_benchmark(90, weights={"area": 0.3, "goals": 5}))
    rng = np.random.default_rng(1)
    rows, cols = rng.integers(0, 90, 400), rng.integers(0, 30, 400)
    s, t = sc.s.take(rows), sc.t.take(cols)

    def dot(a: Array, b: Array) -> Array:
        return np.einsum("ij,ij->i", a, b).astype(np.float64)

    first = t.langs[np.arange(len(cols)), s.first_lang].astype(np.float64)
    counts = _features.Counts(
        dot(s.interests, t.interests),
        dot(s.goals, t.goals),
        dot(s.slots, t.slots),
        dot(s.langs, t.langs),
        first,
    )
    crit = sc._criteria(s, t, counts)
    expected = np.stack([w * c for w, c in zip(sc.w64, crit, strict=True)], axis=1)
    assert np.array_equal(sc.contributions(rows, cols), expected)
    total = np.zeros(len(rows))
    for j in range(expected.shape[1]):
        total += expected[:, j]
    assert np.array_equal(sc.score(rows, cols), total)
