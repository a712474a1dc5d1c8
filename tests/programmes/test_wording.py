"""Every code the matcher can hand the portal is worded by the portal, with names, not ids."""

from __future__ import annotations

import re

import pytest

from matching import _rules
from portal.programmes import wording
from portal.programmes.matcher import Refusal

CONTRACT_ID = re.compile(r"\b[smp]\d+\b")
LINA, ROSA, BEN = "Lina Park", "Rosa Diaz", "Ben Ode"
NAMES = {("student", 12): LINA, ("mentor", 3): ROSA, ("mentor", 9): BEN}

UNMATCHED_CODES = sorted(
    {code for rule in _rules.RULES.values() for code in rule.unmatched}
    | set(_rules.UNMATCHED_STEPS.values())
)
RULE_CODES = sorted({code for rule in _rules.RULES.values() for code in rule.code})
PIN_CODES = sorted(set(_rules.ERRORS) - {"invalid_instance", "not_listed_edge"})
# Codes of the alternatives that are about other people (the rest say "full", "lower score").
WHY_NOT_NAMING = {
    "student_pinned": LINA,
    "lower_score": ROSA,
    "tie_broken_by_order": ROSA,
    "unmatched_adds_less": ROSA,
    "pinned_elsewhere": BEN,
    "matched_higher_score": BEN,
    "swap_lowers_total": BEN,
}


def _clean(message: str) -> None:
    assert message and not CONTRACT_ID.search(message), message
    assert "{" not in message and "None" not in message, message


def test_the_portal_words_every_code_of_the_closed_list():
    worded = set(wording.UNMATCHED) | set(wording.WHY_NOT) | set(wording.REFUSED)
    assert _rules.CODES - {"invalid_instance"} <= worded
    assert set(UNMATCHED_CODES) <= set(wording.UNMATCHED)
    assert set(_rules.WHY_NOT) == set(wording.WHY_NOT)
    assert set(RULE_CODES) | set(PIN_CODES) <= set(wording.REFUSED)


@pytest.mark.parametrize("code", UNMATCHED_CODES)
def test_each_unmatched_reason_names_the_student_or_the_count(code):
    entry = {"student_id": 12, "code": code, "compatible": 3, "pending_fit": 0}
    message = wording.unmatched_reason(entry, LINA, "mentor")
    _clean(message)
    assert LINA in message or "mentors" in message or "(3)" in message


def test_an_unmatched_entry_without_a_code_still_gets_a_sentence_with_the_name():
    old = {"student_id": 12, "reason": "no mentor takes grade 5 of s12", "pending_fit": 0}
    assert (
        wording.unmatched_reason(old, LINA, "mentor") == f"no mentor could be proposed for {LINA}"
    )


@pytest.mark.parametrize("code", sorted(_rules.WHY_NOT))
def test_each_why_not_names_the_people_it_is_about(code):
    item = {
        "kind": "student",
        "id": 14,
        "score": 0.5,
        "code": code,
        "load": 2,
        "matched_to": {"kind": "mentor", "id": 9},
        "matched_score": 0.8,
    }
    message = wording.why_not(item, NAMES, LINA, ROSA)
    _clean(message)
    if code in WHY_NOT_NAMING:
        assert WHY_NOT_NAMING[code] in message


@pytest.mark.parametrize(
    ("code", "rule"),
    [("pin_breaks_rule", rule) for rule in RULE_CODES] + [(code, None) for code in PIN_CODES],
)
def test_each_refused_pin_names_the_student_or_the_partner(code, rule):
    student = {"id": "s12", "grade": 8, "modality": "online"}
    partner = {"id": "m3", "grades": [9, 12], "modality": "in_person"}
    message = wording.refusal(Refusal(code, rule, "mentor", student, partner), NAMES)
    _clean(message)
    assert ROSA in message or LINA in message
    if rule == "grade_outside_band":
        assert message == f"grade 8 is outside {ROSA}'s grade band 9–12 for {LINA}"
