"""Profiles are checked and encoded on whole columns; the result is the record-by-record one."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

from matching import InstanceError, _columns, _features, _tags
from matching._schema import Instance, Student, Target, parse

from .conftest import make_instance, make_mentor, make_project, make_student, profile_instances

ODD = make_instance(
    students=[
        make_student("s0", interests=["art", "chess", "art"], goals=None, area=None),
        make_student("s1", languages=[], availability=["mon-pm", "sat-am"], area=""),
        make_student("s2", minor=False, modality="online", area="south"),
        {"id": "s3", "grade": 9},  # every list missing
    ],
    mentors=[
        make_mentor("m0", trained=False, languages=None, background_check=None),
        make_mentor("m1", background_check={"status": "verified", "expires": None}),
        make_mentor("m2", background_check={"status": "verified", "expires": "2026-08-31"}),
        make_mentor("m3", background_check={}, area=None, expertise=["law", "law"]),
    ],
    projects=[
        make_project("p0"),  # no `languages`: any language
        make_project("p1", languages=None, supervisor_checked=False),  # null: none listed
        make_project("p2", languages=["es", "en"], skills=[]),
    ],
    pinned=[{"student": "s2", "mentor": "m1"}],
    rules={"require_training": True},
)


def _record_by_record(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_columns, "students", lambda *args: None)
    monkeypatch.setattr(_columns, "targets", lambda *args: None)


def _same(fast: Instance, slow: Instance) -> None:
    assert fast == slow
    records = [
        (*inst.students, *inst.sides[0].targets, *inst.sides[1].targets) for inst in (fast, slow)
    ]
    for a, b in zip(*records, strict=True):
        assert [type(getattr(a, f.name)) for f in fields(a)] == [
            type(getattr(b, f.name)) for f in fields(b)
        ]


def test_the_column_path_gives_what_the_record_path_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = parse(ODD)
    assert fast.students[0].interests == ("art", "chess")  # duplicates removed, order kept
    assert [p.languages for p in fast.sides[1].targets] == [None, (), ("es", "en")]
    assert [m.cleared for m in fast.sides[0].targets] == [False, True, False, False]
    _record_by_record(monkeypatch)
    _same(fast, parse(ODD))


@settings(max_examples=30, deadline=None)
@given(profile_instances())
def test_the_column_path_on_drawn_instances(inst: dict[str, Any]) -> None:
    fast = parse(inst)
    with pytest.MonkeyPatch.context() as patch:
        _record_by_record(patch)
        _same(fast, parse(inst))


def test_edges_mode_records_need_only_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    inst = {"students": [{"id": "s0", "grade": "x"}], "mentors": [{"id": "m0", "capacity": 1}]}
    fast = parse(inst | {"edges": []})
    assert fast.students == (Student("s0"),) and fast.sides[0].targets == (Target("m0", 1),)
    _record_by_record(monkeypatch)
    slow = parse(inst | {"edges": []})
    assert (slow.students, slow.sides[0].targets) == (fast.students, fast.sides[0].targets)


def test_edges_mode_names_a_missing_capacity_before_the_id() -> None:
    with pytest.raises(InstanceError, match=r"^mentors\[0\]\.capacity: is required"):
        parse({"students": [{"id": "s0"}], "mentors": [{"id": ""}], "edges": []})
    with pytest.raises(InstanceError, match=r"^mentors\[0\]\.id: is required"):
        parse({"students": [make_student()], "mentors": [{}]})  # profiles: the id first


@pytest.mark.parametrize(
    ("key", "index", "field", "value"),
    [
        ("students", 2, "grade", True),
        ("students", 2, "minor", None),
        ("students", 2, "interests", ["art", ""]),
        ("students", 2, "goals", ["law", 3]),
        ("students", 2, "availability", "mon-pm"),
        ("students", 2, "modality", ["online"]),
        ("students", 2, "area", 3),
        ("students", 2, "id", 7),
        ("mentors", 1, "capacity", -1),
        ("mentors", 1, "grades", [9, True]),
        ("mentors", 1, "grades", [9, 10, 11]),
        ("mentors", 1, "grades", [12, 9]),
        ("mentors", 1, "trained", "no"),
        ("mentors", 1, "background_check", {"status": "verified", "expires": "2026-13-01"}),
        ("mentors", 1, "background_check", {"status": "cleared"}),
        ("mentors", 1, "background_check", "yes"),
        ("projects", 1, "supervisor_checked", None),
        ("projects", 1, "languages", [None]),
        ("projects", 1, "capacity", 1.0),
    ],
)
def test_a_bad_field_is_named_as_record_by_record(
    key: str, index: int, field: str, value: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    inst = make_instance(
        students=[make_student(f"s{i}") for i in range(4)],
        mentors=[make_mentor(f"m{i}") for i in range(3)],
        projects=[make_project(f"p{i}") for i in range(3)],
    )
    inst[key][index] = inst[key][index] | {field: value}
    with pytest.raises(InstanceError) as fast:
        parse(inst)
    assert f"{key}[{index}]." in str(fast.value)
    _record_by_record(monkeypatch)
    with pytest.raises(InstanceError) as slow:
        parse(inst)
    assert str(fast.value) == str(slow.value) and fast.value.code == slow.value.code


def _reference(students: Any, targets: Any) -> dict[str, list[Any]]:
    """The one-hot matrices, first languages and areas by their definition, record by record."""
    out: dict[str, list[Any]] = {}
    for name, s_of, t_of in [
        ("interests", lambda s: s.interests, lambda t: t.interests),
        ("goals", lambda s: s.goals, lambda t: t.goals),
        ("slots", lambda s: s.availability, lambda t: t.availability),
        ("langs", lambda s: s.languages, lambda t: t.languages or ()),
    ]:
        lists = [s_of(s) for s in students], [t_of(t) for t in targets]
        vocab = sorted({w for side in lists for tags in side for w in tags})
        width = len(vocab) + (name == "langs")
        out[name] = [
            np.array([[w in tags for w in vocab] + [False] * (width - len(vocab)) for tags in side])
            .reshape(len(side), width)
            .astype(np.float32)
            for side in lists
        ]
    langs = sorted(
        {w for s in students for w in s.languages} | {w for t in targets for w in t.languages or ()}
    )
    out["first_lang"] = [
        [langs.index(s.languages[0]) if s.languages else len(langs) for s in students]
    ]
    areas = sorted({r.area for r in (*students, *targets) if r.area})
    out["area"] = [
        [areas.index(s.area) if s.area else -1 for s in students],
        [areas.index(t.area) if t.area else -2 for t in targets],
    ]
    return out


def test_encode_gives_the_arrays_of_the_definition() -> None:
    inst = parse(ODD)
    coded = _features.code_students(inst.students)
    for side in inst.sides:
        want = _reference(inst.students, side.targets)
        for shared in (None, coded):  # the students' coding serves both sides
            got = _features.encode(inst.students, side.targets, True, coded=shared)
            for name, arrays in want.items():
                for features, array in zip(got, arrays, strict=False):
                    value = getattr(features, name)
                    assert np.array_equal(value, np.asarray(array).reshape(value.shape)), name
            assert got[0].interests.dtype == np.float32 and got[1].area.dtype == np.int32


def test_unique_rows_is_numpys() -> None:
    rng = np.random.default_rng(5)
    for keys in (
        rng.integers(-3, 4, (400, 3)),
        np.column_stack([rng.integers(-2, 5, 300), rng.random(300) < 0.5]).astype(np.int32),
        rng.integers(-(2**40), 2**40, (100, 3)),  # too wide for one int64 number: numpy's
        rng.integers(0, 3, (0, 4)),
        rng.random((50, 2)).round(1),
    ):
        got, want = _features._unique_rows(keys), np.unique(keys, axis=0, return_inverse=True)
        assert got[0].dtype == want[0].dtype and np.array_equal(got[0], want[0])
        assert np.array_equal(got[1].reshape(-1), want[1].reshape(-1))


def test_tags_list_each_students_columns_in_order() -> None:
    rng = np.random.default_rng(6)
    for n, v in ((300, 40), (20, 3), (5, 0), (0, 4)):
        students = (rng.random((n, v)) < 0.2).astype(np.float32)
        tags = _tags.Tags(students, np.ones((v, 7), np.float32))
        width = int(students.sum(axis=1).max(initial=0))
        for row, at in zip(students, tags.at, strict=True):
            cols = np.flatnonzero(row).tolist()
            assert at.tolist() == cols + [v] * (width - len(cols))
        assert np.array_equal(tags.sizes, (students != 0).sum(axis=1))
