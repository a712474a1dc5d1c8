"""A small two-school world for the security tests, with planted personal data.

School A holds one of everything, all linked: student ``a_student`` (a minor, awaiting a match),
mentor ``a_mentor``, organisation ``a_org`` with a project, counselor ``a_counselor``, a
programme with a run and proposals, and a concern. School B holds the same for "another's
object" (``b_*``). ``admin`` sees both. Phone numbers and emails are unique, planted strings
that the no-leak test searches for in every response.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from portal.auth.tokens import make_token
from portal.extensions import db
from portal.models import (
    Concern,
    Match,
    MatchRun,
    MatchStatus,
    Proposal,
    Role,
    RunStatus,
    Tag,
    User,
    utcnow,
)
from portal.safeguarding.services import CONSENT
from tests import factories
from tests.conftest import World
from tests.factories import make_check_in, make_match, make_programme

ROLES = ("anonymous", "student", "mentor", "organisation", "counselor", "admin")


@dataclass(kw_only=True)
class Side(World):
    """One school (the base world) and its people and records."""

    student: Any
    other_student: Any
    mentor: Any
    org: Any
    project: Any
    programme: Any
    run: MatchRun
    proposal: Proposal
    project_proposal: Proposal
    concern: Concern
    match: Match | None = None
    project_match: Match | None = None
    secrets: dict[str, str] = field(default_factory=dict)


def _side(tag: str) -> Side:
    base = World.new(name=f"School {tag}")
    school = base.school
    secret = {
        "student_phone": f"555-{tag}1-0101",
        "student_email": f"pupil.{tag.lower()}@kids.example",
        "guardian_email": f"guardian.{tag.lower()}@home.example",
        "mentor_phone": f"555-{tag}2-0202",
        "mentor_email": f"mentor.{tag.lower()}@work.example",
    }
    student = factories.make_student(
        school,
        user=factories.make_user(Role.STUDENT, email=secret["student_email"]),
        phone=secret["student_phone"],
        guardian_email=secret["guardian_email"],
    )
    mentor = factories.make_mentor(
        school,
        user=factories.make_user(Role.MENTOR, email=secret["mentor_email"]),
        phone=secret["mentor_phone"],
    )
    org = factories.make_organisation(school)
    project = factories.make_project(org)
    programme = make_programme(school)
    run = MatchRun(programme_id=programme.id, status=RunStatus.SUCCEEDED, progress=100)
    db.session.add(run)
    db.session.flush()
    proposals = [
        Proposal(run_id=run.id, student_id=student.id, mentor_id=mentor.id, score=0.9),
        Proposal(run_id=run.id, student_id=student.id, project_id=project.id, score=0.7),
    ]
    db.session.add_all(proposals)
    concern = Concern(
        school_id=school.id,
        reporter_id=student.user_id,
        reason="other",
        note="planted concern note",
    )
    db.session.add(concern)
    db.session.commit()
    return Side(
        school=school,
        student=student,
        other_student=factories.make_student(school),
        mentor=mentor,
        org=org,
        project=project,
        counselor=base.counselor,
        programme=programme,
        run=run,
        proposal=proposals[0],
        project_proposal=proposals[1],
        concern=concern,
        secrets=secret,
    )


@dataclass
class TwoSchoolWorld:
    """Two sides, A and B, and an admin; ``user(role)`` is A's person of that role."""

    a: Side
    b: Side
    admin: User
    tag: Tag | None
    pending: User  # a sign-up whose email is not confirmed yet (inactive, never logged in)

    @classmethod
    def new(cls) -> TwoSchoolWorld:
        """Both sides, B's proposals approved (another's match always exists), and A's
        unconfirmed sign-up."""
        a, b = _side("A"), _side("B")
        admin = factories.make_admin()
        tag = db.session.scalars(db.select(Tag)).first()
        pending = factories.make_user(Role.STUDENT, active=False)
        world = cls(a, b, admin, tag, pending)
        world.approve(b)
        factories.make_student(a.school, user=pending, consent_status="awaiting")
        return world

    def user(self, role: str, side: str = "a") -> User | None:
        s = self.a if side == "a" else self.b
        return {
            "anonymous": None,
            "student": s.student.user,
            "mentor": s.mentor.user,
            "organisation": s.org.user,
            "counselor": s.counselor,
            "admin": self.admin,
        }[role]

    def approve(self, a: Side | None = None) -> None:
        """Approve a side's proposals (default A's) into live matches."""
        a = a or self.a
        for proposal in (a.proposal, a.project_proposal):
            proposal.status = "approved"  # type: ignore[assignment]
        a.match = make_match(a.student, a.mentor, programme=a.programme)
        a.project_match = make_match(a.student, project=a.project, programme=a.programme)
        make_check_in(a.match, a.mentor.user_id, "planted meeting note")
        a.concern.match_id = a.match.id
        db.session.commit()

    def pause(self) -> None:
        """Pause A's matches (as an expired check or a withdrawn consent does)."""
        for match in (self.a.match, self.a.project_match):
            if match is not None:
                match.status = MatchStatus.PAUSED
                match.pause_reason = "background check expired"
        db.session.commit()

    def end(self) -> None:
        """End A's matches."""
        for match in (self.a.match, self.a.project_match):
            if match is not None:
                match.status = MatchStatus.ENDED
                match.ended_at = utcnow()
        db.session.commit()

    def consent_token(self, side: Side) -> str:
        from portal.safeguarding.services import _link_state

        return make_token(CONSENT, {"s": side.student.id, "v": _link_state(side.student)})

    def today(self) -> dt.date:
        return dt.date.today()
