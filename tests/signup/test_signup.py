"""Sign-up of each role, email confirmation, and no account enumeration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import (
    AuditEvent,
    ConsentStatus,
    MentorProfile,
    Organisation,
    Role,
    School,
    StudentProfile,
    User,
    Verification,
)
from portal.vocabulary import ensure_default_vocabulary
from tests import factories
from tests.conftest import AuthActions
from tests.signup.helpers import (
    born,
    link_in,
    mails_to,
    mentor_data,
    organisation_data,
    student_data,
)


@pytest.fixture
def school(app: Flask) -> School:
    ensure_default_vocabulary()
    return factories.make_school(name="Lincoln High", join_code="LINC-2024")


def _user(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == email))


def _form_for(role: str, school: School, email: str) -> dict[str, Any]:
    makers: dict[str, Callable[..., dict[str, Any]]] = {
        "student": lambda: student_data(school.join_code, email),
        "mentor": lambda: mentor_data(school.id, email),
        "organisation": lambda: organisation_data(school.id, email),
    }
    return makers[role]()


@pytest.mark.parametrize("path", ["/signup/student", "/signup/mentor", "/signup/organisation"])
def test_signup_pages_render_a_form_that_works_without_js(
    client: FlaskClient, school: School, path: str
) -> None:
    body = client.get(path).get_data(as_text=True)
    assert f'action="{path}"' in body and f'hx-post="{path}"' in body
    assert 'name="email"' in body and 'name="password"' in body


def test_student_signs_up_with_a_lowercase_join_code(client: FlaskClient, school: School) -> None:
    response = client.post("/signup/student", data=student_data("linc-2024"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/signup/sent")
    user = _user("kid@example.org")
    assert user is not None and user.role == Role.STUDENT and not user.active
    student = db.session.scalar(db.select(StudentProfile).where(StudentProfile.user_id == user.id))
    assert student is not None and student.school_id == school.id
    assert student.is_minor and student.consent_status == ConsentStatus.AWAITING
    assert student.guardian_email == "maria@example.org" and not student.profile_complete
    assert [m.subject for m in mails_to("kid@example.org")] == [
        "Confirm your email for Mentorbridge"
    ]
    assert mails_to("maria@example.org") == []  # asked only once the student confirms
    actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert "student.signed_up" in actions


def test_an_adult_by_date_of_birth_needs_no_guardian(client: FlaskClient, school: School) -> None:
    data = student_data(
        school.join_code, grade="12", date_of_birth=born(18), guardian_name="", guardian_email=""
    )
    assert client.post("/signup/student", data=data).status_code == 303
    student = db.session.scalars(db.select(StudentProfile)).one()
    assert not student.is_minor and student.consent_status == ConsentStatus.NOT_NEEDED
    assert student.date_of_birth is not None and student.date_of_birth.isoformat() == born(18)


def test_date_of_birth_decides_minority(client: FlaskClient, school: School) -> None:
    data = student_data(school.join_code, grade="12", date_of_birth=born(17, days=364))
    assert client.post("/signup/student", data=data).status_code == 303
    student = db.session.scalars(db.select(StudentProfile)).one()
    assert student.is_minor and student.consent_status == ConsentStatus.AWAITING


def test_minor_without_guardian_gets_field_errors(client: FlaskClient, school: School) -> None:
    data = student_data(school.join_code, guardian_name="", guardian_email="")
    response = client.post("/signup/student", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="guardian_email-error"' in body and "guardian&#39;s details" in body
    assert _user("kid@example.org") is None


def test_unknown_join_code_is_a_field_error(client: FlaskClient, school: School) -> None:
    response = client.post("/signup/student", data=student_data("NOPE"))
    assert response.status_code == 422
    assert "We do not know this join code" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_mentor_signs_up_pending_verification(client: FlaskClient, school: School) -> None:
    assert client.post("/signup/mentor", data=mentor_data(school.id)).status_code == 303
    mentor = db.session.scalars(db.select(MentorProfile)).one()
    assert mentor.school_id == school.id and mentor.verification == Verification.PENDING
    assert mentor.user.display_name == "Sam Rivera" and not mentor.user.active


def test_organisation_signs_up(client: FlaskClient, school: School) -> None:
    assert client.post("/signup/organisation", data=organisation_data(school.id)).status_code == 303
    organisation = db.session.scalars(db.select(Organisation)).one()
    assert organisation.name == "Green Streets" and organisation.kind == "nonprofit"
    assert organisation.website == "https://green.example.org"
    assert organisation.user.display_name == "Jo Park"


def test_htmx_signup_redirects_with_hx_redirect(
    client: FlaskClient, school: School, htmx_headers: dict[str, str]
) -> None:
    response = client.post("/signup/mentor", data=mentor_data(school.id), headers=htmx_headers)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].endswith("/signup/sent")


def test_htmx_invalid_signup_gets_the_form_fragment(
    client: FlaskClient, school: School, htmx_headers: dict[str, str]
) -> None:
    data = mentor_data(school.id, email="not-an-email")
    response = client.post("/signup/mentor", data=data, headers=htmx_headers)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert body.lstrip().startswith("<form") and "<html" not in body
    assert 'id="email-error"' in body and "Enter an email address" in body


def test_logged_in_user_is_sent_home_from_signup(client: FlaskClient, auth: AuthActions) -> None:
    student = factories.make_student()
    auth.login_as(student.user)
    response = client.get("/signup/mentor")
    assert response.status_code == 302 and response.headers["Location"].endswith("/home")


# --- confirmation -------------------------------------------------------------------------


def test_unconfirmed_account_cannot_log_in_and_gets_the_wrong_password_answer(
    client: FlaskClient, auth: AuthActions, school: School
) -> None:
    client.post("/signup/mentor", data=mentor_data(school.id))
    unconfirmed = auth.login("sam@example.org")
    wrong = auth.login("nobody@example.org")
    assert unconfirmed.status_code == wrong.status_code == 422
    assert unconfirmed.get_data(as_text=True) == wrong.get_data(as_text=True).replace(
        "nobody@example.org", "sam@example.org"
    )


def test_confirmation_link_activates_logs_in_and_asks_the_guardian(
    client: FlaskClient, school: School
) -> None:
    client.post("/signup/student", data=student_data(school.join_code))
    link = link_in(mails_to("kid@example.org")[0])
    page = client.get(link)
    assert page.status_code == 200 and "Confirm my email" in page.get_data(as_text=True)
    assert _user("kid@example.org").active is False  # type: ignore[union-attr]
    response = client.post(link)
    assert response.status_code == 303 and response.headers["Location"].endswith("/student/profile")
    assert _user("kid@example.org").active is True  # type: ignore[union-attr]
    [consent] = mails_to("maria@example.org")
    assert "/consent/" in link_in(consent) and "Ana Lopez" in consent.body
    home = client.get("/student").get_data(as_text=True)
    assert "Awaiting guardian consent" in home
    assert client.get(link).status_code == 404  # works once


def test_adult_confirmation_sends_no_guardian_mail(client: FlaskClient, school: School) -> None:
    data = student_data(
        school.join_code, grade="12", date_of_birth=born(18), guardian_name="", guardian_email=""
    )
    client.post("/signup/student", data=data)
    client.post(link_in(mails_to("kid@example.org")[0]))
    assert mails_to("maria@example.org") == []
    assert "Profile incomplete" in client.get("/student").get_data(as_text=True)


def test_forged_confirmation_link_is_a_404(client: FlaskClient) -> None:
    assert client.get("/signup/confirm/forged.token").status_code == 404
    assert client.post("/signup/confirm/forged.token").status_code == 404


def test_confirmation_link_does_not_reactivate_a_deactivated_account(
    client: FlaskClient, school: School
) -> None:
    client.post("/signup/mentor", data=mentor_data(school.id))
    link = link_in(mails_to("sam@example.org")[0])
    client.post(link)
    user = _user("sam@example.org")
    assert user is not None
    user.active = False  # later deactivated by staff
    db.session.commit()
    assert client.post(link).status_code == 404
    assert _user("sam@example.org").active is False  # type: ignore[union-attr]


# --- no account enumeration -----------------------------------------------------------------


def _shape(response: Any) -> tuple[int, str | None, str | None, str]:
    return (
        response.status_code,
        response.headers.get("Location"),
        response.headers.get("HX-Redirect"),
        response.get_data(as_text=True),
    )


@pytest.mark.parametrize("role", ["student", "mentor", "organisation"])
@pytest.mark.parametrize("htmx", [False, True])
def test_known_email_gets_the_same_answer_as_a_new_one(
    client: FlaskClient, school: School, role: str, htmx: bool
) -> None:
    headers = {"HX-Request": "true"} if htmx else {}
    factories.make_user(Role.ADMIN, email="taken@example.org")
    users_before = db.session.scalar(db.select(db.func.count(User.id)))
    known = client.post(f"/signup/{role}", data=_form_for(role, school, "Taken@Example.org"),
                        headers=headers)  # fmt: skip
    assert db.session.scalar(db.select(db.func.count(User.id))) == users_before
    new = client.post(f"/signup/{role}", data=_form_for(role, school, "fresh@example.org"),
                      headers=headers)  # fmt: skip
    assert _shape(known) == _shape(new)
    assert _user("fresh@example.org") is not None
    [note] = mails_to("taken@example.org")
    assert note.subject == "Someone tried to sign up with your email"
    assert "/login" in note.body and "/reset" in note.body
    assert client.get("/signup/sent").status_code == 200


def test_signing_up_again_before_confirming_resends_the_link(
    client: FlaskClient, school: School
) -> None:
    client.post("/signup/mentor", data=mentor_data(school.id))
    client.post("/signup/mentor", data=mentor_data(school.id, first_name="Other"))
    _first, second = mails_to("sam@example.org")
    assert second.subject == "Confirm your email for Mentorbridge"
    assert db.session.scalar(db.select(db.func.count(MentorProfile.id))) == 1
    assert client.post(link_in(second)).status_code == 303
    assert (
        db.session.scalars(db.select(MentorProfile)).one().first_name == "Other"
    )  # the latest details (#15)
