"""A proposal's explanation in words: each criterion, and the alternatives not chosen."""

from __future__ import annotations

from typing import Any

from portal.extensions import db
from portal.models import MentorProfile, Project, Proposal, Tag
from portal.programmes import matcher, snapshot, wording
from portal.programmes.wording import MODALITY_WORDS
from portal.vocabulary import AREAS, LANGUAGES, slot_label


def explanation(proposal: Proposal) -> dict[str, Any]:
    """The criteria rows and both sides' alternatives of a proposal, worded with names."""
    alternatives = proposal.alternatives or {}
    student, partner = alternatives.get("student", []), alternatives.get("partner", [])
    names = wording.names_of(_named(proposal, [*student, *partner]))
    pair = (
        names.get(("student", proposal.student_id), wording.NO_LONGER_LISTED),
        names.get((proposal.kind, proposal.partner_id), wording.NO_LONGER_LISTED),
    )
    return {
        "swapped": "swapped_with" in alternatives,
        "criteria": criteria(proposal),
        "student_alternatives": _alternatives(student, names, pair),
        "partner_alternatives": _alternatives(partner, names, pair),
    }


def criteria(proposal: Proposal) -> list[dict[str, Any]]:
    """One row per criterion: its points in the score, what it means, what the pair shares."""
    words = _words(proposal)
    breakdown = proposal.breakdown or {}
    return [
        {
            "name": name,
            "label": name.capitalize(),
            "points": float(breakdown.get(name, 0.0)),
            "words": words[name],
            "description": description,
        }
        for name, description in matcher.criteria().items()
    ]


def _words(proposal: Proposal) -> dict[str, str]:
    """What the pair shares, from the profiles as the run scored them (`Proposal.basis`)."""
    partner: MentorProfile | Project | None = proposal.mentor or proposal.project
    assert partner is not None  # noqa: S101 - one partner (check constraint)
    is_mentor = isinstance(partner, MentorProfile)
    mine = proposal.basis.get("student") or matcher.basis_of(
        snapshot.student_record(proposal.student)
    )
    theirs = proposal.basis.get("partner") or _today(partner)
    interests = theirs.get("interests" if is_mentor else "skills", [])
    goals = theirs.get("expertise" if is_mentor else "skills", [])
    low, high = theirs.get("grades", [None, None])
    who = "the mentor" if is_mentor else "the project"
    labels = _tag_labels([*mine.get("interests", []), *mine.get("goals", [])])
    return {
        "interests": _shared("Shared interests", mine.get("interests"), interests, labels.get),
        "goals": _shared("Goals met", mine.get("goals"), goals, labels.get),
        "availability": _shared(
            "Both free", mine.get("availability"), theirs.get("availability"), slot_label
        ),
        "modality": _modality(str(mine.get("modality")), str(theirs.get("modality")), who),
        "language": _shared(
            "Both speak", mine.get("languages"), theirs.get("languages"), _language
        ),
        "grade": f"Grade {mine.get('grade')}; {who} takes grades {low}–{high}",
        "area": _area(mine.get("area") or "", theirs.get("area") or "", who),
    }


def _today(partner: MentorProfile | Project) -> dict[str, Any]:
    """Today's profile of the partner, for proposals stored before runs kept their basis."""
    if isinstance(partner, MentorProfile):
        return matcher.basis_of(snapshot.mentor_record(partner, 0, {}))
    return matcher.basis_of(snapshot.project_record(partner, 0))


def _shared(title: str, mine: list[str] | None, theirs: list[str] | None, label: Any) -> str:
    common = [value for value in mine or [] if value in set(theirs or [])]
    if not common:
        return f"{title}: none"
    return f"{title}: {', '.join(str(label(value) or value) for value in common)}"


def _language(code: str) -> str:
    return str(LANGUAGES.get(code, code))


def _modality(student: str, partner: str, who: str) -> str:
    if student == partner:
        return f"Both prefer to meet {MODALITY_WORDS.get(student, student)}"
    return (
        f"The student prefers {MODALITY_WORDS.get(student, student)}; "
        f"{who} {MODALITY_WORDS.get(partner, partner)}"
    )


def _area(student: str, partner: str, who: str) -> str:
    if student and student == partner:
        return f"Both in {AREAS.get(student, student)}"
    mine = AREAS.get(student, student or "no given area")
    theirs = AREAS.get(partner, partner or "no given area")
    return f"The student is in {mine}; {who} in {theirs}"


def _tag_labels(slugs: list[str]) -> dict[str, str]:
    rows = db.session.execute(db.select(Tag.slug, Tag.label).where(Tag.slug.in_(set(slugs))))
    return {row[0]: row[1] for row in rows}


def _named(proposal: Proposal, items: list[dict[str, Any]]) -> list[wording.Key]:
    """Everyone the explanation names: the pair, the alternatives, where those went instead."""
    keys = [("student", proposal.student_id), (proposal.kind, proposal.partner_id)]
    for item in items:
        keys.append((item["kind"], item["id"]))
        if "matched_to" in item:
            keys.append((item["matched_to"]["kind"], item["matched_to"]["id"]))
    return keys


def _alternatives(
    items: list[dict[str, Any]], names: dict[wording.Key, str], pair: tuple[str, str]
) -> list[dict[str, Any]]:
    return [
        {
            "name": names.get((item["kind"], item["id"]), "no longer listed"),
            "score": item["score"],
            "why_not": wording.why_not(item, names, *pair),
        }
        for item in items
    ]
