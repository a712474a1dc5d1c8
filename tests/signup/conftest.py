"""The sign-up world: the base world, its school joined with the code ``JOIN-1``, and tags."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.vocabulary import ensure_default_vocabulary
from tests.conftest import World


@pytest.fixture
def world(app: Flask) -> World:
    """The base world whose school's join code is ``JOIN-1``, with the tag vocabulary."""
    ensure_default_vocabulary()
    return World.new(join_code="JOIN-1")
