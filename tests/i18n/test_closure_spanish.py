"""Closing a match speaks each side's language: the emails, the reminder, the survey page."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import ExitSurvey, Match, StudentProfile, User, utcnow
from portal.programmes import review
from portal.relationships import closure
from tests import factories
from tests.factories import make_finished_run, make_proposal
from tests.programmes.conftest import ProgrammeWorld
from tests.signup.helpers import mails_to


@pytest.fixture
def closed(app: object) -> tuple[StudentProfile, User, Match]:
    """A match of a Spanish-speaking student with an English-speaking mentor, just ended."""
    world = ProgrammeWorld.new()
    mentor = factories.make_mentor(world.school, first_name="Rosa", last_name="Lopez")
    student = factories.make_student(world.school, first_name="Lina", last_name="Haddad")
    assert student.user is not None
    student.user.language = "es"
    proposal = make_proposal(make_finished_run(world.programme), student, mentor_id=mentor.id)
    assert review.approve_proposal(world.counselor, proposal.id).ok
    match = db.session.scalar(db.select(Match))
    assert match is not None
    closing = closure.Closing("completed", "Done", False, forbid=False, may_repropose=False)
    closure.close_match(world.counselor, match, closing)
    return student, mentor.user, match


def test_each_side_is_told_in_their_own_language_with_their_survey(closed) -> None:
    student, mentor, _ = closed
    to_student = mails_to(student.user.email)[-1]
    assert to_student.subject == "Tu pareja de Mentorbridge ha terminado"
    assert "¿Qué tal ha ido?" in to_student.body and "/exit-survey/" in to_student.body
    to_mentor = mails_to(mentor.email)[-1]
    assert to_mentor.subject == "A Mentorbridge match has ended"
    assert "How did it go?" in to_mentor.body and "/exit-survey/" in to_mentor.body


def test_the_reminder_is_in_the_students_language(closed) -> None:
    student, _, _ = closed
    assert closure.send_exit_survey_reminders(utcnow() + dt.timedelta(days=8)) == 2
    reminder = mails_to(student.user.email)[-1]
    assert reminder.subject == "Un recordatorio: dos minutos sobre tu pareja de Mentorbridge"


def test_the_survey_page_and_its_choices_are_in_spanish(closed, client: FlaskClient) -> None:
    _, _, match = closed
    survey = db.session.scalar(
        db.select(ExitSurvey).filter_by(match_id=match.id, respondent="student")
    )
    assert survey is not None
    token = closure.survey_link(survey).split("/exit-survey/")[1]
    page = client.get(f"/exit-survey/{token}?lang=es").get_data(as_text=True)
    assert "¿Qué tal ha ido tu pareja?" in page and "Algún avance" in page
    assert "Enviar mis respuestas" in page
