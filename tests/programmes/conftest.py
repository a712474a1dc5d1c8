"""A school with its counselor logged in and a programme; runs execute inline."""

from __future__ import annotations

import pytest

from tests.programmes.builders import make_world


@pytest.fixture
def world(app, auth):
    app.config["MATCH_RUNNER"] = "inline"
    world = make_world()
    auth.login_as(world.counselor)
    return world
