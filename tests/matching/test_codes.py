"""Machine-readable codes: every unmatched entry, alternative and refused pin carries one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import matching
from matching import _reasons
from matching._rules import CODES, ERRORS, RULES, UNMATCHED_STEPS, WHY_NOT
from matching._schema import Student

from .conftest import edge_instances, make_instance, make_mentor, make_project, make_student

DOCS = Path(__file__).resolve().parents[2] / "docs" / "matching.md"


def _codes(result: dict[str, Any]) -> list[str]:
    """Return every code of the unmatched entries and alternatives of a result."""
    codes = [u["code"] for side in result["unmatched"].values() for u in side]
    for key in ("mentor_pairs", "project_pairs"):
        for pair in result[key]:
            for alts in pair["alternatives"].values():
                codes += [a["code"] for a in alts]
    return codes


@st.composite
def _trained_instances(draw: st.DrawFn) -> dict[str, Any]:
    from .conftest import profile_instances

    inst = draw(profile_instances())
    for mentor in inst["mentors"]:
        mentor["trained"] = draw(st.booleans())
    inst["rules"] = inst["rules"] | {"require_training": draw(st.booleans())}
    return inst


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(_trained_instances())
def test_every_code_of_a_profile_result_is_in_the_closed_list(inst: dict[str, Any]) -> None:
    result = matching.solve(inst, timings=False)
    assert all(code in CODES for code in _codes(result))
    assert all(u["reason"] for side in result["unmatched"].values() for u in side)


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(edge_instances())
def test_every_code_of_an_edges_result_is_in_the_closed_list(inst: dict[str, Any]) -> None:
    assert all(code in CODES for code in _codes(matching.solve(inst, timings=False)))


def _unmatched(**extra: Any) -> dict[str, Any]:
    """Return the first unmatched mentor entry of a one-student instance."""
    inst = make_instance(projects=[]) | extra
    return matching.solve(inst, timings=False)["unmatched"]["mentor"][0]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"mentors": []}, "no_candidates"),
        ({"students": [make_student(grade=7)]}, "grade_outside_band"),
        ({"students": [make_student(modality="online")],
          "mentors": [make_mentor(modality="in_person")]}, "modality_mismatch"),
        ({"students": [make_student(languages=["fr"])]}, "no_common_language"),
        ({"mentors": [make_mentor(trained=False)], "rules": {"require_training": True}},
         "no_trained_mentor"),
        ({"mentors": [make_mentor(background_check=None)]}, "no_valid_check"),
        ({"students": [make_student(availability=["sat-am"])]}, "no_common_slot"),
        ({"forbidden": [{"student": "s1", "mentor": "m1"}]}, "forbidden"),
        ({"min_score": 0.99}, "under_min_score"),
        ({"students": [make_student("s0", grade=11), make_student("s1")]},
         "all_compatible_full"),
    ],
)  # fmt: skip
def test_each_unmatched_code_has_an_instance(extra: dict[str, Any], code: str) -> None:
    entry = _unmatched(**extra)
    assert entry["code"] == code
    assert entry["reason"]


def test_counts_come_with_the_codes_that_count_compatible_targets() -> None:
    entry = _unmatched(min_score=0.99, mentors=[make_mentor("m1"), make_mentor("m2")])
    assert entry == {
        "student": "s1",
        "code": "under_min_score",
        "reason": "every compatible mentor scores under the minimum score 0.99",
        "compatible": 2,
    }


def test_no_supervisor_check_and_no_listed_edge() -> None:
    inst = make_instance(mentors=[], projects=[make_project(supervisor_checked=False)])
    project = matching.solve(inst, timings=False)["unmatched"]["project"][0]
    assert project["code"] == "no_supervisor_check"
    edges = {
        "students": [{"id": "s1"}, {"id": "s2"}],
        "mentors": [{"id": "m1", "capacity": 1}],
        "edges": [{"student": "s1", "mentor": "m1", "score": 0.5}],
    }
    assert matching.solve(edges)["unmatched"]["mentor"][0]["code"] == "no_listed_edge"


def test_approximate_mode_leftover_code() -> None:
    reason = _reasons.profile("mentor", Student("s1"), ["all", "full"], np.array([3, 2]), 0.0)
    assert reason.code == "left_unmatched_approximate"
    assert reason.compatible == 2


def test_training_is_off_by_default_and_trained_defaults_to_true() -> None:
    untrained = make_instance(projects=[], mentors=[make_mentor(trained=False)])
    assert matching.solve(untrained)["stats"]["mentor"]["matched"] == 1
    required = untrained | {"rules": {"require_training": True}}
    assert matching.solve(required)["stats"]["mentor"]["matched"] == 0
    trained = make_instance(projects=[], rules={"require_training": True})
    assert matching.solve(trained)["stats"]["mentor"]["matched"] == 1


def test_training_names_the_other_rules_passed_first() -> None:
    mentors = [make_mentor("m1", trained=False), make_mentor("m2", grades=[6, 8])]
    entry = _unmatched(mentors=mentors, rules={"require_training": True})
    assert entry["code"] == "no_trained_mentor"
    assert entry["reason"] == "no mentor that takes grade 10 also has completed the training"


def _edges(scores: dict[tuple[str, str], float], caps: dict[str, int], **extra: Any) -> Any:
    """Solve an edges-mode instance from {(student, mentor): score}."""
    students = sorted({s for s, _ in scores})
    inst = {
        "students": [{"id": s} for s in students],
        "mentors": [{"id": m, "capacity": c} for m, c in caps.items()],
        "edges": [{"student": s, "mentor": m, "score": v} for (s, m), v in scores.items()],
    } | extra
    return matching.solve(inst, timings=False)


def _alts(result: Any, who: str, side: str) -> list[dict[str, Any]]:
    """Return the alternatives of `who`'s pair (side "student": targets; else students)."""
    key = "student" if side == "student" else "mentor"
    for pair in result["mentor_pairs"]:
        if pair[key] == who:
            return pair["alternatives"][side]  # type: ignore[no-any-return]
    raise AssertionError(f"{who} is not matched")


def test_why_not_codes_of_a_student_s_alternatives() -> None:
    pinned = _edges({("s1", "m1"): 0.5, ("s1", "m2"): 0.9}, {"m1": 1, "m2": 1},
                    pinned=[{"student": "s1", "mentor": "m1"}])  # fmt: skip
    assert _alts(pinned, "s1", "student")[0]["code"] == "student_pinned"
    higher = _edges({("s1", "m1"): 0.9, ("s2", "m1"): 0.8, ("s2", "m2"): 0.1},
                    {"m1": 1, "m2": 1})  # fmt: skip
    alt = _alts(higher, "s2", "student")[0]
    assert (alt["mentor"], alt["code"], alt["load"]) == ("m1", "full_higher_scores", 1)
    total = _edges({("s1", "m1"): 0.5, ("s2", "m1"): 0.8, ("s2", "m2"): 0.1},
                   {"m1": 1, "m2": 1})  # fmt: skip
    assert _alts(total, "s2", "student")[0]["code"] == "full_better_total"
    lower = _edges({("s1", "m1"): 0.9, ("s1", "m2"): 0.5}, {"m1": 1, "m2": 1})
    assert _alts(lower, "s1", "student")[0]["code"] == "lower_score"
    tie = _edges({("s1", "m1"): 0.5, ("s1", "m2"): 0.5}, {"m1": 1, "m2": 1})
    assert _alts(tie, "s1", "student")[0]["code"] == "tie_broken_by_order"


def test_why_not_codes_of_a_mentor_s_alternatives() -> None:
    adds_less = _edges({("s1", "m1"): 0.9, ("s2", "m1"): 0.5}, {"m1": 1})
    assert _alts(adds_less, "m1", "mentor")[0]["code"] == "unmatched_adds_less"
    pinned = _edges({("s1", "m1"): 0.5, ("s2", "m1"): 0.9, ("s2", "m2"): 0.1},
                    {"m1": 1, "m2": 1}, pinned=[{"student": "s2", "mentor": "m2"}])  # fmt: skip
    alt = _alts(pinned, "m1", "mentor")[0]
    assert (alt["student"], alt["code"], alt["matched_to"]) == ("s2", "pinned_elsewhere", "m2")
    higher = _edges({("s1", "m1"): 0.5, ("s2", "m1"): 0.4, ("s2", "m2"): 0.9},
                    {"m1": 1, "m2": 1})  # fmt: skip
    alt = _alts(higher, "m1", "mentor")[0]
    assert alt["code"] == "matched_higher_score"
    assert (alt["matched_to"], alt["matched_score"]) == ("m2", 0.9)
    swap = _edges({("s1", "m1"): 0.5, ("s2", "m1"): 0.8, ("s2", "m2"): 0.1},
                  {"m1": 1, "m2": 1})  # fmt: skip
    alt = _alts(swap, "m1", "mentor")[0]
    assert (alt["code"], alt["matched_to"], alt["matched_score"]) == (
        "swap_lowers_total",
        "m2",
        0.1,
    )


def _refusal(inst: dict[str, Any]) -> matching.InstanceError:
    with pytest.raises(matching.InstanceError) as info:
        matching.solve(inst)
    return info.value


@pytest.mark.parametrize(
    ("extra", "rule"),
    [
        ({"mentors": [make_mentor(grades=[6, 8])]}, "grade_outside_band"),
        ({"mentors": [make_mentor(modality="in_person")],
          "students": [make_student(modality="online")]}, "modality_mismatch"),
        ({"mentors": [make_mentor(languages=["fr"])]}, "no_common_language"),
        ({"mentors": [make_mentor(trained=False)], "rules": {"require_training": True}},
         "mentor_not_trained"),
        ({"mentors": [make_mentor(background_check=None)]}, "no_valid_check"),
        ({"mentors": [make_mentor(availability=["sat-am"])]}, "no_common_slot"),
    ],
)  # fmt: skip
def test_a_pin_breaking_a_rule_names_the_rule_and_the_ids(extra: dict[str, Any], rule: str) -> None:
    err = _refusal(make_instance(pinned=[{"student": "s1", "mentor": "m1"}]) | extra)
    assert (err.code, err.rule, err.student, err.mentor, err.project) == (
        "pin_breaks_rule", rule, "s1", "m1", None,
    )  # fmt: skip
    assert err.path == "pinned[0]"
    assert str(err).startswith("pinned[0]: pinned pair breaks a hard rule: ")


def test_other_pin_refusals_carry_codes_and_ids() -> None:
    forbidden = _refusal(make_instance(
        pinned=[{"student": "s1", "project": "p1"}],
        forbidden=[{"student": "s1", "project": "p1"}],
    ))  # fmt: skip
    assert (forbidden.code, forbidden.student, forbidden.project) == ("pin_forbidden", "s1", "p1")
    assert forbidden.rule is None and forbidden.mentor is None
    over = _refusal(make_instance(
        students=[make_student("a"), make_student("b")],
        pinned=[{"student": "a", "mentor": "m1"}, {"student": "b", "mentor": "m1"}],
    ))  # fmt: skip
    assert (over.code, over.student, over.mentor, over.path) == (
        "pin_over_capacity", "b", "m1", "pinned[1]",
    )  # fmt: skip
    twice = _refusal(make_instance(
        mentors=[make_mentor("m1"), make_mentor("m2")],
        pinned=[{"student": "s1", "mentor": "m1"}, {"student": "s1", "mentor": "m2"}],
    ))  # fmt: skip
    assert (twice.code, twice.student, twice.mentor) == ("pin_twice", "s1", "m2")
    edges = _refusal({
        "students": [{"id": "s1"}], "mentors": [{"id": "m1", "capacity": 1}], "edges": [],
        "pinned": [{"student": "s1", "mentor": "m1"}],
    })  # fmt: skip
    assert (edges.code, edges.rule) == ("pin_breaks_rule", "not_listed_edge")
    assert _refusal({"students": "none"}).code == "invalid_instance"


def test_the_closed_list_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    listed = {code for code in CODES if f"| `{code}` |" in text}
    assert listed == set(CODES)
    assert len(CODES) == len(
        {c for r in RULES.values() for c in (*r.code, *r.unmatched)}
        | set(UNMATCHED_STEPS.values()) | set(WHY_NOT) | set(ERRORS)
    )  # fmt: skip


def test_the_closed_list_is_public() -> None:
    assert matching.CODES == CODES
    assert "no_trained_mentor" in matching.CODES and "pin_breaks_rule" in matching.CODES
