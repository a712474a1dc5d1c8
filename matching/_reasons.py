"""Sentences a counselor can act on: why a student has no partner, why a pin is refused."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy.typing as npt

from ._schema import Student, Target

Array = npt.NDArray[Any]
_MEETS = {"in_person": "meets in person", "online": "meets online", "either": "meets at all"}


def _clauses(kind: str, student: Student) -> dict[str, str]:
    """Return rule -> what a target must do to pass it, for this student."""
    langs = " or ".join(student.languages) or "a language the student lists"
    check = "has a valid background check" if kind == "mentor" else "is supervisor-checked"
    return {
        "grade": f"takes grade {student.grade}",
        "modality": _MEETS[student.modality],
        "language": f"speaks {langs}",
        "check": check,
        "slot": "shares a free slot",
    }


def profile(
    kind: str, student: Student, steps: Sequence[str], counts: Array, min_score: float
) -> str:
    """Return the reason from cumulative `counts` of targets passing each of `steps`."""
    clauses = _clauses(kind, student)
    passed: list[str] = []
    previous = -1
    for step, count in zip(steps, counts.tolist(), strict=True):
        if count == 0:
            if step in clauses:
                return _no_target(kind, passed, clauses[step])
            return _after_rules(kind, step, previous, min_score)
        if step in clauses and 0 <= count < previous:
            passed.append(clauses[step])
        previous = count
    return f"left unmatched although {previous} compatible {kind}s have room (approximate mode)"


def _no_target(kind: str, passed: list[str], clause: str) -> str:
    """Return "no mentor that ... also ..." from the rules passed and the one failed."""
    if not passed:
        return f"no {kind} {clause}"
    return f"no {kind} that {' and '.join(passed)} also {clause}"


def _after_rules(kind: str, step: str, previous: int, min_score: float) -> str:
    """Return the reason when compatible targets exist but none is allowed or free."""
    if step == "all":
        return f"there are no {kind}s"
    if step == "listed":
        return f"no {kind} is listed for this student in edges"
    one = previous == 1
    some = f"the only compatible {kind} is" if one else f"all {previous} compatible {kind}s are"
    if step == "forbidden":
        return f"{some} forbidden for this student"
    if step == "min_score":
        every = "the only compatible" if one else "every compatible"
        return f"{every} {kind} scores under the minimum score {min_score:g}"
    return f"{some} full"


def edges(kind: str, counts: Array, min_score: float) -> str:
    """Return the reason in edges mode from counts of listed, allowed, scored, free targets."""
    previous = 0
    for step, count in zip(
        ("listed", "forbidden", "min_score", "full"), counts.tolist(), strict=True
    ):
        if count == 0:
            return _after_rules(kind, step, previous, min_score)
        previous = count
    return f"left unmatched although {previous} listed {kind}s have room (approximate mode)"


def broken(rule: str, student: Student, target: Target, kind: str) -> str:
    """Return the hard rule a (student, target) pair breaks, in words."""
    if rule == "grade":
        low, high = target.grades
        return f"grade {student.grade} is outside {target.id}'s grade band {low}-{high}"
    if rule == "modality":
        return f"modality {student.modality} does not fit {target.id}'s {target.modality}"
    if rule == "language":
        return f"{student.id} and {target.id} share no language"
    if rule == "slot":
        return f"{student.id} and {target.id} share no free slot"
    what = "a valid background check" if kind == "mentor" else "a supervisor check"
    return f"{student.id} is a minor and {target.id} has no {what}"
