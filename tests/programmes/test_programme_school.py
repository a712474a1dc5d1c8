"""A programme keeps its school once it has runs; proposals follow the student's school too.

Review finding 4: moving a programme to another school gave that school's counselors the
first school's students, proposals and matches. Also finding 9 for programme terms.
"""

from __future__ import annotations

import datetime as dt

import pytest

from portal.extensions import db
from portal.forms.validators import shift_years
from portal.programmes import services
from tests import factories
from tests.factories import make_finished_run, make_proposal
from tests.programmes.test_views import HX, _form


def _second_school(world):
    other = factories.make_school()
    world.counselor.schools = [world.school, other]
    db.session.commit()
    return other


def test_a_programme_without_runs_may_still_move(world, client):
    other = _second_school(world)
    response = client.post(f"/programmes/{world.programme.id}/edit", data=_form(other.id))
    assert response.status_code == 303
    db.session.refresh(world.programme)
    assert world.programme.school_id == other.id


@pytest.mark.parametrize("headers", [{}, HX])
def test_a_programme_with_runs_keeps_its_school(world, client, headers):
    other = _second_school(world)
    make_finished_run(world.programme)
    url = f"/programmes/{world.programme.id}/edit"
    assert "its school stays" in client.get(url).get_data(as_text=True)
    response = client.post(url, data=_form(other.id), headers=headers)
    assert response.status_code == 422
    assert "its school cannot change" in response.get_data(as_text=True)
    db.session.refresh(world.programme)
    assert world.programme.school_id == world.school.id
    assert world.programme.name != "Spring mentoring"
    # Other settings still save while the school stays.
    assert client.post(url, data=_form(world.school.id)).status_code == 303


def test_the_service_refuses_too(world):
    other = _second_school(world)
    make_finished_run(world.programme)
    values = {"school_id": other.id, "name": "Moved"}
    with pytest.raises(services.SchoolLockedError):
        services.update_programme(world.counselor, world.programme, values)
    db.session.rollback()
    db.session.refresh(world.programme)
    assert world.programme.school_id == world.school.id


def test_a_proposal_of_another_schools_student_is_not_found(world, client):
    # However it came about (a programme moved before this fix), the student's school counts.
    run = make_finished_run(world.programme)
    stranger = factories.make_student(factories.make_school(), first_name="Zed")
    proposal = make_proposal(run, stranger, mentor_id=factories.make_mentor(world.school).id)
    assert client.get(f"/programmes/proposals/{proposal.id}").status_code == 404
    own = make_proposal(run, factories.make_student(world.school), mentor_id=proposal.mentor_id)
    assert client.get(f"/programmes/proposals/{own.id}").status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [("starts_on", "1900-01-01"), ("ends_on", "9999-12-31"), ("starts_on", "0001-01-01")],
)
def test_term_dates_nobody_means_are_refused(world, client, field, value):
    response = client.post("/programmes/new", data=_form(world.school.id, **{field: value}))
    assert response.status_code == 422
    today = dt.date.today()
    low, high = shift_years(today, -5), shift_years(today, 5)
    assert f"from {low.day} {low:%B %Y} to {high.day} {high:%B %Y}" in response.get_data(
        as_text=True
    )


def test_the_review_list_shows_only_students_of_the_programmes_school(world, client):
    run = make_finished_run(world.programme)
    mentor_id = factories.make_mentor(world.school).id
    make_proposal(
        run, factories.make_student(world.school, first_name="Olive"), mentor_id=mentor_id
    )
    stranger = factories.make_student(factories.make_school(), first_name="Zebedee")
    make_proposal(run, stranger, mentor_id=mentor_id)
    for headers in ({}, HX):
        body = client.get(f"/programmes/runs/{run.id}/review", headers=headers).get_data(
            as_text=True
        )
        assert "Olive" in body and "Zebedee" not in body
