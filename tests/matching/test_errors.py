"""Every bad instance of the contract raises `InstanceError` naming record and field."""

from __future__ import annotations

from typing import Any

import pytest

import matching

from .conftest import make_instance, make_mentor, make_project, make_student


def _with(**top: Any) -> dict[str, Any]:
    return make_instance(**top)


CASES = [
    ("not an object", [], "instance: must be an object"),
    ("students missing", {"mentors": []}, "students: is required"),
    ("students not a list", _with(students={}), "students: must be a list"),
    ("missing id", _with(students=[{"grade": 9}]), "students[0].id: is required"),
    ("empty id", _with(students=[make_student("")]), "students[0].id: must be a non-empty"),
    (
        "duplicate ids",
        _with(students=[make_student("a"), make_student("a")]),
        "students[1].id: duplicate id 'a'",
    ),
    (
        "duplicate mentor ids",
        _with(mentors=[make_mentor("m"), make_mentor("m")]),
        "mentors[1].id: duplicate id 'm'",
    ),
    ("grade missing", _with(students=[{"id": "s1"}]), "students[0].grade: is required"),
    (
        "grade a string",
        _with(students=[make_student(grade="9")]),
        "students[0].grade: must be an integer",
    ),
    (
        "minor not bool",
        _with(students=[make_student(minor="yes")]),
        "students[0].minor: must be true or false",
    ),
    (
        "interests not list",
        _with(students=[make_student(interests="robotics")]),
        "students[0].interests: must be a list of non-empty strings",
    ),
    (
        "bad modality",
        _with(students=[make_student(modality="zoom")]),
        "students[0].modality: must be one of in_person, online, either",
    ),
    (
        "capacity < 0",
        _with(
            mentors=[
                make_mentor(),
                make_mentor("m2"),
                make_mentor("m3"),
                make_mentor("m4", capacity=-1),
            ]
        ),
        "mentors[3].capacity: must be an integer >= 0",
    ),
    (
        "capacity bool",
        _with(mentors=[make_mentor(capacity=True)]),
        "mentors[0].capacity: must be an integer >= 0",
    ),
    (
        "capacity missing",
        _with(projects=[{"id": "p1", "grades": [9, 12]}]),
        "projects[0].capacity: is required",
    ),
    (
        "bad band",
        _with(mentors=[make_mentor(grades=[12, 9])]),
        "mentors[0].grades: lowest grade 12 is above highest grade 9",
    ),
    ("band shape", _with(mentors=[make_mentor(grades=[9])]), "mentors[0].grades: must be a list"),
    (
        "bad check status",
        _with(mentors=[make_mentor(background_check={"status": "ok"})]),
        "mentors[0].background_check.status: must be one of",
    ),
    (
        "bad expiry",
        _with(
            mentors=[make_mentor(background_check={"status": "verified", "expires": "2027-13-01"})]
        ),
        "mentors[0].background_check.expires: must be a date YYYY-MM-DD",
    ),
    ("bad as_of", _with(as_of="1 Sept"), "as_of: must be a date YYYY-MM-DD"),
    ("min_score > 1", _with(min_score=1.5), "min_score: must be a number in [0, 1]"),
    ("unknown weight", _with(weights={"height": 1}), "weights.height: unknown"),
    ("negative weight", _with(weights={"area": -1}), "weights.area: must be a number >= 0"),
    (
        "all weights zero",
        _with(weights=dict.fromkeys(matching.CRITERIA, 0)),
        "weights: at least one weight",
    ),
    ("unknown rule", _with(rules={"require_area": True}), "rules.require_area: unknown"),
    (
        "rule not bool",
        _with(rules={"require_common_slot": 1}),
        "rules.require_common_slot: must be true or false",
    ),
    (
        "supervisor not bool",
        _with(projects=[make_project(supervisor_checked="y")]),
        "projects[0].supervisor_checked: must be true or false",
    ),
    (
        "unknown student in pins",
        _with(pinned=[{"student": "s9", "mentor": "m1"}]),
        "pinned[0].student: unknown student 's9'",
    ),
    (
        "unknown mentor in forbidden",
        _with(forbidden=[{"student": "s1", "mentor": "m9"}]),
        "forbidden[0].mentor: unknown mentor 'm9'",
    ),
    (
        "pin naming both",
        _with(pinned=[{"student": "s1", "mentor": "m1", "project": "p1"}]),
        "pinned[0]: must name exactly one of mentor or project",
    ),
    (
        "pin breaking grade band",
        _with(mentors=[make_mentor(grades=[6, 8])], pinned=[{"student": "s1", "mentor": "m1"}]),
        "pinned[0]: pinned pair breaks a hard rule: grade 10 is outside m1's grade band 6-8",
    ),
    (
        "pin without check",
        _with(
            mentors=[make_mentor(background_check={"status": "pending"})],
            pinned=[{"student": "s1", "mentor": "m1"}],
        ),
        "pinned[0]: pinned pair breaks a hard rule: s1 is a minor and m1 has no",
    ),
    (
        "pin with expired check",
        _with(
            mentors=[make_mentor(background_check={"status": "verified", "expires": "2026-08-31"})],
            pinned=[{"student": "s1", "mentor": "m1"}],
        ),
        "pinned[0]: pinned pair breaks a hard rule",
    ),
    (
        "pin and forbidden",
        _with(
            pinned=[{"student": "s1", "mentor": "m1"}],
            forbidden=[{"student": "s1", "mentor": "m1"}],
        ),
        "pinned[0]: pinned pair is also forbidden at forbidden[0]",
    ),
    (
        "pins over capacity",
        _with(
            students=[make_student("a"), make_student("b")],
            pinned=[{"student": "a", "mentor": "m1"}, {"student": "b", "mentor": "m1"}],
        ),
        "pinned[1]: mentor 'm1' has capacity 1 but 2 students are pinned to it",
    ),
    (
        "student pinned twice",
        _with(
            mentors=[make_mentor(), make_mentor("m2")],
            pinned=[{"student": "s1", "mentor": "m1"}, {"student": "s1", "mentor": "m2"}],
        ),
        "pinned[1]: duplicate pair" if False else "pinned[1]: student already pinned to a mentor",
    ),
    (
        "edge score > 1",
        {
            "students": [{"id": "s1"}],
            "mentors": [{"id": "m1", "capacity": 1}],
            "edges": [{"student": "s1", "mentor": "m1", "score": 1.2}],
        },
        "edges[0].score: must be a number in [0, 1]",
    ),
    (
        "edge score missing",
        {
            "students": [{"id": "s1"}],
            "mentors": [{"id": "m1", "capacity": 1}],
            "edges": [{"student": "s1", "mentor": "m1"}],
        },
        "edges[0].score: must be a number in [0, 1]",
    ),
    (
        "edge unknown student",
        {
            "students": [{"id": "s1"}],
            "mentors": [{"id": "m1", "capacity": 1}],
            "edges": [{"student": "x", "mentor": "m1", "score": 0.5}],
        },
        "edges[0].student: unknown student 'x'",
    ),
    (
        "duplicate edge",
        {
            "students": [{"id": "s1"}],
            "mentors": [{"id": "m1", "capacity": 1}],
            "edges": [{"student": "s1", "mentor": "m1", "score": 0.5}] * 2,
        },
        "edges[1]: duplicate pair (also edges[0])",
    ),
    (
        "pin not an edge",
        {
            "students": [{"id": "s1"}],
            "mentors": [{"id": "m1", "capacity": 1}],
            "edges": [],
            "pinned": [{"student": "s1", "mentor": "m1"}],
        },
        "pinned[0]: pinned pair breaks a hard rule: s1 and m1 are not a listed edge",
    ),
]


@pytest.mark.parametrize(("instance", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_instance(instance: Any, message: str) -> None:
    with pytest.raises(matching.InstanceError) as info:
        matching.solve(instance)
    assert str(info.value).startswith(message)
    assert isinstance(info.value, ValueError)
