"""The safeguarding world: a school with two counselors and a student matched with a mentor."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from portal.models import Match, MentorProfile, StudentProfile, User
from tests import factories
from tests.conftest import World


@dataclass
class SafeguardingWorld(World):
    """Hill School, its two counselors, and Tomasz matched with Sam."""

    second_counselor: User
    student: StudentProfile
    mentor: MentorProfile
    match: Match

    @property
    def counselors(self) -> list[User]:
        """The two counselors the world made (the mentor's verifier is a third)."""
        return [self.counselor, self.second_counselor]

    @classmethod
    def new(cls) -> SafeguardingWorld:  # type: ignore[override]
        """Hill School, two counselors, and an active match of a minor with a mentor."""
        base = World.new(name="Hill School")
        second = factories.make_counselor(base.school)
        student = factories.make_student(base.school, first_name="Tomasz")
        mentor = factories.make_mentor(base.school, first_name="Sam")
        match = factories.make_match(student, mentor)
        return SafeguardingWorld(base.school, base.counselor, second, student, mentor, match)


@pytest.fixture
def world(app: Flask) -> SafeguardingWorld:
    """The safeguarding world (nobody logged in)."""
    return SafeguardingWorld.new()
