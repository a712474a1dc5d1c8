"""Reasons, alternatives, blocking pairs and the documented constants."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import matching
from matching._pairs import best_of_groups
from matching._result import _breakdowns

from .conftest import make_instance, make_mentor, make_student, profile_instances


def _reason(**top: Any) -> str:
    result = matching.solve(make_instance(**top), timings=False)
    return str(result["unmatched"]["mentor"][0]["reason"])


def test_reasons_name_the_rule() -> None:
    assert _reason(students=[make_student(grade=7)]) == "no mentor takes grade 7"
    no_slot = make_mentor(availability=["sat-am"])
    assert _reason(mentors=[no_slot]) == "no mentor shares a free slot"
    unchecked = make_mentor("m2", background_check={"status": "expired"}, availability=["sat-am"])
    text = _reason(mentors=[make_mentor(availability=["sat-am"]), unchecked])
    assert text == "no mentor that has a valid background check also shares a free slot"
    text = _reason(
        mentors=[
            make_mentor(background_check={"status": "pending"}),
            make_mentor("m2", availability=["sat-am"]),
        ]
    )
    assert text == "no mentor that shares a free slot also has a valid background check" or (
        text == "no mentor that has a valid background check also shares a free slot"
    )
    assert _reason(mentors=[]) == "there are no mentors"
    assert (
        _reason(min_score=0.99) == "the only compatible mentor scores under the minimum score 0.99"
    )
    assert _reason(forbidden=[{"student": "s1", "mentor": "m1"}]) == (
        "the only compatible mentor is forbidden for this student"
    )
    two = [make_student("s0", interests=["robotics", "x"]), make_student("s1", interests=[])]
    assert _reason(students=two) == "the only compatible mentor is full"


def test_alternatives_and_why_not() -> None:
    students = [make_student("a"), make_student("b", interests=[])]
    mentors = [make_mentor("m1"), make_mentor("m2", interests=[])]
    result = matching.solve(make_instance(students=students, mentors=mentors), timings=False)
    pairs = {p["student"]: p for p in result["mentor_pairs"]}
    assert pairs["a"]["mentor"] == "m1"
    alt = pairs["a"]["alternatives"]["student"][0]
    assert alt["mentor"] == "m2" and alt["why_not"].startswith("full: its student gives")
    other = pairs["b"]["alternatives"]["student"][0]
    assert other["mentor"] == "m1" and other["why_not"].startswith("full: took 1 student with")
    mentor_alt = pairs["a"]["alternatives"]["mentor"][0]
    assert mentor_alt["student"] == "b" and mentor_alt["why_not"].startswith("matched to m2")


def _blocking(inst: dict[str, Any], result: dict[str, Any]) -> int:
    m = matching.score_matrix(inst)
    row = {s: i for i, s in enumerate(m.students)}
    col = {t: j for j, t in enumerate(m.targets)}
    partner = np.full(len(m.students), -np.inf)
    chosen = np.zeros(m.scores.shape, dtype=bool)
    load = np.zeros(len(m.targets), dtype=int)
    lowest = np.full(len(m.targets), np.inf)
    for p in result["mentor_pairs"]:
        i, j = row[p["student"]], col[p["mentor"]]
        partner[i], chosen[i, j] = p["score"], True
        load[j] += 1
        lowest[j] = min(lowest[j], p["score"])
    threshold = np.where(load >= m.capacity, lowest, -np.inf)
    s = np.nan_to_num(m.scores, nan=-1.0)
    ok = ~np.isnan(m.scores) & ~chosen & (s > partner[:, None]) & (s > threshold[None, :])
    return int(ok.sum())


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(profile_instances())
def test_blocking_pairs_match_definition(inst: dict[str, Any]) -> None:
    result = matching.solve(inst, timings=False)
    assert result["stats"]["mentor"]["blocking_pairs"] == _blocking(inst, result)


def test_breakdowns_follow_the_criteria() -> None:
    contrib = np.arange(14.0).reshape(2, 7)
    got = _breakdowns(contrib)
    assert [list(b) for b in got] == [list(matching.CRITERIA)] * 2
    assert list(got[1].values()) == contrib[1].tolist()
    assert _breakdowns(np.zeros((3, 0))) == [{}, {}, {}]


def test_constants_document_every_criterion() -> None:
    assert set(matching.CRITERIA) == set(matching.DEFAULT_WEIGHTS)
    assert all(len(text) > 20 for text in matching.CRITERIA.values())
    assert dict(matching.DEFAULT_RULES) == {
        "require_common_slot": True,
        "require_common_language": True,
        "require_training": False,
    }


def test_approximate_mode_says_so() -> None:
    result = matching.solve(make_instance(options={"exact": False}), timings=False)
    assert result["stats"]["exact"] is False
    assert matching.solve(make_instance(), timings=False)["stats"]["exact"] is True


def test_projects_are_matched_separately() -> None:
    result = matching.solve(make_instance(), timings=False)
    assert [p["project"] for p in result["project_pairs"]] == ["p1"]
    assert [p["mentor"] for p in result["mentor_pairs"]] == ["m1"]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("long_group", [False, True])
@pytest.mark.parametrize("n_best", [3, 12])
def test_best_of_groups_equal_a_full_lexicographic_sort(
    seed: int, long_group: bool, n_best: int
) -> None:
    rng = np.random.default_rng(seed)
    n = 3000
    # long_group: 2,000 groups of one and one of 1,000, so the padded table would be too big
    rows = np.r_[np.arange(2000), np.full(1000, 2000)] if long_group else rng.integers(0, 60, n)
    rows = np.sort(rows)
    cols = rng.integers(0, 400, n)
    order = np.lexsort((cols, rows))  # sorted by (row, col), as Pairs are
    rows, cols = rows[order], cols[order]
    scores = rng.choice([0.1, 0.25, 0.5, 0.75], n)  # many ties
    skip = rng.random(n) < 0.2
    for groups, others in ((rows, cols), (cols, rows)):
        keep = np.flatnonzero(~skip)
        ref = keep[np.lexsort((others[keep], -scores[keep], groups[keep]))]
        first = np.searchsorted(groups[ref], groups[ref], side="left")
        want = ref[np.arange(len(ref)) - first < n_best]
        assert best_of_groups(groups, scores, skip, n_best).tolist() == want.tolist()
