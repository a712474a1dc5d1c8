"""Fixtures of the counselor tests: a counselor of one school, and partners of two schools."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from portal.models import MentorProfile, Organisation, School, User
from tests import factories
from tests.conftest import AuthActions


@dataclass
class World:
    school: School
    other_school: School
    counselor: User
    mentor: MentorProfile  # pending, own school
    organisation: Organisation  # pending, own school
    foreign_mentor: MentorProfile  # pending, another school


@pytest.fixture
def world(app: Flask) -> World:
    school = factories.make_school("Riverside High")
    other = factories.make_school("Hillcrest High")
    return World(
        school=school,
        other_school=other,
        counselor=factories.make_counselor(school),
        mentor=factories.make_mentor(school, verified=False, first_name="Pat"),
        organisation=factories.make_organisation(school, verified=False, name="Food Bank"),
        foreign_mentor=factories.make_mentor(other, verified=False, first_name="Quinn"),
    )


@pytest.fixture
def counselor_client(world: World, auth: AuthActions) -> World:
    """The test client is logged in as the world's counselor."""
    auth.login_as(world.counselor)
    return world
