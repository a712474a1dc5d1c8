"""Reasons a counselor can act on, each a stable code with a sentence: why a student has no
partner, why a pair is not feasible."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy.typing as npt

from ._rules import RULES, UNMATCHED_STEPS
from ._schema import Student, Target

Array = npt.NDArray[Any]


@dataclass(frozen=True, slots=True)
class Reason:
    """A machine-readable `code`, its sentence, and the count of compatible targets if any."""

    code: str
    text: str
    compatible: int | None = None


def profile(
    kind: str, student: Student, steps: Sequence[str], counts: Array, min_score: float
) -> Reason:
    """Return the reason from cumulative `counts` of targets passing each of `steps`."""
    passed: list[str] = []
    previous = -1
    for step, count in zip(steps, counts.tolist(), strict=True):
        rule = RULES.get(step)
        if count == 0:
            if rule is not None:
                text = _no_target(kind, passed, rule.shares(kind, student))
                return Reason(rule.unmatched_for(kind), text)
            return _after_rules(kind, step, previous, min_score)
        if rule is not None and 0 <= count < previous:
            passed.append(rule.shares(kind, student))
        previous = count
    return compatible(kind, previous, previous)


def compatible(kind: str, allowed: int, free: int) -> Reason:
    """Return the reason of a student with `allowed` compatible targets (> 0), `free` not full.

    What `profile` says when no step before "full" leaves no target.
    """
    if free:
        text = f"left unmatched although {free} compatible {kind}s have room (approximate mode)"
        return Reason(UNMATCHED_STEPS["approximate"], text, free)
    return Reason(UNMATCHED_STEPS["full"], f"{_some(kind, allowed)} full", allowed)


def _some(kind: str, n: int) -> str:
    """Return "the only compatible mentor is" or "all n compatible mentors are"."""
    return f"the only compatible {kind} is" if n == 1 else f"all {n} compatible {kind}s are"


def _no_target(kind: str, passed: list[str], clause: str) -> str:
    """Return "no mentor that ... also ..." from the rules passed and the one failed."""
    if not passed:
        return f"no {kind} {clause}"
    return f"no {kind} that {' and '.join(passed)} also {clause}"


def _after_rules(kind: str, step: str, previous: int, min_score: float) -> Reason:
    """Return the reason when compatible targets exist but none is allowed or free."""
    code = UNMATCHED_STEPS[step]
    if step == "all":
        return Reason(code, f"there are no {kind}s")
    if step == "listed":
        return Reason(code, f"no {kind} is listed for this student in edges")
    if step == "forbidden":
        return Reason(code, f"{_some(kind, previous)} forbidden for this student", previous)
    if step == "min_score":
        every = "the only compatible" if previous == 1 else "every compatible"
        text = f"{every} {kind} scores under the minimum score {min_score:g}"
        return Reason(code, text, previous)
    return compatible(kind, previous, 0)  # all full


def edges(kind: str, counts: Array, min_score: float) -> Reason:
    """Return the reason in edges mode from counts of listed, allowed, scored, free targets."""
    previous = 0
    for step, count in zip(
        ("listed", "forbidden", "min_score", "full"), counts.tolist(), strict=True
    ):
        if count == 0:
            return _after_rules(kind, step, previous, min_score)
        previous = count
    text = f"left unmatched although {previous} listed {kind}s have room (approximate mode)"
    return Reason(UNMATCHED_STEPS["approximate"], text, previous)


def broken(rule: str, student: Student, target: Target, kind: str) -> Reason:
    """Return the hard rule a (student, target) pair breaks: its code and words."""
    declared = RULES[rule]
    return Reason(declared.code_for(kind), declared.breaks(student, target, kind))
