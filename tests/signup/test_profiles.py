"""Profiles (student, mentor steps, organisation), projects and their ownership, homes, tags."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import (
    ConsentStatus,
    MentorProfile,
    Modality,
    Organisation,
    Project,
    StudentProfile,
    Verification,
)
from portal.vocabulary import ensure_default_vocabulary
from tests import factories
from tests.conftest import AuthActions
from tests.signup.helpers import project_data, student_profile_data


@pytest.fixture
def student(client: FlaskClient, auth: AuthActions) -> StudentProfile:
    student = factories.make_student(
        interests=[], goals=[], availability=[], languages=[], profile_complete=False
    )
    auth.login_as(student.user)
    return student


@pytest.fixture
def mentor(client: FlaskClient, auth: AuthActions) -> MentorProfile:
    mentor = factories.make_mentor(verified=False, profile_complete=False, expertise=[])
    auth.login_as(mentor.user)
    return mentor


@pytest.fixture
def organisation(client: FlaskClient, auth: AuthActions) -> Organisation:
    ensure_default_vocabulary()
    organisation = factories.make_organisation(verified=False)
    auth.login_as(organisation.user)
    return organisation


# --- student ----------------------------------------------------------------------------------


def test_student_home_says_profile_incomplete_with_an_edit_link(
    client: FlaskClient, student: StudentProfile
) -> None:
    body = client.get("/student").get_data(as_text=True)
    assert "Profile incomplete" in body and 'href="/student/profile"' in body


def test_student_saves_profile_and_becomes_ready(
    client: FlaskClient, student: StudentProfile
) -> None:
    response = client.post("/student/profile", data=student_profile_data(modality="online"))
    assert response.status_code == 303 and response.headers["Location"].endswith("/student")
    db.session.refresh(student)
    assert student.interests == ["robotics", "coding"] and student.availability == [
        "tue-pm",
        "thu-pm",
    ]
    assert student.modality == Modality.ONLINE and student.profile_complete
    assert "Ready for matching" in client.get("/student").get_data(as_text=True)


def test_student_profile_form_shows_saved_values(
    client: FlaskClient, student: StudentProfile
) -> None:
    client.post("/student/profile", data=student_profile_data())
    body = client.get("/student/profile").get_data(as_text=True)
    assert re.search(r'id="availability-tue-pm"\s+aria-label="Tuesday afternoon" checked', body)
    assert 'value="robotics" id="interests-' in body


@pytest.mark.parametrize(
    ("consent", "text"),
    [
        (ConsentStatus.AWAITING, "Awaiting guardian consent"),
        (ConsentStatus.REFUSED, "Guardian consent refused"),
        (ConsentStatus.GIVEN, "Ready for matching"),
    ],
)
def test_student_home_states_consent(
    client: FlaskClient, auth: AuthActions, consent: ConsentStatus, text: str
) -> None:
    student = factories.make_student(consent_status=consent)
    auth.login_as(student.user)
    assert text in client.get("/student").get_data(as_text=True)


def test_student_profile_htmx_error_is_a_422_fragment(
    client: FlaskClient, student: StudentProfile, htmx_headers: dict[str, str]
) -> None:
    data = student_profile_data(availability=[])
    response = client.post("/student/profile", data=data, headers=htmx_headers)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and body.lstrip().startswith("<form")
    assert "Tick at least one time you are free." in body


def test_student_profile_htmx_success_is_hx_redirect(
    client: FlaskClient, student: StudentProfile, htmx_headers: dict[str, str]
) -> None:
    response = client.post("/student/profile", data=student_profile_data(), headers=htmx_headers)
    assert response.status_code == 204 and response.headers["HX-Redirect"].endswith("/student")


def test_availability_grid_is_labelled_for_every_slot(
    client: FlaskClient, student: StudentProfile
) -> None:
    body = client.get("/student/profile").get_data(as_text=True)
    assert body.count('name="availability"') == 21
    assert 'aria-label="Sunday evening"' in body and "<legend>When are you free?</legend>" in body


# --- mentor -----------------------------------------------------------------------------------


def test_mentor_walks_the_profile_steps_to_pending_verification(
    client: FlaskClient, mentor: MentorProfile
) -> None:
    steps = [
        ("work", {"job_title": "Nurse", "bio": "I work nights.", "employer": "", "phone": ""}),
        ("interests", {"expertise": ["medicine", "nursing"], "interests": ["music"]}),
        (
            "availability",
            {
                "availability": ["mon-eve", "sat-am"],
                "modality": "online",
                "languages": ["en"],
                "area": "south",
                "capacity": "3",
                "grade_min": "9",
                "grade_max": "11",
            },
        ),
        ("check", {"background_check_consent": "y"}),
    ]
    for slug, data in steps:
        response = client.post(f"/mentor/profile?step={slug}", data=data)
        assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/mentor")
    db.session.refresh(mentor)
    assert (
        mentor.profile_complete
        and mentor.capacity == 3
        and mentor.expertise
        == [
            "medicine",
            "nursing",
        ]
    )
    assert "Pending verification" in client.get("/mentor").get_data(as_text=True)


def test_mentor_step_goes_to_the_next_step(
    client: FlaskClient, mentor: MentorProfile, htmx_headers: dict[str, str]
) -> None:
    data = {"job_title": "Chef", "bio": "I cook."}
    response = client.post("/mentor/profile?step=work", data=data, headers=htmx_headers)
    assert response.headers["HX-Redirect"].endswith("/mentor/profile?step=interests")


def test_mentor_grade_band_must_not_be_reversed(client: FlaskClient, mentor: MentorProfile) -> None:
    data = {
        "availability": ["mon-eve"],
        "modality": "online",
        "languages": ["en"],
        "area": "south",
        "capacity": "2",
        "grade_min": "11",
        "grade_max": "13",
    }
    body = client.post("/mentor/profile?step=availability", data=data).get_data(as_text=True)
    assert "Enter a number from 6 to 12." in body
    data["grade_max"] = "9"
    response = client.post("/mentor/profile?step=availability", data=data)
    assert response.status_code == 422
    assert "The last grade must not be below the first." in response.get_data(as_text=True)


def test_unknown_mentor_step_is_a_404(client: FlaskClient, mentor: MentorProfile) -> None:
    assert client.get("/mentor/profile?step=nope").status_code == 404


@pytest.mark.parametrize(
    ("verification", "reason", "text"),
    [
        (Verification.VERIFIED, "", "Verified"),
        (Verification.DECLINED, "No reference received", "No reference received"),
    ],
)
def test_partner_home_states_verification(
    client: FlaskClient, auth: AuthActions, verification: Verification, reason: str, text: str
) -> None:
    mentor = factories.make_mentor(verification=verification, decline_reason=reason)
    auth.login_as(mentor.user)
    body = client.get("/mentor").get_data(as_text=True)
    assert text in body and "Pending verification" not in body


def test_roles_cannot_use_each_others_profiles(client: FlaskClient, mentor: MentorProfile) -> None:
    assert client.get("/student/profile").status_code == 403
    assert client.get("/organisation/projects/new").status_code == 403


# --- organisation and projects -------------------------------------------------------------


def test_organisation_home_has_an_empty_state(
    client: FlaskClient, organisation: Organisation
) -> None:
    body = client.get("/organisation").get_data(as_text=True)
    assert "No project yet" in body and "Pending verification" in body


def test_organisation_posts_edits_and_closes_a_project(
    client: FlaskClient, organisation: Organisation
) -> None:
    assert client.post("/organisation/projects/new", data=project_data()).status_code == 303
    project = db.session.scalars(db.select(Project)).one()
    assert project.organisation_id == organisation.id and project.supervisor_checked
    assert "Community garden" in client.get("/organisation").get_data(as_text=True)
    edited = project_data(title="Tree planting", capacity="12")
    assert client.post(f"/organisation/projects/{project.id}", data=edited).status_code == 303
    assert client.post(f"/organisation/projects/{project.id}/close").status_code == 303
    db.session.refresh(project)
    assert project.is_open  # not without ticking "I understand"
    assert "to close it" in client.get("/organisation").get_data(as_text=True)
    close = client.post(f"/organisation/projects/{project.id}/close", data={"confirm": "y"})
    assert close.status_code == 303
    db.session.refresh(project)
    assert (project.title, project.capacity, project.is_open) == ("Tree planting", 12, False)
    assert "Closed" in client.get("/organisation").get_data(as_text=True)


def test_organisation_sees_only_its_own_projects(
    client: FlaskClient, organisation: Organisation
) -> None:
    other = factories.make_project(factories.make_organisation(), title="Not ours")
    mine = factories.make_project(organisation, title="Ours")
    body = client.get("/organisation").get_data(as_text=True)
    assert "Ours" in body and "Not ours" not in body
    assert client.get(f"/organisation/projects/{mine.id}").status_code == 200
    assert client.get(f"/organisation/projects/{other.id}").status_code == 404
    assert client.post(f"/organisation/projects/{other.id}", data=project_data()).status_code == 404
    assert client.post(f"/organisation/projects/{other.id}/close").status_code == 404
    db.session.refresh(other)
    assert other.title == "Not ours" and other.is_open


def test_organisation_edits_its_profile(client: FlaskClient, organisation: Organisation) -> None:
    data = {
        "name": "Blue Rivers",
        "kind": "business",
        "description": "We clean rivers.",
        "website": "",
        "phone": "",
        "area": "east",
    }
    assert client.post("/organisation/profile", data=data).status_code == 303
    db.session.refresh(organisation)
    assert (organisation.name, organisation.kind, organisation.area) == (
        "Blue Rivers",
        "business",
        "east",
    )


# --- tag suggestions --------------------------------------------------------------------------


def test_tag_search_suggests_matching_tags(client: FlaskClient, student: StudentProfile) -> None:
    body = client.get("/tags/suggest?kind=interest&q=ROB").get_data(as_text=True)
    assert 'data-tag="robotics"' in body and 'data-tag="music"' not in body


@pytest.mark.parametrize(
    "query", ["", "%", "_", "<script>alert(1)</script>", "x" * 5000, "rob\u202e", "zz"]
)
def test_tag_search_is_bounded_and_escaped(
    client: FlaskClient, student: StudentProfile, query: str
) -> None:
    response = client.get("/tags/suggest", query_string={"kind": "interest", "q": query})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>" not in body and body.count("<li>") <= 8
    if query in ("%", "_"):
        assert "<li>" not in body  # wildcards are escaped, not matched


def test_tag_search_needs_a_login(client: FlaskClient) -> None:
    response = client.get("/tags/suggest?kind=interest&q=rob")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
