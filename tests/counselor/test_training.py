"""Training before matching: counselors record it, untrained mentors are not eligible."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.eligibility import untrained_mentor_ids
from portal.extensions import db
from portal.models import AuditEvent, MentorTraining
from portal.programmes.forms import ProgrammeForm
from tests import factories
from tests.factories import make_programme

TODAY = dt.date.today()


@pytest.fixture
def school_with_training(app):
    school = factories.make_school()
    programme = make_programme(school, name="Mentoring 2026", requires_training=True)
    return school, factories.make_counselor(school), programme


def _record(client, mentor, **extra):
    data = {"course": "Safe mentoring basics", "completed_on": TODAY.isoformat(), "hours": "3"}
    return client.post(f"/counselor/partners/mentor/{mentor.id}/training", data={**data, **extra})


def test_counselor_records_a_training_on_the_partner_page(school_with_training, client, auth):
    school, counselor, _ = school_with_training
    mentor = factories.make_mentor(school)
    auth.login_as(counselor)
    page = client.get(f"/counselor/partners/mentor/{mentor.id}").get_data(as_text=True)
    assert "No training on record" in page and "Record training" in page
    assert _record(client, mentor).status_code == 303
    training = db.session.scalar(db.select(MentorTraining))
    assert training.user_id == mentor.user_id and training.hours == 3
    assert training.recorded_by_id == counselor.id
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "mentor.training_recorded")
    )
    assert event is not None and event.object_id == mentor.id
    page = client.get(f"/counselor/partners/mentor/{mentor.id}").get_data(as_text=True)
    assert "Safe mentoring basics" in page


def test_htmx_gets_the_refreshed_training_panel(school_with_training, client, auth, htmx_headers):
    school, counselor, _ = school_with_training
    mentor = factories.make_mentor(school)
    auth.login_as(counselor)
    data = {"course": "Basics", "completed_on": TODAY.isoformat(), "hours": "2"}
    response = client.post(
        f"/counselor/partners/mentor/{mentor.id}/training", data=data, headers=htmx_headers
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="training-panel"' in body and "<html" not in body


@pytest.mark.parametrize(
    "bad",
    [
        {"course": ""},
        {"course": "x" * 161},
        {"hours": "0"},
        {"hours": "lots"},
        {"completed_on": (TODAY + dt.timedelta(days=2)).isoformat()},
        {"completed_on": "yesterday"},
        {"course": "bad\u200bname"},
    ],
)
def test_a_bad_training_is_refused_and_nothing_saved(school_with_training, client, auth, bad):
    school, counselor, _ = school_with_training
    mentor = factories.make_mentor(school)
    auth.login_as(counselor)
    response = _record(client, mentor, **bad)
    assert response.status_code == 422 and 'class="error' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(MentorTraining)) is None


def test_another_schools_mentor_is_a_404(school_with_training, client, auth):
    _, counselor, _ = school_with_training
    stranger = factories.make_mentor(factories.make_school())
    auth.login_as(counselor)
    assert _record(client, stranger).status_code == 404
    assert db.session.scalar(db.select(MentorTraining)) is None


def test_untrained_mentors_are_not_eligible_when_the_programme_requires_it(
    school_with_training,
):
    school, _counselor, programme = school_with_training
    trained, untrained = factories.make_mentor(school), factories.make_mentor(school)
    db.session.add(
        MentorTraining(user_id=trained.user_id, course="Basics", completed_on=TODAY, hours=2)
    )
    db.session.commit()
    assert untrained_mentor_ids(programme, [trained.id, untrained.id]) == {untrained.id}
    programme.requires_training = False
    assert untrained_mentor_ids(programme, [trained.id, untrained.id]) == set()


def test_the_mentor_sees_what_is_missing_on_their_dashboard(school_with_training, client, auth):
    school, _counselor, _ = school_with_training
    mentor = factories.make_mentor(school)
    auth.login_as(mentor.user)
    body = client.get("/mentor").get_data(as_text=True)
    assert "Training required: Mentoring 2026" in body
    db.session.add(
        MentorTraining(user_id=mentor.user_id, course="Basics", completed_on=TODAY, hours=2)
    )
    db.session.commit()
    assert "Training required" not in client.get("/mentor").get_data(as_text=True)


def test_the_programme_form_sets_training_and_goal_templates(app):
    with app.test_request_context(
        method="POST",
        data={
            "goal_templates": "Build a robot\n\n  Plan for college  \n",
            "requires_training": "y",
        },
    ):
        form = ProgrammeForm(meta={"csrf": False})
        form.school_id.choices = []
        form.validate()
        assert form.goal_templates.data == ["Build a robot", "Plan for college"]
        assert "goal_templates" not in form.errors
        assert form.values()["requires_training"] is True
    with app.test_request_context(method="POST", data={"goal_templates": "x\n" * 9}):
        form = ProgrammeForm(meta={"csrf": False})
        form.school_id.choices = []
        form.validate()
        assert "goal_templates" in form.errors


def test_approval_rechecks_training_when_the_programme_requires_it(app):
    from portal.programmes import review
    from tests.factories import make_finished_run, make_proposal
    from tests.programmes.conftest import ProgrammeWorld

    world = ProgrammeWorld.new()
    world.programme.requires_training = True
    mentor = factories.make_mentor(world.school)
    student = factories.make_student(world.school)
    proposal = make_proposal(make_finished_run(world.programme), student, mentor_id=mentor.id)
    outcome = review.approve_proposal(world.counselor, proposal.id)
    assert not outcome.ok and "training" in outcome.message
    db.session.add(
        MentorTraining(user_id=mentor.user_id, course="Basics", completed_on=TODAY, hours=2)
    )
    db.session.commit()
    assert review.approve_proposal(world.counselor, proposal.id).ok
