"""The portal's words for the matcher's codes: names, never ids, and never its sentences.

The matcher's boundary (:mod:`portal.programmes.matcher`) hands over stable codes (the
closed list in ``docs/matching.md``) and database ids. Every sentence a counselor reads
about a run is worded here, from one table per kind of message: why a student is left
unmatched (:data:`UNMATCHED`), why an alternative was not chosen (:data:`WHY_NOT`), why a
pin or a swap is refused (:data:`REFUSED`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import MentorProfile, PartnerKind, Project, StudentProfile
from portal.programmes.matcher import Refusal

Key = tuple[str, int]  # ("student" or a PartnerKind, database id)
NO_LONGER_LISTED = "someone no longer listed"
MODALITY_WORDS = {"in_person": "in person", "online": "online", "either": "either way"}

# Why a student has no partner. {student}: their name; {kind}: mentor or project;
# {count}: how many compatible partners the matcher found.
UNMATCHED = {
    "no_candidates": "there are no {kind}s with a free place in this programme",
    "no_listed_edge": "no {kind} is listed for {student}",
    "grade_outside_band": "no {kind} takes {student}'s grade",
    "modality_mismatch": "no {kind} meets the way {student} prefers",
    "no_common_language": "no {kind} speaks a language {student} speaks",
    "no_trained_mentor": "no mentor who fits {student} has completed the training",
    "no_valid_check": "{student} is a minor and no mentor who fits has a valid background check",
    "no_supervisor_check": "{student} is a minor and no project that fits is supervisor-checked",
    "no_common_slot": "no {kind} who fits {student} shares a free weekly slot",
    "forbidden": "every compatible {kind} ({count}) is a forbidden pair for {student}",
    "under_min_score": "every compatible {kind} ({count}) scores under the minimum score",
    "all_compatible_full": "every compatible {kind} ({count}) is full",
    "left_unmatched_approximate": "{student} was left unmatched although {count} compatible "
    "{kind}s have room",
}
UNMATCHED_UNKNOWN = "no {kind} could be proposed for {student}"

# Why an alternative was not chosen. {student}, {partner}: the proposal's pair; {other}:
# where the alternative student went instead, with {other_score}; {load}: students taken.
WHY_NOT = {
    "student_pinned": "{student} is pinned to {partner}",
    "full_higher_scores": "full: took {load} with higher scores",
    "full_better_total": "full: the {load} it took give more matches or a higher total",
    "lower_score": "scores lower than {partner}",
    "tie_broken_by_order": "scores the same as {partner}; the tie was broken by order",
    "unmatched_adds_less": "unmatched: every place with {partner} went to a student who adds more",
    "pinned_elsewhere": "pinned to {other}",
    "matched_higher_score": "matched to {other} with a higher score ({other_score})",
    "swap_lowers_total": "matched to {other} ({other_score}); a swap would lower the total",
}
WHY_NOT_UNKNOWN = "not chosen by the run"

# Why a pinned pair is refused: the refusal's code or, for a broken hard rule, the rule's code.
REFUSED = {
    "grade_outside_band": "grade {grade} is outside {partner}'s grade band {low}–{high} "
    "for {student}",
    "modality_mismatch": "{student} prefers to meet {student_modality}; "
    "{partner} meets {partner_modality}",
    "no_common_language": "{student} and {partner} share no language",
    "mentor_not_trained": "{partner} has not completed the training",
    "no_valid_check": "{student} is a minor and {partner} has no valid background check",
    "no_supervisor_check": "{student} is a minor and {partner} is not supervisor-checked",
    "no_common_slot": "{student} and {partner} share no free weekly slot",
    "not_listed_edge": "{partner} is not listed for {student}",
    "pin_breaks_rule": "{student} and {partner} break a hard rule",
    "pin_forbidden": "{student} and {partner} are a forbidden pair in this programme",
    "pin_over_capacity": "{partner} has no free place left for {student}",
    "pin_twice": "{student} is pinned more than once",
}


def unmatched_reason(entry: dict[str, Any], student: str, kind: str) -> str:
    """Why the student of a stored unmatched `entry` has no `kind` partner, with their name."""
    template = UNMATCHED.get(entry.get("code") or "", UNMATCHED_UNKNOWN)
    return template.format(student=student, kind=kind, count=entry.get("compatible", "all"))


def why_not(item: dict[str, Any], names: dict[Key, str], student: str, partner: str) -> str:
    """Why a stored alternative `item` was not chosen for the pair (`student`, `partner`)."""
    template = WHY_NOT.get(item.get("code") or "", WHY_NOT_UNKNOWN)
    other = item.get("matched_to") or {}
    load = int(item.get("load", 0))
    return template.format(
        student=student,
        partner=partner,
        other=names.get((other.get("kind", ""), other.get("id", 0)), NO_LONGER_LISTED),
        other_score=f"{float(item.get('matched_score', 0.0)):.2f}",
        load=f"{load} student{'' if load == 1 else 's'}",
    )


def refusal(refused: Refusal, names: dict[Key, str]) -> str:
    """Why the matcher refused a pinned pair, naming the student and the partner."""
    template = REFUSED.get(refused.rule or "") or REFUSED.get(
        refused.code, REFUSED["pin_breaks_rule"]
    )
    student, partner = refused.student, refused.partner
    low, high = partner.get("grades", ["?", "?"])
    return template.format(
        student=names.get(("student", refused.student_id), NO_LONGER_LISTED),
        partner=names.get((refused.kind, refused.partner_id), NO_LONGER_LISTED),
        grade=student.get("grade", "?"),
        low=low,
        high=high,
        student_modality=MODALITY_WORDS.get(student.get("modality", ""), "their way"),
        partner_modality=MODALITY_WORDS.get(partner.get("modality", ""), "its own way"),
    )


def skipped_pins(refused: list[Refusal]) -> str:
    """The pins a run could not keep, one sentence each, with names (two or three queries)."""
    if not refused:
        return ""
    names = names_of(
        [("student", r.student_id) for r in refused] + [(r.kind, r.partner_id) for r in refused]
    )
    return "; ".join(refusal(r, names) for r in refused)


def names_of(keys: Iterable[Key]) -> dict[Key, str]:
    """(kind, id) → the name a counselor knows: a person's full name, a project's display name."""
    wanted: dict[str, set[int]] = {"student": set(), **{kind: set() for kind in PartnerKind}}
    for kind, ident in keys:
        wanted[kind].add(ident)
    names: dict[Key, str] = {}
    students = db.select(StudentProfile).where(StudentProfile.id.in_(wanted["student"]))
    for s in db.session.scalars(students) if wanted["student"] else ():
        names[("student", s.id)] = f"{s.first_name} {s.last_name}"
    mentors = db.select(MentorProfile).where(MentorProfile.id.in_(wanted[PartnerKind.MENTOR]))
    for m in db.session.scalars(mentors) if wanted[PartnerKind.MENTOR] else ():
        names[(PartnerKind.MENTOR, m.id)] = m.display_name
    projects = db.select(Project).where(Project.id.in_(wanted[PartnerKind.PROJECT]))
    projects = projects.options(selectinload(Project.organisation))
    for p in db.session.scalars(projects) if wanted[PartnerKind.PROJECT] else ():
        names[(PartnerKind.PROJECT, p.id)] = p.display_name
    return names
