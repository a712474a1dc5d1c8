"""The programme world: a school, its counselor and a mentoring programme ready to run.

The ``world`` fixture logs the counselor in; runs execute inline (immediate mode).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from portal.models import Programme
from tests import factories
from tests.conftest import AuthActions, World


@dataclass
class ProgrammeWorld(World):
    """The base world with a programme built from ``factories.matching_term``."""

    programme: Programme

    @classmethod
    def new(cls, **programme_fields: Any) -> ProgrammeWorld:
        """A new school, its counselor and its programme (``programme_fields`` override)."""
        base = World.new()
        fields = factories.matching_term(**programme_fields)
        return ProgrammeWorld(
            base.school, base.counselor, factories.make_programme(base.school, **fields)
        )


@pytest.fixture
def world(app: Flask, auth: AuthActions) -> ProgrammeWorld:
    """A programme world whose counselor the test client is logged in as."""
    world = ProgrammeWorld.new()
    auth.login_as(world.counselor)
    return world
