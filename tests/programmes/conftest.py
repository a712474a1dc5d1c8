"""A school with its counselor logged in and a programme; runs execute inline (immediate mode)."""

from __future__ import annotations

import pytest

from tests.programmes.builders import make_world


@pytest.fixture
def world(app, auth):
    world = make_world()
    auth.login_as(world.counselor)
    return world
