"""Database rows → contract instances: what one matching run (or one swap) gives the matcher.

:func:`build_snapshot` reads the eligible profiles of a programme and freezes them into
contract instances (one per side: mentors, projects; ids like ``s12``/``m3``/``p7``).
The record builders are shared by runs, swaps and explanations. Nothing here writes to the
database, and nothing here imports ``matching``: that is :mod:`portal.programmes.matcher`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal import eligibility
from portal.extensions import db
from portal.models import (
    Match,
    MatchStatus,
    MentorProfile,
    Organisation,
    PairRule,
    PairRuleKind,
    PartnerKind,
    Programme,
    Project,
    StudentProfile,
    Verification,
)
from portal.programmes.matcher import Snapshot, key, sides_of, weights_of

NO_CHECK: dict[str, Any] = {"status": "none", "expires": None}
CLEARED_CHECK: dict[str, Any] = {"status": "verified", "expires": None}


def build_snapshot(programme: Programme, as_of: dt.date) -> Snapshot:
    """Read the eligible profiles, live matches and pair rules into contract instances."""
    snap = Snapshot(programme.id, as_of)
    students = eligibility.eligible_students(programme.school_id)
    live = eligibility.live_students(programme.school_id)
    rules = _pair_rules(programme)
    snap.counts["students"] = len(students)
    for kind in sides_of(programme):
        side_students = [s for s in students if (s.id, kind) not in live]
        targets, pending = _targets(kind, programme, as_of)
        instance = base_instance(programme, as_of)
        instance["students"] = [student_record(s) for s in side_students]
        instance[f"{kind}s"] = targets
        _add_rules(instance, kind, rules)
        snap.instances[kind] = instance
        snap.pending[kind] = pending
        snap.counts[kind] = {
            "students": len(side_students),
            "already_matched": len(students) - len(side_students),
            "targets": len(targets),
            "places": sum(t["capacity"] for t in targets),
            "pending": len(pending),
            "pinned": len(instance["pinned"]),
            "forbidden": len(instance["forbidden"]),
        }
    return snap


def base_instance(programme: Programme, as_of: dt.date) -> dict[str, Any]:
    """A contract instance with the programme's rules and weights and no records yet."""
    return {
        "as_of": as_of.isoformat(),
        "min_score": float(programme.min_score),
        "rules": {
            "require_common_slot": bool(programme.require_common_slot),
            "require_common_language": bool(programme.require_common_language),
            **training_rule(programme),
        },
        "weights": weights_of(programme),
        "students": [],
        "pinned": [],
        "forbidden": [],
        "edges": None,
    }


# --- training before matching (wired at merge) ----------------------------------------


def training_rule(programme: Programme) -> dict[str, bool]:
    """The programme's ``rules.require_training`` for the matcher (left out when off)."""
    return {"require_training": True} if programme.requires_training else {}


def trained_mentors(programme: Programme, mentors: list[MentorProfile]) -> dict[int, bool]:
    """Mentor id → ``trained`` (the optional field of mentor records), in one query; empty
    (the field left out) when the programme does not require training."""
    if not programme.requires_training:
        return {}
    untrained = eligibility.untrained_mentor_ids(programme, [m.id for m in mentors])
    return {m.id: m.id not in untrained for m in mentors}


# --- records --------------------------------------------------------------------------


def student_record(s: StudentProfile) -> dict[str, Any]:
    """The contract record of a student."""
    return {
        "id": key("student", s.id),
        "grade": s.grade,
        "minor": bool(s.is_minor),
        "interests": list(s.interests or []),
        "goals": list(s.goals or []),
        "availability": list(s.availability or []),
        "modality": str(s.modality),
        "languages": list(s.languages or []),
        "area": s.area or None,
    }


def mentor_record(
    mentor: MentorProfile, capacity: int, check: dict[str, Any], trained: bool | None = None
) -> dict[str, Any]:
    """The contract record of a mentor with ``capacity`` free places and its best check."""
    record = {
        "id": key(PartnerKind.MENTOR, mentor.id),
        "capacity": max(0, capacity),
        "expertise": list(mentor.expertise or []),
        "interests": list(mentor.interests or []),
        "availability": list(mentor.availability or []),
        "modality": str(mentor.modality),
        "languages": list(mentor.languages or []),
        "grades": [mentor.grade_min, mentor.grade_max],
        "area": mentor.area or None,
        "background_check": check,
    }
    if trained is not None:
        record["trained"] = trained
    return record


def project_record(project: Project, capacity: int) -> dict[str, Any]:
    """The contract record of a project with ``capacity`` free places."""
    record: dict[str, Any] = {
        "id": key(PartnerKind.PROJECT, project.id),
        "capacity": max(0, capacity),
        "skills": list(project.skills or []),
        "availability": list(project.availability or []),
        "modality": str(project.modality),
        "grades": [project.grade_min, project.grade_max],
        "area": project.area or None,
        "supervisor_checked": bool(project.supervisor_checked),
    }
    if project.languages:
        record["languages"] = list(project.languages)
    return record


def partner_records(
    programme: Programme,
    kind: PartnerKind,
    partners: list[MentorProfile] | list[Project],
    today: dt.date,
) -> list[dict[str, Any]]:
    """Records of one place each for `partners` (mentors with today's checks, or projects)."""
    if kind == PartnerKind.PROJECT:
        return [project_record(p, 1) for p in partners if isinstance(p, Project)]
    mentors = [m for m in partners if isinstance(m, MentorProfile)]
    checks = eligibility.check_status_by_user([m.user_id for m in mentors], today)
    trained = trained_mentors(programme, mentors)
    return [
        mentor_record(m, 1, checks.get(m.user_id, NO_CHECK), trained.get(m.id)) for m in mentors
    ]


# --- targets --------------------------------------------------------------------------


def _targets(
    kind: PartnerKind, programme: Programme, as_of: dt.date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(verified targets with free places, pending ones as if cleared) of one side."""
    if kind == PartnerKind.MENTOR:
        return _mentor_targets(programme, as_of)
    return _project_targets(programme.school_id)


def _mentor_targets(programme: Programme, as_of: dt.date) -> tuple[list[Any], list[Any]]:
    mentors = list(
        db.session.scalars(
            db.select(MentorProfile)
            .where(MentorProfile.school_id == programme.school_id)
            .where(MentorProfile.profile_complete.is_(True))
            .where(MentorProfile.verification != Verification.DECLINED)
            .order_by(MentorProfile.id)
        )
    )
    checks = eligibility.check_status_by_user([m.user_id for m in mentors], as_of)
    load = eligibility.live_load(PartnerKind.MENTOR, [m.id for m in mentors])
    trained = trained_mentors(programme, mentors)
    ready, pending = [], []
    for mentor in mentors:
        check = checks.get(mentor.user_id, NO_CHECK)
        free = mentor.capacity - load.get(mentor.id, 0)
        record = mentor_record(mentor, free, check, trained.get(mentor.id))
        verified = mentor.verification == Verification.VERIFIED
        if verified and record["capacity"] > 0:
            ready.append(record)
        # Would fit once verified, checked (or trained): the "what fixes it" hint.
        blocked = check["status"] != "verified" or record.get("trained") is False
        if not verified or (record["capacity"] > 0 and blocked):
            cleared = {**record, "capacity": max(1, record["capacity"])}
            cleared["background_check"] = CLEARED_CHECK
            if "trained" in cleared:
                cleared["trained"] = True
            pending.append(cleared)
    return ready, pending


def _project_targets(school_id: int) -> tuple[list[Any], list[Any]]:
    rows = db.session.execute(
        db.select(Project, Organisation.verification)
        .join(Project.organisation)
        .where(Organisation.school_id == school_id, Project.is_open.is_(True))
        .where(Organisation.verification != Verification.DECLINED)
        .order_by(Project.id)
    ).all()
    load = eligibility.live_load(PartnerKind.PROJECT, [project.id for project, _ in rows])
    ready, pending = [], []
    for project, verification in rows:
        record = project_record(project, project.capacity - load.get(project.id, 0))
        verified = verification == Verification.VERIFIED
        if verified and record["capacity"] > 0:
            ready.append(record)
        if not verified or (record["capacity"] > 0 and not project.supervisor_checked):
            capacity = max(1, record["capacity"])
            pending.append({**record, "capacity": capacity, "supervisor_checked": True})
    return ready, pending


# --- pair rules -----------------------------------------------------------------------


def _pair_rules(programme: Programme) -> list[PairRule]:
    """The programme's pins; forbids of every programme of its school (they hold school-wide);
    and, as forbids, pairs whose match ended unless the counselor said they may pair again."""
    query = (
        db.select(PairRule)
        .join(Programme, Programme.id == PairRule.programme_id)
        .where(Programme.school_id == programme.school_id)
        .where((PairRule.kind == PairRuleKind.FORBID) | (PairRule.programme_id == programme.id))
        .order_by(PairRule.id)
    )
    ended = db.session.execute(
        db.select(Match.student_id, Match.mentor_id, Match.project_id)
        .join(Match.programme)
        .where(Programme.school_id == programme.school_id)
        .where(Match.status == MatchStatus.ENDED, Match.may_repropose.is_(False))
    )
    closed = [
        PairRule(kind=PairRuleKind.FORBID, student_id=s, mentor_id=m, project_id=p)
        for s, m, p in ended
    ]
    return [*db.session.scalars(query), *closed]


def _add_rules(instance: dict[str, Any], kind: PartnerKind, rules: list[PairRule]) -> None:
    """Forbids between known ids; pins of free students, within capacity, not forbidden."""
    students = {s["id"] for s in instance["students"]}
    room = {t["id"]: t["capacity"] for t in instance[f"{kind}s"]}
    keyed = [(r, key("student", r.student_id), _target_key(kind, r)) for r in rules]
    pairs = [(r, s, t) for r, s, t in keyed if t is not None and s in students and t in room]
    forbidden = {(s, t) for r, s, t in pairs if r.kind == PairRuleKind.FORBID}
    pinned: dict[str, str] = {}
    for rule, s, t in reversed(pairs):  # the latest pin of a student wins
        free = s not in pinned and (s, t) not in forbidden and room[t] > 0
        if rule.kind == PairRuleKind.PIN and free:
            pinned[s] = t
            room[t] -= 1
    instance["forbidden"] = [{"student": s, kind: t} for s, t in sorted(forbidden)]
    instance["pinned"] = [{"student": s, kind: t} for s, t in sorted(pinned.items())]


def _target_key(kind: PartnerKind, rule: PairRule) -> str | None:
    target_id = rule.mentor_id if kind == PartnerKind.MENTOR else rule.project_id
    return key(kind, target_id) if target_id is not None else None
