"""The adapter builds the contract instance from database rows, and maps the result back."""

from __future__ import annotations

import datetime as dt

import matching
from portal.extensions import db
from portal.models import (
    ConsentStatus,
    Match,
    MatchStatus,
    MentorTraining,
    PairRule,
    PairRuleKind,
    ProgrammeKind,
    Verification,
)
from portal.programmes import matcher, snapshot
from tests import factories
from tests.programmes.conftest import ProgrammeWorld

TODAY = dt.date.today()


def _instance(world, kind="mentor"):
    return snapshot.build_snapshot(world.programme, TODAY).instances[kind]


def test_only_eligible_students_are_in_the_snapshot(app):
    world = ProgrammeWorld.new()
    ok = factories.make_student(world.school)
    factories.make_student(world.school, consent_status=ConsentStatus.AWAITING)
    factories.make_student(world.school, consent_status=ConsentStatus.WITHDRAWN)
    factories.make_student(world.school, profile_complete=False)
    factories.make_student(world.school, erased_at=dt.datetime.now(dt.UTC))
    factories.make_student(factories.make_school())  # another school
    instance = _instance(world)
    assert [s["id"] for s in instance["students"]] == [f"s{ok.id}"]
    assert instance["students"][0]["grade"] == 10
    assert instance["students"][0]["interests"] == ["robotics", "coding"]
    assert instance["as_of"] == TODAY.isoformat()


def test_mentors_need_verification_and_carry_their_check(app):
    world = ProgrammeWorld.new()
    good = factories.make_mentor(world.school)
    factories.make_mentor(world.school, verified=False)
    declined = factories.make_mentor(world.school, verified=False)
    declined.verification = Verification.DECLINED
    expired = factories.make_mentor(world.school)
    for check in db.session.scalars(db.select(factories.BackgroundCheck)):
        if check.user_id == expired.user_id:
            check.expires_on = TODAY - dt.timedelta(days=1)
    db.session.commit()
    mentors = {m["id"]: m for m in _instance(world)["mentors"]}
    assert set(mentors) == {f"m{good.id}", f"m{expired.id}"}
    assert mentors[f"m{good.id}"]["background_check"]["status"] == "verified"
    assert mentors[f"m{expired.id}"]["background_check"]["status"] == "expired"
    assert mentors[f"m{good.id}"]["grades"] == [9, 12]


def test_capacity_is_reduced_by_live_matches_and_matched_students_left_out(app):
    world = ProgrammeWorld.new()
    mentor = factories.make_mentor(world.school, capacity=2)
    full = factories.make_mentor(world.school, capacity=1)
    matched = factories.make_student(world.school)
    other = factories.make_student(world.school)
    ended = factories.make_student(world.school)
    for student, who, status in (
        (matched, mentor, MatchStatus.ACTIVE),
        (other, full, MatchStatus.PAUSED),
        (ended, mentor, MatchStatus.ENDED),
    ):
        db.session.add(
            Match(
                programme_id=world.programme.id,
                student_id=student.id,
                kind="mentor",
                mentor_id=who.id,
                status=status,
            )
        )
    db.session.commit()
    instance = _instance(world)
    assert {m["id"]: m["capacity"] for m in instance["mentors"]} == {f"m{mentor.id}": 1}
    assert [s["id"] for s in instance["students"]] == [f"s{ended.id}"]


def test_pins_and_forbids_come_from_pair_rules(app):
    world = ProgrammeWorld.new()
    mentor = factories.make_mentor(world.school)
    a = factories.make_student(world.school)
    b = factories.make_student(world.school)
    for student, kind in ((a, PairRuleKind.PIN), (b, PairRuleKind.FORBID)):
        db.session.add(
            PairRule(
                programme_id=world.programme.id,
                kind=kind,
                student_id=student.id,
                mentor_id=mentor.id,
            )
        )
    db.session.commit()
    instance = _instance(world)
    assert instance["pinned"] == [{"student": f"s{a.id}", "mentor": f"m{mentor.id}"}]
    assert instance["forbidden"] == [{"student": f"s{b.id}", "mentor": f"m{mentor.id}"}]


def test_weights_default_and_rules_follow_the_programme(app):
    world = ProgrammeWorld.new(weights={"area": 0}, require_common_language=False, min_score=0.3)
    instance = _instance(world)
    assert instance["weights"]["area"] == 0
    assert instance["weights"]["interests"] == matching.DEFAULT_WEIGHTS["interests"]
    assert instance["rules"] == {"require_common_slot": True, "require_common_language": False}
    assert instance["min_score"] == 0.3


def test_projects_need_an_open_project_of_a_verified_organisation(app):
    world = ProgrammeWorld.new(kind=ProgrammeKind.BOTH)
    organisation = factories.make_organisation(world.school)
    good = factories.make_project(organisation, availability=["tue-pm"])
    factories.make_project(organisation, is_open=False)
    factories.make_project(factories.make_organisation(world.school, verified=False))
    snap = snapshot.build_snapshot(world.programme, TODAY)
    assert set(snap.instances) == {"mentor", "project"}
    assert [p["id"] for p in snap.instances["project"]["projects"]] == [f"p{good.id}"]
    assert len(snap.pending["project"]) == 1


def test_solve_maps_results_back_and_counts_pending_mentors_who_would_fit(app):
    world = ProgrammeWorld.new()
    mentor = factories.make_mentor(world.school, capacity=1)
    first = factories.make_student(world.school)
    second = factories.make_student(world.school)
    factories.make_mentor(world.school, verified=False)
    factories.make_mentor(world.school, verified=False)
    snap = snapshot.build_snapshot(world.programme, TODAY)
    solved = matcher.solve_snapshot(snap)
    assert len(solved.proposals) == 1
    proposal = solved.proposals[0]
    assert proposal["mentor_id"] == mentor.id
    assert proposal["student_id"] in {first.id, second.id}
    assert set(proposal["breakdown"]) == set(matching.CRITERIA)
    assert abs(sum(proposal["breakdown"].values()) - proposal["score"]) < 1e-6
    [missing] = solved.unmatched["mentor"]
    assert missing["student_id"] in {first.id, second.id} - {proposal["student_id"]}
    assert missing["pending_fit"] == 2
    assert missing["code"] == "all_compatible_full" and missing["compatible"] == 1
    assert "reason" not in missing  # the portal words it from the code
    assert sum(solved.stats["mentor"]["histogram"]) == 1


def test_a_pin_breaking_a_hard_rule_is_dropped_not_fatal(app):
    world = ProgrammeWorld.new()
    mentor = factories.make_mentor(world.school, grade_min=11, grade_max=12)
    student = factories.make_student(world.school, grade=9)
    db.session.add(
        PairRule(
            programme_id=world.programme.id,
            kind=PairRuleKind.PIN,
            student_id=student.id,
            mentor_id=mentor.id,
        )
    )
    db.session.commit()
    solved = matcher.solve_snapshot(snapshot.build_snapshot(world.programme, TODAY))
    assert solved.proposals == []
    assert len(solved.skipped_pins) == 1
    [refused] = solved.skipped_pins
    assert (refused.code, refused.rule) == ("pin_breaks_rule", "grade_outside_band")
    assert (refused.kind, refused.student_id, refused.partner_id) == (
        "mentor",
        student.id,
        mentor.id,
    )
    [missing] = solved.unmatched["mentor"]  # solved again without the pin
    assert missing["code"] == "grade_outside_band"


def test_alternatives_carry_codes_and_database_ids(app):
    world = ProgrammeWorld.new()
    rosa = factories.make_mentor(world.school, capacity=1)
    ben = factories.make_mentor(world.school, capacity=1, grade_min=7)
    factories.make_student(world.school, grade=10)
    factories.make_student(world.school, grade=8)
    solved = matcher.solve_snapshot(snapshot.build_snapshot(world.programme, TODAY))
    by_partner = {p["mentor_id"]: p for p in solved.proposals}
    # Ben (grades 7-12) would also take the grade-10 student, whom the run gave Rosa.
    [other] = by_partner[ben.id]["alternatives"]["partner"]
    assert other["kind"] == "student" and other["code"] in {
        "matched_higher_score",
        "swap_lowers_total",
    }
    assert other["matched_to"] == {"kind": "mentor", "id": rosa.id}
    assert "why_not" not in other
    [item] = by_partner[rosa.id]["alternatives"]["student"]
    assert (item["kind"], item["id"]) == ("mentor", ben.id) and item["code"]


def test_a_programme_that_requires_training_proposes_only_trained_mentors(app):
    world = ProgrammeWorld.new()
    mentor = factories.make_mentor(world.school)
    factories.make_student(world.school)
    assert "require_training" not in _instance(world)["rules"]  # not required: unchanged
    assert "trained" not in _instance(world)["mentors"][0]
    world.programme.requires_training = True
    db.session.commit()
    snap = snapshot.build_snapshot(world.programme, TODAY)
    assert snap.instances["mentor"]["rules"]["require_training"] is True
    assert snap.instances["mentor"]["mentors"][0]["trained"] is False
    solved = matcher.solve_snapshot(snap)
    assert solved.proposals == []
    [missing] = solved.unmatched["mentor"]
    assert missing["code"] == "no_trained_mentor"
    db.session.add(
        MentorTraining(
            user_id=mentor.user_id, course="Safeguarding basics", completed_on=TODAY, hours=2
        )
    )
    db.session.commit()
    snap = snapshot.build_snapshot(world.programme, TODAY)
    assert snap.instances["mentor"]["mentors"][0]["trained"] is True
    assert len(matcher.solve_snapshot(snap).proposals) == 1
