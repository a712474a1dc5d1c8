"""Explicit edges are checked on whole columns; a bad one is named as record by record."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import matching
from matching import _links
from matching._schema import parse


def _instance(edges: list[Any]) -> dict[str, Any]:
    return {
        "students": [{"id": f"s{i}"} for i in range(4)],
        "mentors": [{"id": "m0", "capacity": 2}, {"id": "m1", "capacity": 1}],
        "projects": [{"id": "p0", "capacity": 3}],
        "edges": edges,
    }


EDGES = [
    {"student": "s0", "mentor": "m1", "score": 0.5},
    {"student": "s2", "project": "p0", "score": 1},
    {"student": "s1", "mentor": "m0", "score": 0.25},
    {"student": "s0", "mentor": "m0", "score": 0},
]


def test_the_column_path_gives_what_the_record_path_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = parse(_instance(EDGES))
    monkeypatch.setattr(_links, "_edge_arrays", lambda *args: None)
    slow = parse(_instance(EDGES))
    for a, b in zip(fast.sides, slow.sides, strict=True):
        assert a.edges is not None and b.edges is not None
        for field in ("students", "targets", "scores"):
            got, want = getattr(a.edges, field), getattr(b.edges, field)
            assert got.dtype == want.dtype and np.array_equal(got, want)
    # sorted by (student, target)
    assert fast.sides[0].edges.students.tolist() == [0, 0, 1]  # type: ignore[union-attr]
    assert fast.sides[0].edges.targets.tolist() == [0, 1, 0]  # type: ignore[union-attr]
    assert fast.sides[1].edges.scores.tolist() == [1.0]  # type: ignore[union-attr]


SCORE, IN_01 = "edges[2].score:", "a number in [0, 1]"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"student": "s3", "mentor": "m0", "score": True}, f"{SCORE} must be {IN_01}"),
        ({"student": "s3", "mentor": "m0", "score": float("nan")}, f"{SCORE} must be {IN_01}"),
        ({"student": "s3", "mentor": "m0", "score": 10**400}, f"{SCORE} must be {IN_01}"),
        ({"student": "s9", "mentor": "m1", "score": 0.5}, "edges[2].student: unknown student 's9'"),
        ({"student": 3, "mentor": "m0", "score": 0.5}, "edges[2].student: must be a student id"
                                                        " (a string)"),
        ({"student": "s3", "score": 0.5}, "edges[2]: must name exactly one of mentor or project"),
        ({"mentor": "m0", "project": "p0", "score": 0.5}, "edges[2]: must name exactly one"
                                                           " of mentor or project"),
        ({"student": "s3", "target": "m0", "score": 0.5}, "edges[2]: must name exactly one"
                                                           " of mentor or project"),
        ({"student": "s3", "mentor": "m0", "project": "p0"}, "edges[2]: must name exactly one"
                                                              " of mentor or project"),
        ({"student": "s0", "mentor": "m1", "score": 0.1}, "edges[2]: duplicate pair"
                                                           " (also edges[0])"),
        ("s0-m1", "edges[2]: must be an object"),
    ],
)  # fmt: skip
def test_the_first_bad_edge_is_named(bad: Any, message: str) -> None:
    later = {"student": "nobody", "mentor": "m0", "score": 2}  # also bad, but after
    # (mentor edges are checked before project edges, as record by record)
    edges = [*EDGES[:2], bad, later]
    with pytest.raises(matching.InstanceError) as info:
        matching.solve(_instance(edges))
    assert str(info.value) == message
