"""Fixtures of the admin tests: a logged-in administrator."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.models import User
from tests import factories
from tests.conftest import AuthActions


@pytest.fixture
def admin(app: Flask, auth: AuthActions) -> User:
    """An administrator; the test client is logged in as them."""
    user = factories.make_admin(display_name="Alex Admin")
    auth.login_as(user)
    return user
