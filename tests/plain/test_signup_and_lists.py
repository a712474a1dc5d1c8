"""Issue #15: a repeated sign-up before confirming updates the details; counselor lists tell
students apart (their email) and leave unconfirmed sign-ups out."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import AuditEvent, MentorProfile, StudentProfile, User
from tests import factories
from tests.security.harness import client_as
from tests.security.world import TwoSchoolWorld
from tests.signup.helpers import mails_to, mentor_data, student_data


def test_a_repeated_student_sign_up_before_confirming_updates_the_details(
    client: FlaskClient,
) -> None:
    school = factories.make_school(join_code="LINC-2024")
    assert client.post("/signup/student", data=student_data(school.join_code)).status_code == 303
    again = student_data(school.join_code, first_name="Anna", grade="10", guardian_name="Mia Lo")
    assert client.post("/signup/student", data=again).status_code == 303
    student = db.session.scalars(db.select(StudentProfile)).one()
    assert (student.first_name, student.grade, student.guardian_name) == ("Anna", 10, "Mia Lo")
    assert len(mails_to("kid@example.org")) == 2  # a fresh confirmation link each time
    assert db.session.scalar(
        db.select(AuditEvent.id).where(AuditEvent.action == "student.signup_updated")
    )


def test_a_repeated_sign_up_never_changes_a_confirmed_account(client: FlaskClient) -> None:
    school = factories.make_school()
    assert client.post("/signup/mentor", data=mentor_data(school.id)).status_code == 303
    user = db.session.scalars(db.select(User)).one()
    user.active = True  # confirmed
    db.session.commit()
    again = mentor_data(school.id, first_name="Mallory")
    assert client.post("/signup/mentor", data=again).status_code == 303
    assert db.session.scalars(db.select(MentorProfile)).one().first_name == "Sam"


def test_counselor_list_shows_emails_and_leaves_out_unconfirmed_sign_ups(app: Flask) -> None:
    world = TwoSchoolWorld.new()
    a = world.a
    twin = factories.make_student(a.school, first_name=a.student.first_name,
                                  last_name=a.student.last_name)  # fmt: skip
    html = client_as(app, world, "counselor").get("/counselor/students").get_data(as_text=True)
    assert f"<td>{a.student.user.email}</td>" in html and f"<td>{twin.user.email}</td>" in html
    assert world.pending.email not in html
