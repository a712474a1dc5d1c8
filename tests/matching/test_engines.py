"""Two exact engines: scipy's linear assignment for school-size sides, OR-Tools' flow beyond.

Both must give the same optimum (matched count and total score) on the same instance.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import matching
from matching import _cli, _dense, _flow

from .conftest import make_mentor, make_project, make_student

_solve = sys.modules["matching._solve"]


def school(n: int, seed: int, *, projects: bool = False) -> dict[str, Any]:
    """Return a random profile instance of `n` students and about n / 3 mentors."""
    rng = np.random.default_rng(seed)
    slots = ["mon-am", "mon-pm", "tue-pm", "wed-pm", "thu-pm", "sat-am"]
    tags = ["robotics", "coding", "art", "music", "chess", "film", "law", "biology"]

    def some(items: list[str]) -> list[str]:
        return list(rng.choice(items, size=int(rng.integers(1, 4)), replace=False))

    students = [
        make_student(f"s{i}", grade=int(rng.integers(8, 13)), interests=some(tags),
                     goals=some(tags), availability=some(slots), minor=bool(rng.random() < 0.8))
        for i in range(n)
    ]  # fmt: skip
    mentors = [
        make_mentor(f"m{j}", capacity=int(rng.integers(1, 5)), interests=some(tags),
                    expertise=some(tags), availability=some(slots),
                    grades=[int(rng.integers(8, 10)), int(rng.integers(10, 13))])
        for j in range(max(1, n // 3))
    ]  # fmt: skip
    inst: dict[str, Any] = {"as_of": "2026-09-01", "students": students, "mentors": mentors,
                            "min_score": 0.2}  # fmt: skip
    if projects:
        inst["projects"] = [
            make_project(f"p{k}", capacity=int(rng.integers(3, 12)), skills=some(tags),
                         availability=some(slots), modality="either")
            for k in range(max(1, n // 25))
        ]  # fmt: skip
    return inst


def _figures(result: dict[str, Any], kind: str) -> tuple[int, int]:
    """Return (matched, total score as integers of the solvers' resolution)."""
    pairs = result[f"{kind}_pairs"]
    total = sum(int(np.rint(p["score"] * _flow.SCALE)) for p in pairs)
    return len(pairs), total


def _solve_with(inst: dict[str, Any], engine: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Solve `inst` with the engine forced by moving the threshold."""
    with monkeypatch.context() as m:
        m.setattr(_dense, "MAX_STUDENTS", 10**9 if engine == "scipy_lsa" else 0)
        m.setattr(_dense, "MAX_CELLS", 10**12 if engine == "scipy_lsa" else 0)
        result = matching.solve(inst, timings=False)
    assert result["stats"]["engine"] == engine
    return result


@pytest.mark.parametrize("n", [59, 60, 61])
@pytest.mark.parametrize("seed", range(3))
def test_both_engines_give_the_same_optimum_around_the_threshold(
    n: int, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_dense, "MAX_STUDENTS", 60)
    inst = school(n, seed, projects=True)
    natural = matching.solve(inst, timings=False)
    assert natural["stats"]["engine"] == ("scipy_lsa" if n <= 60 else "ortools_flow")
    for kind in ("mentor", "project"):
        assert natural["stats"][kind]["engine"] == natural["stats"]["engine"]
    scipy, flow = (_solve_with(inst, e, monkeypatch) for e in ("scipy_lsa", "ortools_flow"))
    for kind in ("mentor", "project"):
        assert _figures(scipy, kind) == _figures(flow, kind) == _figures(natural, kind)
        assert scipy["stats"][kind]["matched"] == flow["stats"][kind]["matched"]


def test_both_engines_agree_with_pins_forbidden_pairs_and_ties(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inst = school(90, 7)
    inst["students"][0] |= {"grade": 10, "availability": ["mon-am"], "modality": "either"}
    inst["mentors"][0] |= {"grades": [9, 12], "availability": ["mon-am"], "modality": "either"}
    inst["pinned"] = [{"student": "s0", "mentor": "m0"}]
    inst["forbidden"] = [{"student": f"s{i}", "mentor": f"m{i % 5}"} for i in range(1, 40)]
    inst["weights"] = {"interests": 0, "goals": 0, "availability": 0, "area": 0}  # many ties
    scipy, flow = (_solve_with(inst, e, monkeypatch) for e in ("scipy_lsa", "ortools_flow"))
    assert _figures(scipy, "mentor") == _figures(flow, "mentor")
    assert scipy["stats"]["mentor"]["pinned"] == 1


def test_the_real_threshold_covers_a_school_of_2000(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _dense.MAX_STUDENTS >= 2000
    inst = school(2000, 3)
    natural = matching.solve(inst, timings=False)
    assert natural["stats"]["engine"] == "scipy_lsa"
    flow = _solve_with(inst, "ortools_flow", monkeypatch)
    assert _figures(natural, "mentor") == _figures(flow, "mentor")
    bigger = school(_dense.MAX_STUDENTS + 1, 3)
    bigger["mentors"] = bigger["mentors"][:40]  # keep it quick: the flow path, few mentors
    assert matching.solve(bigger, timings=False)["stats"]["engine"] == "ortools_flow"


def test_a_side_with_too_many_slots_goes_to_the_flow() -> None:
    assert _dense.fits(100, np.array([50, 50]))
    assert not _dense.fits(2000, np.full(500, 40))  # 2,000 x 20,000 slots
    assert not _dense.fits(_dense.MAX_STUDENTS + 1, np.array([1]))


def test_the_command_line_solves_1000_students_with_linear_sum_assignment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[tuple[int, int]] = []
    real = _dense.linear_sum_assignment

    def spy(matrix: Any, maximize: bool = False) -> Any:
        calls.append(matrix.shape)
        return real(matrix, maximize=maximize)

    monkeypatch.setattr(_dense, "linear_sum_assignment", spy)
    path = tmp_path / "school.json"
    path.write_text(json.dumps(school(1000, 1)))
    assert _cli.main(["solve", str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(calls) == 1 and calls[0][0] > 900
    assert result["stats"]["engine"] == result["stats"]["mentor"]["engine"] == "scipy_lsa"


def test_slot_matrix_repeats_each_target_up_to_its_useful_places() -> None:
    pairs = matching._pairs.Pairs(np.array([0, 0, 2]), np.array([1, 3, 1]), np.array([0.5, 1, 0]))
    matrix, rows, owner = _dense.slot_matrix(pairs, np.array([9, 5, 0, 1]))
    assert rows.tolist() == [0, 2] and owner.tolist() == [1, 1, 3]
    big = 3 * _flow.SCALE  # min(2 rows, 3 slots) + 1
    assert matrix.tolist() == [
        [big + _flow.SCALE // 2] * 2 + [big + _flow.SCALE],
        [big, big, 0.0],
    ]
