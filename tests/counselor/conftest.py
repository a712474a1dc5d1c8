"""The counselor world: the base world, another school, and partners of both awaiting checks."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from portal.models import MentorProfile, Organisation, School
from tests import factories
from tests.conftest import AuthActions, World


@dataclass
class CounselorWorld(World):
    """Riverside High and its counselor, with partners pending verification."""

    other_school: School
    mentor: MentorProfile  # pending, own school
    organisation: Organisation  # pending, own school
    foreign_mentor: MentorProfile  # pending, another school

    @classmethod
    def new(cls) -> CounselorWorld:  # type: ignore[override]
        """Riverside High (with its counselor, a mentor and an organisation) and Hillcrest."""
        base = World.new(name="Riverside High")
        other = factories.make_school("Hillcrest High")
        return CounselorWorld(
            base.school,
            base.counselor,
            other_school=other,
            mentor=factories.make_mentor(base.school, verified=False, first_name="Pat"),
            organisation=factories.make_organisation(base.school, verified=False, name="Food Bank"),
            foreign_mentor=factories.make_mentor(other, verified=False, first_name="Quinn"),
        )


@pytest.fixture
def world(app: Flask) -> CounselorWorld:
    """The counselor world (nobody logged in: see ``counselor_client``)."""
    return CounselorWorld.new()


@pytest.fixture
def counselor_client(world: CounselorWorld, auth: AuthActions) -> CounselorWorld:
    """The test client is logged in as the world's counselor."""
    auth.login_as(world.counselor)
    return world
