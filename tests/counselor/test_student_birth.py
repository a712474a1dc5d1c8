"""A counselor corrects a student's date of birth and minor status (review finding 5).

Audited by field name (never the values). A student who becomes a minor needs a guardian's
consent again: consent goes back to awaiting, so no new proposal, and the student's live
matches are paused until consent is recorded.
"""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient

from portal.counselor import services
from portal.extensions import db
from portal.forms.validators import shift_years
from portal.models import AuditEvent, ConsentStatus, MatchStatus, StudentProfile
from tests import factories
from tests.counselor.conftest import CounselorWorld
from tests.counselor.test_students import _details
from tests.factories import make_match


def _born(age: int) -> str:
    return (shift_years(dt.date.today(), -age) - dt.timedelta(days=30)).isoformat()


def _updated() -> list[AuditEvent]:
    query = db.select(AuditEvent).where(AuditEvent.action == "student.updated")
    return list(db.session.scalars(query))


def test_an_adult_corrected_to_a_minor_awaits_consent_and_their_matches_pause(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    school = counselor_client.school
    # A student stored as an adult by the old self-declared answer: no date of birth.
    student = factories.make_student(
        school,
        grade=6,
        is_minor=False,
        date_of_birth=None,
        consent_status=ConsentStatus.NOT_NEEDED,
        guardian_name="",
        guardian_email="",
    )
    match = make_match(student, factories.make_mentor(school))
    url = f"/counselor/students/{student.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'name="date_of_birth"' in page and 'name="minor"' in page
    data = {**_details(student), "date_of_birth": _born(11), "minor": "adult"}
    refused = client.post(url, data=data)
    assert refused.status_code == 422
    assert "By the date of birth this student is 11: choose under 18" in refused.get_data(
        as_text=True
    )
    response = client.post(url, data={**data, "minor": "minor"}, follow_redirects=True)
    assert response.status_code == 200
    assert "now needs a guardian" in response.get_data(as_text=True)
    db.session.expire_all()
    student = db.session.get(StudentProfile, student.id)
    assert student.is_minor and student.date_of_birth.isoformat() == _born(11)
    assert student.consent_status == ConsentStatus.AWAITING and not student.can_be_matched
    db.session.refresh(match)
    assert (match.status, match.pause_reason) == (
        MatchStatus.PAUSED,
        services.CONSENT_NEEDED_REASON,
    )
    [event] = _updated()
    assert event.detail == {
        "fields": ["date_of_birth", "is_minor"],
        "consent": "awaiting",
        "paused": [match.id],
    }
    assert _born(11) not in str(event.detail)


def test_a_date_of_birth_on_record_is_corrected_not_removed(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    student = factories.make_student(counselor_client.school, grade=10)
    url = f"/counselor/students/{student.id}/edit"
    response = client.post(url, data={**_details(student), "date_of_birth": ""})
    assert response.status_code == 422
    assert "can be corrected, not removed" in response.get_data(as_text=True)
    corrected = {**_details(student), "date_of_birth": _born(15)}
    assert client.post(url, data=corrected).status_code == 303
    [event] = _updated()
    assert event.detail == {"fields": ["date_of_birth"]}


def test_an_eight_year_old_in_grade_10_is_refused(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    student = factories.make_student(counselor_client.school, grade=10)
    url = f"/counselor/students/{student.id}/edit"
    response = client.post(url, data={**_details(student), "date_of_birth": _born(8)})
    assert response.status_code == 422
    assert "fits grade 10 (age 14 to 18)" in response.get_data(as_text=True)
    assert _updated() == []


def test_a_minor_corrected_to_an_adult_needs_no_consent(
    client: FlaskClient, counselor_client: CounselorWorld
) -> None:
    student = factories.make_student(
        counselor_client.school, grade=12, consent_status=ConsentStatus.AWAITING
    )
    data = {**_details(student), "date_of_birth": _born(18), "minor": "adult"}
    assert client.post(f"/counselor/students/{student.id}/edit", data=data).status_code == 303
    db.session.expire_all()
    student = db.session.get(StudentProfile, student.id)
    assert not student.is_minor and student.consent_status == ConsentStatus.NOT_NEEDED
