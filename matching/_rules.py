"""The hard rules, each declared once: name, codes and wording (what passes, what breaks).

The scorer, the pin check and the reasons all read these declarations; `CODES` is the
closed list of machine-readable codes the result and `InstanceError` can carry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from ._criteria import MODALITY_SCORE
from ._schema import Student, Target

Array = npt.NDArray[Any]
# test(s, t, c) -> bool array: which pairs pass. `s` and `t` carry the students' and targets'
# feature arrays (`_features.Features`, or the few a category table needs), `c` the pairs'
# shared counts (`_features.Counts`); all broadcast against each other.
Test = Callable[[Any, Any, Any], Array]

_MEETS = {"in_person": "meets in person", "online": "meets online", "either": "meets at all"}


@dataclass(frozen=True, slots=True)
class Rule:
    """One hard rule of profile mode.

    ``test`` says which pairs pass it (the scorer's pair test, its category tables and the
    reasons all call it); ``code`` names a pair that breaks it (per kind, mentor then
    project); ``unmatched`` names a student for whom no target passes it (per kind);
    ``shares`` says what a target must do to pass it, for a student; ``breaks`` says how a
    pair breaks it.
    """

    name: str
    test: Test
    code: tuple[str, str]
    unmatched: tuple[str, str]
    shares: Callable[[str, Student], str]
    breaks: Callable[[Student, Target, str], str]

    def code_for(self, kind: str) -> str:
        """Return the code of a pair breaking this rule."""
        return self.code[kind != "mentor"]

    def unmatched_for(self, kind: str) -> str:
        """Return the code of a student no target of `kind` passes this rule for."""
        return self.unmatched[kind != "mentor"]


def _both(code: str) -> tuple[str, str]:
    return code, code


def _grade_breaks(s: Student, t: Target, kind: str) -> str:
    low, high = t.grades
    return f"grade {s.grade} is outside {t.id}'s grade band {low}-{high}"


def _check_breaks(s: Student, t: Target, kind: str) -> str:
    what = "a valid background check" if kind == "mentor" else "a supervisor check"
    return f"{s.id} is a minor and {t.id} has no {what}"


RULES: MappingProxyType[str, Rule] = MappingProxyType(
    {
        "grade": Rule(
            "grade",
            lambda s, t, c: (s.low >= t.low) & (s.low <= t.high),
            _both("grade_outside_band"),
            _both("grade_outside_band"),
            lambda kind, s: f"takes grade {s.grade}",
            _grade_breaks,
        ),
        "modality": Rule(
            "modality",
            lambda s, t, c: MODALITY_SCORE[s.modality, t.modality] > 0,
            _both("modality_mismatch"),
            _both("modality_mismatch"),
            lambda kind, s: _MEETS[s.modality],
            lambda s, t, kind: f"modality {s.modality} does not fit {t.id}'s {t.modality}",
        ),
        "language": Rule(
            "language",
            lambda s, t, c: (c.langs > 0) | t.any_language,
            _both("no_common_language"),
            _both("no_common_language"),
            lambda kind, s: f"speaks {' or '.join(s.languages) or 'a language the student lists'}",
            lambda s, t, kind: f"{s.id} and {t.id} share no language",
        ),
        "training": Rule(
            "training",
            lambda s, t, c: np.asarray(t.eligible, dtype=bool),
            _both("mentor_not_trained"),
            _both("no_trained_mentor"),
            lambda kind, s: "has completed the training",
            lambda s, t, kind: f"{t.id} has not completed the training",
        ),
        "check": Rule(
            "check",
            lambda s, t, c: s.cleared | t.cleared,
            ("no_valid_check", "no_supervisor_check"),
            ("no_valid_check", "no_supervisor_check"),
            lambda kind, s: (
                "has a valid background check" if kind == "mentor" else "is supervisor-checked"
            ),
            _check_breaks,
        ),
        "slot": Rule(
            "slot",
            lambda s, t, c: c.slots > 0,
            _both("no_common_slot"),
            _both("no_common_slot"),
            lambda kind, s: "shares a free slot",
            lambda s, t, kind: f"{s.id} and {t.id} share no free slot",
        ),
    }
)
"""Every hard rule of profile mode, in the order the reasons test them."""

# Why a student is unmatched, besides a rule no target passes.
UNMATCHED_STEPS: MappingProxyType[str, str] = MappingProxyType(
    {
        "all": "no_candidates",
        "listed": "no_listed_edge",
        "forbidden": "forbidden",
        "min_score": "under_min_score",
        "full": "all_compatible_full",
        "approximate": "left_unmatched_approximate",
    }
)

# Why an alternative was not chosen.
WHY_NOT: tuple[str, ...] = (
    "student_pinned",
    "full_higher_scores",
    "full_better_total",
    "lower_score",
    "tie_broken_by_order",
    "unmatched_adds_less",
    "pinned_elsewhere",
    "matched_higher_score",
    "swap_lowers_total",
)

# Why an instance is refused (`InstanceError.code`) and why a pinned pair is not feasible.
ERRORS: tuple[str, ...] = (
    "invalid_instance",
    "pin_breaks_rule",
    "pin_forbidden",
    "pin_over_capacity",
    "pin_twice",
    "not_listed_edge",
)

CODES: frozenset[str] = frozenset(
    {c for rule in RULES.values() for c in (*rule.code, *rule.unmatched)}
    | set(UNMATCHED_STEPS.values())
    | set(WHY_NOT)
    | set(ERRORS)
)
"""The closed list of machine-readable codes (documented in ``docs/matching.md``)."""


def rule_names(require_language: bool, require_training: bool, require_slot: bool) -> list[str]:
    """Return the hard rules in use, in order."""
    switch = {"language": require_language, "training": require_training, "slot": require_slot}
    return [name for name in RULES if switch.get(name, True)]
