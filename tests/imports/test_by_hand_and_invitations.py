"""A student added by hand (the import's rules), and partner invitations from a list."""

from __future__ import annotations

import datetime as dt
import io

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AuditEvent,
    ConsentStatus,
    OutboxMessage,
    PartnerInvitation,
    StudentProfile,
    utcnow,
)
from portal.signup.services import Account, NewMentor, register_mentor
from tests.counselor.conftest import CounselorWorld
from tests.imports import classlist


def _student_form(world: CounselorWorld, **changes: str) -> dict[str, str]:
    cells = dict(
        zip(
            [
                "student_number",
                "first_name",
                "last_name",
                "grade",
                "date_of_birth",
                "email",
                "guardian_name",
                "guardian_email",
                "guardian_language",
            ],
            classlist.row(7),
            strict=True,
        )
    )
    cells["guardian_language"] = "es"
    return {"school": str(world.school.id), **cells, **changes}


def test_a_student_added_by_hand_follows_the_sign_up_rules(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    world = counselor_client
    response = client.post("/counselor/students/new", data=_student_form(world))
    assert response.status_code == 303
    student = db.session.scalars(select(StudentProfile)).one()
    assert (student.student_number, student.grade, student.guardian_language) == ("S00007", 9, "es")
    assert student.is_minor and student.consent_status == ConsentStatus.AWAITING
    assert student.user is not None and student.user.email == "student7@riverside.example.org"
    sent = sorted(m.to for m in db.session.scalars(select(OutboxMessage)))
    assert sent == ["parent7@example.org", "student7@riverside.example.org"]
    assert db.session.scalars(select(AuditEvent).filter_by(action="student.added")).one()

    again = client.post("/counselor/students/new", data=_student_form(world))
    assert again.status_code == 422
    assert "already listed" in again.get_data(as_text=True)


def test_a_bad_student_is_a_message_on_the_field_and_nothing_saved(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    world = counselor_client
    too_old = (dt.date.today() - dt.timedelta(days=365 * 30)).isoformat()
    response = client.post(
        "/counselor/students/new",
        data=_student_form(world, date_of_birth=too_old, guardian_name="", grade="5"),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Unknown grade &#39;5&#39;" in page
    assert db.session.scalars(select(StudentProfile)).first() is None


def test_invitations_skip_bad_duplicate_known_and_recent_emails(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    world = counselor_client
    recent = PartnerInvitation(
        school_id=world.school.id,
        email="recent@example.org",
        invited_at=utcnow() - dt.timedelta(days=2),
    )
    older = PartnerInvitation(
        school_id=world.school.id,
        email="older@example.org",
        invited_at=utcnow() - dt.timedelta(days=9),
    )
    db.session.add_all([recent, older])
    db.session.commit()
    pasted = (
        f"ada@example.org, not-an-email\nAda@Example.org; recent@example.org "
        f"older@example.org {world.counselor.email}"
    )
    response = client.post(
        "/counselor/invitations", data={"school": str(world.school.id), "emails": pasted}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 invitations sent." in page
    assert "not-an-email: Not an email address." in page
    assert "Ada@Example.org: Listed twice." in page
    assert "recent@example.org: Invited on" in page
    assert "Already has a Mentorbridge account." in page
    mail = {m.to: m.body for m in db.session.scalars(select(OutboxMessage))}
    assert set(mail) == {"ada@example.org", "older@example.org"}
    assert "/signup/mentor" in mail["ada@example.org"]
    event = db.session.scalars(select(AuditEvent).filter_by(action="partners.invited")).one()
    assert event.detail == {"sent": 2, "skipped": 4}


def test_an_uploaded_list_is_invited_and_a_sign_up_is_shown(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    world = counselor_client
    data = {
        "school": str(world.school.id),
        "emails": "",
        "file": (io.BytesIO(b"email\r\nmentor.one@example.org\r\n"), "list.csv"),
    }
    response = client.post("/counselor/invitations", data=data, content_type="multipart/form-data")
    assert "1 invitation sent." in response.get_data(as_text=True)
    register_mentor(
        Account("Mentor.One@example.org", "a long enough password", "M One"),
        NewMentor(world.school.id, "M", "One"),
    )
    invitation = db.session.scalars(select(PartnerInvitation)).one()
    assert invitation.signed_up_user_id is not None
    page = client.get("/counselor/invitations").get_data(as_text=True)
    assert "<td>mentor.one@example.org</td>" in page and "<td>Yes</td>" in page


def test_an_empty_list_and_a_bad_file_are_refused(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    world = counselor_client
    empty = client.post("/counselor/invitations", data={"school": str(world.school.id)})
    assert empty.status_code == 422
    assert "Paste at least one email address" in empty.get_data(as_text=True)
    data = {"school": str(world.school.id), "file": (io.BytesIO(b"MZ\x00\x00"), "list.exe")}
    bad = client.post("/counselor/invitations", data=data, content_type="multipart/form-data")
    assert bad.status_code == 422
    assert db.session.scalars(select(PartnerInvitation)).first() is None


def test_another_schools_invitations_are_not_listed(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    world = counselor_client
    db.session.add(PartnerInvitation(school_id=world.other_school.id, email="hidden@example.org"))
    db.session.commit()
    assert "hidden@example.org" not in client.get("/counselor/invitations").get_data(as_text=True)
    refused = client.post(
        "/counselor/invitations",
        data={"school": str(world.other_school.id), "emails": "a@example.org"},
    )
    assert refused.status_code == 422


def test_the_guardian_is_asked_in_their_language_and_the_student_in_english(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    world = counselor_client
    assert client.post("/counselor/students/new", data=_student_form(world)).status_code == 303
    mails = {m.to: m for m in db.session.scalars(select(OutboxMessage))}
    guardian = mails["parent7@example.org"]
    assert guardian.subject.startswith("Su consentimiento para")
    assert "le ha indicado a usted" in guardian.body
    assert "choose your password" in mails["student7@riverside.example.org"].body
