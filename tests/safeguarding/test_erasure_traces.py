"""Erasure leaves no trace of the student's name: typed reasons, concerns, emails, searches.

The name is planted everywhere a person can type or the portal can write it, then every
text and JSON value of every table is searched for it after the erasure (audit events
included: they never held it in the first place).
"""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import Concern, Match, MatchStatus, OutboxMessage, StudentProfile
from portal.programmes import review
from portal.relationships import closure, notices, support
from portal.safeguarding import concerns, rights
from tests import factories
from tests.conftest import AuthActions
from tests.factories import make_finished_run, make_match, make_proposal

FIRST, LAST = "Zofia", "Kowalska"


def _rows_naming(*names: str) -> list[str]:
    """Every table row holding one of ``names`` anywhere in its values."""
    db.session.expire_all()
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            text = repr(dict(row))
            found += [f"{table.name}: {text[:300]}" for name in names if name in text]
    return found


def _plant_everywhere(client: FlaskClient, auth: AuthActions) -> StudentProfile:
    school = factories.make_school()
    student = factories.make_student(school, first_name=FIRST, last_name=LAST)
    mentor, other_mentor = factories.make_mentor(school), factories.make_mentor(school)
    counselor = factories.make_counselor(school)
    match = make_match(student, mentor)
    notices.match_approved(match)  # the partner's email names the student
    concerns.report_concern(student.user, school.id, match, "other", f"I am {FIRST} {LAST}.")
    general = concerns.report_concern(student.user, school.id, None, "other", "Not about a match")
    concerns.act_on_concern(counselor, general, "resolve", f"Called {FIRST} back.")
    about = concerns.report_concern(mentor.user, school.id, match, "other", f"{FIRST} cried.")
    concerns.act_on_concern(counselor, about, "resolve", f"Spoke to {FIRST} {LAST}'s mother.")
    support.log_support_contact(
        counselor, match, dt.date.today(), "phone", "guardian", f"{FIRST} {LAST}'s mother called"
    )
    closing = closure.Closing(
        reason="moved",
        note=f"{FIRST} {LAST} moved away",
        continues_next_year=False,
        forbid=True,
        may_repropose=False,
    )
    surveys = closure.close_match(counselor, match, closing)
    mine = next(s for s in surveys if s.respondent == "student")
    answer = closure.Answer(
        satisfaction=4, goal_progress="some", would_recommend=True, comment=f"I am {FIRST} {LAST}."
    )
    closure.answer_exit_survey(mine, student.user, answer)
    proposal = make_proposal(make_finished_run(match.programme), student, mentor_id=other_mentor.id)
    review.reject_proposal(counselor, proposal.id, f"{LAST} asked not to", forbid=True)
    auth.login_as(counselor)
    assert client.get("/counselor/students", query_string={"q": LAST}).status_code == 200
    db.session.expire_all()
    assert len(_rows_naming(LAST)) >= 7  # the plant took: profile, concerns, reasons, email
    return student


def test_erasure_removes_the_name_from_every_table(client: FlaskClient, auth: AuthActions) -> None:
    student = _plant_everywhere(client, auth)
    rights.erase_student(factories.make_counselor(student.school), student)
    assert _rows_naming(FIRST, LAST) == []


def test_erasure_keeps_what_happened_without_the_name(
    client: FlaskClient, auth: AuthActions
) -> None:
    student = _plant_everywhere(client, auth)
    rights.erase_student(factories.make_counselor(student.school), student)
    db.session.expire_all()
    [match] = db.session.scalars(select(Match)).all()
    assert match.status == MatchStatus.ENDED
    assert db.session.scalar(select(db.func.count(Concern.id))) == 3  # still counted
    about = db.session.scalars(select(Concern).order_by(Concern.id)).all()[2]
    assert "cried" in about.note  # the mentor's account stays, without the name
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) >= 1
